// providers: identity/password wallet/turnkey wallet/alchemy wallet/moojo
// A wallet provider that is down (connections dropped) or failing (503): the person sees what
// happened and what to do, nothing half-made is left (no address, no Turnkey key in
// IndexedDB), and once the provider is back a plain retry connects.
import type { Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { readCodeFromMailbox, signUpWithPassword, turnkeyKitKeys } from "./support/flows";
import { WALLET_COUNTERPART_URLS } from "./support/stack";

type Wallet = keyof typeof WALLET_COUNTERPART_URLS;

const CASES: { wallet: Wallet; button: RegExp; down: RegExp; failing: RegExp }[] = [
  {
    wallet: "turnkey",
    button: /connect turnkey/i,
    down: /^Turnkey did not answer\. Check that it is running and try again\.$/,
    failing: /^Turnkey did not answer/,
  },
  {
    wallet: "alchemy",
    button: /connect alchemy/i,
    down: /^Alchemy did not answer\. Check that it is running and try again\.$/,
    failing: /^Alchemy could not complete the sign-in\. Try again in a moment\.$/,
  },
  {
    wallet: "moojo",
    button: /connect moojo/i,
    down: /^Moojo did not answer\. Check that it is running and try again\.$/,
    failing: /^Moojo could not complete the sign-in\. Try again in a moment\.$/,
  },
];

async function setFault(page: Page, wallet: Wallet, mode: "up" | "down" | "error") {
  const response = await page.request.put(`${WALLET_COUNTERPART_URLS[wallet]}/counterpart/v1/fault`, { data: { mode } });
  expect(response.ok(), `set ${wallet} ${mode}`).toBe(true);
}

test.afterEach(async ({ page }) => {
  for (const wallet of Object.keys(WALLET_COUNTERPART_URLS) as Wallet[]) await setFault(page, wallet, "up");
});

test("wallet providers that are down or failing: a clear message, nothing half-made, and a retry works once they are back", async ({
  page,
}) => {
  await signUpWithPassword(page, `outage-${Date.now()}@example.com`);
  for (const c of CASES) {
    const card = page.getByTestId(`wallet-${c.wallet}`);
    for (const [mode, message] of [
      ["down", c.down],
      ["error", c.failing],
    ] as const) {
      await test.step(`${c.wallet} ${mode === "down" ? "is down" : "answers 503"}`, async () => {
        await setFault(page, c.wallet, mode);
        await card.getByRole("button", { name: c.button }).click();
        await expect(card.getByTestId("wallet-error")).toHaveText(message);
        await page.reload();
        await expect(card.getByTestId("account-address")).toHaveCount(0);
        if (c.wallet === "turnkey") expect(await turnkeyKitKeys(page)).toEqual([]);
      });
    }
    await test.step(`${c.wallet} is back: a retry connects`, async () => {
      await setFault(page, c.wallet, "up");
      await card.getByRole("button", { name: c.button }).click();
      await expect(card.getByTestId("account-address")).toHaveText(/^0x/);
    });
  }
});

test("Turnkey down while a code is being verified: the code form stays, so the person can retry with the same code", async ({ page }) => {
  const email = `outage-otp-${Date.now()}@example.com`;
  await signUpWithPassword(page, email);
  const card = page.getByTestId("wallet-turnkey");
  await card.getByRole("button", { name: "Use an email code instead" }).click();
  await expect(card.getByTestId("turnkey-otp")).toBeVisible();
  const code = await readCodeFromMailbox(page.context(), email, /BYO Auth verification code/);
  await card.getByLabel("Code from Turnkey").fill(code);
  await setFault(page, "turnkey", "down");
  await card.getByRole("button", { name: "Verify and connect" }).click();
  await expect(card.getByTestId("wallet-error")).toHaveText(/^Turnkey did not answer/);
  expect(await turnkeyKitKeys(page)).toEqual([]);
  await setFault(page, "turnkey", "up");
  await card.getByRole("button", { name: "Verify and connect" }).click();
  await expect(card.getByTestId("account-address")).toHaveText(/^0x[0-9a-fA-F]{40}$/);
});
