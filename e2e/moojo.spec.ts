// providers: identity/oidc identity/firebase wallet/moojo
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { signInWithFirebase, signInWithOidc, signInWithOidcAndLinkFirebase, signOut, submitFirebaseLink } from "./support/flows";
import { ADA, KATHERINE } from "./support/stack";

const DEMO_SLUG = "byo-auth-demo-sign-in";

async function connectMoojo(page: Page): Promise<string> {
  const wallet = page.getByTestId("wallet-moojo");
  // The same person may still be connected from an earlier test: start from scratch.
  const disconnect = wallet.getByRole("button", { name: "Disconnect" });
  if (await disconnect.isVisible()) await disconnect.click();
  await wallet.getByRole("button", { name: /connect moojo/i }).click();
  const key = wallet.getByTestId("account-address");
  // The 68-character key shows shortened; the whole key is its title and what Copy copies.
  await expect(key).toHaveText(/^0x0[23][0-9a-fA-F]{6}…[0-9a-fA-F]{8}$/);
  await expect(key).toHaveAttribute("title", /^0x0[23][0-9a-fA-F]{64}$/);
  const full = (await key.getAttribute("title"))!;
  await expect(key).toHaveText(`${full.slice(0, 10)}…${full.slice(-8)}`);
  await expect(wallet.getByRole("button", { name: `Copy Public key: ${full}` })).toBeVisible();
  await expect(wallet.getByTestId("wallet-expiry")).toContainText(/1h 5\d m|1h \d{2}m \d{2}s/);
  return full;
}

const credentials = (page: Page): Locator => page.getByTestId("wallet-moojo").getByTestId("moojo-credentials");

async function issueDemoCredential(page: Page, expectedCount: number, signInMethod: string): Promise<void> {
  const wallet = page.getByTestId("wallet-moojo");
  await wallet.getByRole("button", { name: "Issue a demo credential" }).click();
  const items = credentials(page).getByRole("listitem");
  await expect(items).toHaveCount(expectedCount);
  // Newest first: the one just issued, with the values the server chose.
  await expect(items.first()).toContainText(DEMO_SLUG);
  await expect(items.first()).toContainText(`sign-in-method${signInMethod}`);
  await expect(items.first()).toContainText(/issued-at\d{10}/);
  await expect(wallet.getByTestId("wallet-action-error")).toHaveCount(0);
}

test(
  "Moojo: a Firebase user's own ID token, and an OpenID user through the bridge, reach the same Moojo user; credentials issued on the card stay listed",
  { tag: "@core" },
  async ({ page }) => {
    // Katherine, a person of her own: the emulator vouches for no email, so her OpenID and
    // Firebase sign-ins are one app user only once she links Firebase (e2e/link.spec.ts), and
    // that must happen before her first Moojo connect for her Firebase uid to be the Moojo one.
    let publicKey = "";
    let before = 0;
    await test.step("OpenID Connect, then link her Firebase sign-in from the dashboard (before any Moojo connect)", async () => {
      await signInWithOidcAndLinkFirebase(page, KATHERINE);
      await signOut(page);
    });
    await test.step("Firebase → Moojo with the user's Firebase ID token; the card lists the credentials this app issued", async () => {
      await signInWithFirebase(page, KATHERINE);
      publicKey = await connectMoojo(page);
      // Her first Moojo uid is her Firebase uid (linked before any Moojo connect), not the app user id.
      const appUserId = (await page.getByTestId("app-user-id").innerText()).trim();
      await expect(page.getByTestId("wallet-moojo")).toContainText("Firebase uid");
      await expect(page.getByTestId("wallet-moojo")).not.toContainText(appUserId);
      await expect(credentials(page)).toBeVisible();
      before = await credentials(page).getByRole("listitem").count();
    });
    await test.step("Issue a demo credential: defined once, added for this user, listed", async () => {
      await issueDemoCredential(page, before + 1, "firebase");
      await signOut(page);
    });
    await test.step("OpenID Connect → Moojo through the custom-token bridge: same linked person, same key, same credentials", async () => {
      await signInWithOidc(page, KATHERINE);
      await expect(page.getByTestId("linked-identities")).toContainText("Firebase");
      expect(await connectMoojo(page)).toBe(publicKey);
      await expect(credentials(page).getByRole("listitem")).toHaveCount(before + 1);
      await issueDemoCredential(page, before + 2, "oidc");
    });
  },
);

test("Moojo: one identity per person, OpenID → Firebase → OpenID keeps the first Moojo key", async ({ page }) => {
  // Ada's Firebase sign-in is linked in this test only (no other spec signs her in with Firebase).
  let publicKey = "";
  let appUserId = "";
  await test.step("OpenID Connect first: no Firebase identity yet, the bridge presents the app user id", async () => {
    await signInWithOidc(page, ADA);
    // The scenario needs a person whose Firebase identity is linked only after the first Moojo connect.
    await expect(
      page.getByTestId("linked-identities"),
      "Ada's Firebase sign-in must not be linked before this test (is the stack reused?)",
    ).not.toContainText("Firebase");
    appUserId = (await page.getByTestId("app-user-id").innerText()).trim();
    publicKey = await connectMoojo(page);
    await expect(page.getByTestId("wallet-moojo")).toContainText(appUserId);
  });
  await test.step("link Firebase from the dashboard (her Firebase uid is one of its own): still the first Moojo key", async () => {
    await submitFirebaseLink(page, ADA);
    await expect(page.getByTestId("link-success")).toContainText("is now linked");
    await expect(page.getByTestId("linked-identities")).toContainText("Firebase");
    expect(await connectMoojo(page)).toBe(publicKey);
    await signOut(page);
  });
  await test.step("Firebase next (the linked sign-in): the same app user, still the first Moojo key", async () => {
    await signInWithFirebase(page, ADA);
    await expect(page.getByTestId("linked-identities")).toContainText("Firebase");
    await expect(page.getByTestId("app-user-id")).toHaveText(appUserId);
    expect(await connectMoojo(page)).toBe(publicKey);
    await expect(page.getByTestId("wallet-moojo")).toContainText(appUserId);
    await signOut(page);
  });
  await test.step("OpenID Connect again: still the first Moojo key", async () => {
    await signInWithOidc(page, ADA);
    expect(await connectMoojo(page)).toBe(publicKey);
  });
});
