// providers: identity/password wallet/airkit
// Two people, one browser. AIR Kit saves a login in the browser for 30 days and its SDK hands
// that saved session back to `login()` (the offline AIR client does the same), so the app must
// never let the second person see the first person's AIR account: not after a sign-out, and not
// when the first person's app session simply ended while their AIR login stayed saved.
import type { Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { connectAirKit, signOut, signUpWithPassword } from "./support/flows";
import { APP_URL, COUNTERPART_VARIANT } from "./support/stack";

const PASSWORD = "a long enough passphrase";

/** The offline AIR client's saved login (providers/wallets/airkit/browser/http-client.ts), as the SDK keeps one. */
const savedAirLogin = (page: Page) => page.evaluate(() => localStorage.getItem("airkit.session"));

async function signInWithPassword(page: Page, email: string) {
  await page.goto("/signin");
  const form = page.getByTestId("password-form");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill(PASSWORD);
  await form.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("identity-email")).toHaveText(email);
}

test("two people in one browser each get their own AIR account, never the previous person's", { tag: "@core" }, async ({ page }) => {
  const first = `air-first-${Date.now()}@example.com`;
  const second = `air-second-${Date.now()}@example.com`;
  const seen = new Set<string>();
  const card = page.getByTestId("wallet-airkit");
  let firstAddress = "";
  let secondAddress = "";

  await test.step("the first person signs up and connects AIR Kit (code, then MFA with a passkey)", async () => {
    await signUpWithPassword(page, first, PASSWORD);
    const result = await connectAirKit(page, first, seen);
    expect(result).toMatchObject({ askedForCode: true, askedForMfa: true });
    firstAddress = result.address;
    expect(await savedAirLogin(page)).not.toBeNull();
  });

  await test.step("they sign out: the app ends AIR's session in this browser too", async () => {
    await signOut(page);
    expect(await savedAirLogin(page)).toBeNull();
  });

  await test.step("the second person signs up in the same browser and connects: their own, new address", async () => {
    await signUpWithPassword(page, second, PASSWORD);
    await expect(card).not.toContainText(firstAddress);
    const result = await connectAirKit(page, second, seen);
    expect(result).toMatchObject({ askedForCode: true, askedForMfa: true });
    secondAddress = result.address;
    expect(secondAddress).not.toBe(firstAddress);
    await expect(card).not.toContainText(firstAddress);
  });

  let leftover = "";
  await test.step("the second person's app session ends without signing out: their AIR login stays saved in the browser", async () => {
    leftover = (await savedAirLogin(page)) ?? "";
    expect(leftover).not.toBe("");
    await page.context().clearCookies();
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/signin/);
    expect(await savedAirLogin(page)).toBe(leftover);
  });

  await test.step("the first person signs in again and connects: their own address, not the saved one", async () => {
    await signInWithPassword(page, first);
    await expect(card).not.toContainText(secondAddress);
    const result = await connectAirKit(page, first, seen);
    expect(result).toEqual({ askedForCode: false, askedForMfa: false, address: firstAddress });
    await expect(card).not.toContainText(secondAddress);
  });

  await test.step("the server refuses the second person's AIR token for the first person", async () => {
    const response = await page.request.post("/api/wallets/airkit/session", { data: { token: leftover }, headers: { origin: APP_URL } });
    // Standard tokens name the app user (partnerUserId); sparse ones do not, and then the AIR
    // account's binding to the person who linked it first decides.
    expect(response.status()).toBe(COUNTERPART_VARIANT === "sparse" ? 409 : 403);
    expect((await response.json()).error.code).toBe(COUNTERPART_VARIANT === "sparse" ? "air_account_taken" : "air_session_other_user");
    await page.reload();
    await expect(card.getByTestId("account-address")).toHaveText(firstAddress);
  });
});
