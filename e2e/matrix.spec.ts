// providers: identity/oidc identity/firebase identity/password identity/supabase wallet/turnkey wallet/alchemy wallet/moojo
// Every identity provider with every wallet provider. AIR Kit with each identity provider is
// covered by its own specs (first-login codes make those flows longer); this file connects
// Turnkey, Alchemy and Moojo from each identity provider, grouped per identity provider.
import type { Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { readCodeFromMailbox, signInWithOidc, signOut, signUpWithPassword } from "./support/flows";
import { GRACE } from "./support/stack";

const WALLETS = [
  { id: "turnkey", button: /connect turnkey/i, address: /^0x[0-9a-fA-F]{40}$/ },
  { id: "alchemy", button: /connect alchemy/i, address: /^0x[0-9a-fA-F]{40}$/ },
  // Moojo's 68-character public key shows shortened (the whole key is copied).
  { id: "moojo", button: /connect moojo/i, address: /^0x0[23][0-9a-fA-F]{6}…[0-9a-fA-F]{8}$/ },
] as const;

async function connectAll(page: Page) {
  for (const w of WALLETS) {
    await test.step(`connect ${w.id}`, async () => {
      const card = page.getByTestId(`wallet-${w.id}`);
      // The same person may still be connected from an earlier test: start from scratch.
      const disconnect = card.getByRole("button", { name: "Disconnect" });
      if (await disconnect.isVisible()) await disconnect.click();
      await card.getByRole("button", { name: w.button }).click();
      await expect(card.getByTestId("account-address")).toHaveText(w.address);
      await expect(card.getByTestId("wallet-expiry")).toContainText(/\d+m \d{2}s/);
    });
  }
}

test("OpenID Connect → Turnkey, Alchemy, Moojo", async ({ page }) => {
  await signInWithOidc(page, GRACE);
  await connectAll(page);
  await signOut(page);
});

test("Firebase → Turnkey, Alchemy, Moojo", async ({ page }) => {
  // A new Firebase account of its own: a seeded person's Firebase sign-in, once used, belongs to
  // its own app user for good, and the specs that link it to their OpenID user (link, moojo,
  // firebase-supabase) would then depend on running first.
  await page.goto("/signin");
  await page.getByRole("button", { name: "Continue with Firebase" }).click();
  const form = page.getByTestId("firebase-form");
  await form.getByRole("button", { name: "No Firebase account? Create one" }).click();
  await form.getByLabel("Email").fill(`mx-fb-${Date.now()}@example.com`);
  await form.getByLabel("Password").fill("firebase-pass-123");
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await connectAll(page);
  await signOut(page);
});

test("Email and password → Turnkey, Alchemy, Moojo", async ({ page }) => {
  await signUpWithPassword(page, `mx-pw-${Date.now()}@example.com`);
  await connectAll(page);
  await signOut(page);
});

test("Supabase → Turnkey, Alchemy, Moojo", async ({ page }) => {
  const email = `mx-sb-${Date.now()}@example.com`;
  await page.goto("/signin");
  await page.getByRole("button", { name: "Continue with Supabase" }).click();
  const form = page.getByTestId("supabase-form");
  await form.getByRole("button", { name: "Email me a code instead" }).click();
  await form.getByLabel("Email").fill(email);
  await form.getByRole("button", { name: "Email me a code" }).click();
  await form.getByLabel("6-digit code").fill(await readCodeFromMailbox(page.context(), email, /sign-in code/i));
  await form.getByRole("button", { name: "Verify code" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await connectAll(page);
  await signOut(page);
});
