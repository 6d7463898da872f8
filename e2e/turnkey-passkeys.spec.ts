// providers: identity/password wallet/turnkey
// Turnkey the way the "Advanced backend authentication" guide pairs the app's backend with the
// Embedded Wallet Kit: a wallet created with a passkey (Chromium's virtual authenticator), a
// passkey login (the kit's stamp_login, stamped by the passkey), signing with the kit, and a
// short session that the kit renews before it ends, then lets expire.
import type { Page } from "@playwright/test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { expect, test } from "./support/test";
import { addVirtualAuthenticator, signOut, signUpWithPassword, turnkeyKitKeys } from "./support/flows";
import { APP_URL, WALLET_COUNTERPART_URLS } from "./support/stack";

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** A state-changing call to the app's API with this browser's session cookies. */
const post = (page: Page, path: string, data: unknown) => page.request.post(path, { data, headers: { origin: APP_URL } });

test(
  "Turnkey passkeys: create a wallet with a passkey, sign a test message with the kit, log in again with the passkey; nobody else's passkey opens a card",
  { tag: "@core" },
  async ({ page }) => {
    const card = page.getByTestId("wallet-turnkey");
    await signUpWithPassword(page, `tk-passkey-${Date.now()}@example.com`);
    await addVirtualAuthenticator(page);

    let address = "";
    await test.step("create a wallet with a passkey: the server creates the sub-organization with its attestation, the sign-up key logs this browser in", async () => {
      await card.getByRole("button", { name: "Create a wallet with a passkey" }).click();
      await expect(card.getByTestId("account-address")).toHaveText(ADDRESS);
      await expect(card).toContainText("passkey (stamp_login)");
      await expect(card.getByTestId("turnkey-session-ends")).toContainText(/1[45]m \d{2}s/);
      address = (await card.getByTestId("account-address").innerText()).trim();
      // The 60-second sign-up key is gone; only the session's key is kept, and it cannot be exported.
      const keys = await turnkeyKitKeys(page);
      expect(keys).toHaveLength(1);
      expect(keys[0]!.extractable).toBe(false);
    });

    await test.step("sign a test message with the kit's signMessage: the server recovers this card's address", async () => {
      const verify = page.waitForRequest((request) => request.url().endsWith("/api/wallets/turnkey/sign-verify"));
      await card.getByRole("button", { name: "Sign a test message" }).click();
      const sent = (await verify).postDataJSON() as { nonce: string; signature: string };
      await expect(card.getByTestId("sign-result")).toContainText("Signature verified");
      await expect(card.getByTestId("sign-address")).toHaveText(address);
      await expect(card.getByTestId("sign-signature")).toHaveText(sent.signature.toLowerCase());
    });

    await test.step("a signature of the server's message by another key is refused, naming the signer", async () => {
      const challenge = (await (await post(page, "/api/wallets/turnkey/sign-challenge", {})).json()) as {
        nonce: string;
        message: string;
        address: string;
      };
      expect(challenge.address.toLowerCase()).toBe(address.toLowerCase());
      const stranger = privateKeyToAccount(generatePrivateKey());
      const response = await post(page, "/api/wallets/turnkey/sign-verify", {
        nonce: challenge.nonce,
        signature: await stranger.signMessage({ message: challenge.message }),
      });
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect([response.status(), body.error.code]).toEqual([400, "signature_wrong_signer"]);
      expect(body.error.message).toContain(stranger.address);
    });

    await test.step("after disconnecting, a second wallet is neither offered nor accepted before any passkey is made, and the passkey logs in to the same wallet", async () => {
      await card.getByRole("button", { name: "Disconnect" }).click();
      await expect(card.getByRole("button", { name: "Log in with a passkey" })).toBeVisible();
      expect(await turnkeyKitKeys(page)).toEqual([]);
      // The card knows this wallet (the previous wallets): it offers Reconnect, not a second wallet.
      await expect(card.getByTestId("previous-address")).toHaveText(address);
      await expect(card.getByRole("button", { name: "Create a wallet with a passkey" })).toHaveCount(0);
      // And the server refuses one anyway, before any passkey is made.
      const precheck = await post(page, "/api/wallets/turnkey/passkey-precheck", {});
      const refused = (await precheck.json()) as { error: { code: string; message: string } };
      expect([precheck.status(), refused.error.code]).toEqual([409, "wallet_exists"]);
      expect(refused.error.message).toMatch(/^You already have a Turnkey wallet\./);
      await card.getByRole("button", { name: "Log in with a passkey" }).click();
      await expect(card.getByTestId("account-address")).toHaveText(address);
      await expect(card).toContainText("passkey (stamp_login)");
    });

    await test.step("someone else signed in on this device: the passkey logs in to its own wallet, which is not theirs, and nothing is kept", async () => {
      await signOut(page);
      await signUpWithPassword(page, `tk-passkey-other-${Date.now()}@example.com`);
      await card.getByRole("button", { name: "Log in with a passkey" }).click();
      await expect(card.getByTestId("wallet-error")).toHaveText("You have no Turnkey wallet yet. Create one with a passkey first.");
      await expect(card.getByTestId("account-address")).toHaveCount(0);
      expect(await turnkeyKitKeys(page)).toEqual([]);
    });
  },
);

test("Turnkey session: a short session is renewed by the kit before it ends and the card shows it; when renewing fails it expires and offers to reconnect", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const card = page.getByTestId("wallet-turnkey");
  const turnkey = WALLET_COUNTERPART_URLS.turnkey;
  // The counterpart's test-only cap (packages/counterparts/turnkey/service.ts): 75-s sessions, which the
  // kit renews 60 s before they end, so 15 s after each login.
  expect((await page.request.put(`${turnkey}/counterpart/v1/session-cap`, { data: { seconds: 75 } })).ok()).toBe(true);
  try {
    await signUpWithPassword(page, `tk-refresh-${Date.now()}@example.com`);
    await test.step("connect: the session ends in about 75 s, on the card and in the kit", async () => {
      await card.getByRole("button", { name: /connect turnkey/i }).click();
      await expect(card.getByTestId("account-address")).toHaveText(ADDRESS);
      await expect(card.getByTestId("wallet-expiry")).toContainText(/^1m [01]\d s|^1m 1\ds/);
      await expect(card.getByTestId("turnkey-session-ends")).toContainText(/^1m [01]\ds/);
    });
    await test.step("the kit renews the session before it ends (stamp_login by the live key); the server records the new end", async () => {
      await expect(card.getByTestId("turnkey-session-refreshed")).toContainText(/^Refreshed at .+, now ends at .+\.$/, { timeout: 45_000 });
      await expect(card).toContainText("Session refreshed");
      await expect(card.getByTestId("turnkey-session-error")).toHaveCount(0);
      // Still signs with the renewed session.
      await card.getByRole("button", { name: "Sign a test message" }).click();
      await expect(card.getByTestId("sign-result")).toContainText("Signature verified");
    });
    await test.step("Turnkey is unreachable, so the next renewal fails: the session ends, the card says so and offers to reconnect", async () => {
      expect((await page.request.put(`${turnkey}/counterpart/v1/fault`, { data: { mode: "down" } })).ok()).toBe(true);
      await expect(card.getByText("session expired")).toBeVisible({ timeout: 100_000 });
      await expect(card.getByRole("button", { name: "Reconnect Turnkey" })).toBeVisible();
    });
    await test.step("once Turnkey is back, reconnecting works", async () => {
      expect((await page.request.put(`${turnkey}/counterpart/v1/fault`, { data: { mode: "up" } })).ok()).toBe(true);
      await card.getByRole("button", { name: "Reconnect Turnkey" }).click();
      await expect(card.getByText("connected", { exact: true })).toBeVisible();
    });
  } finally {
    await page.request.put(`${turnkey}/counterpart/v1/fault`, { data: { mode: "up" } });
    await page.request.put(`${turnkey}/counterpart/v1/session-cap`, { data: { seconds: null } });
  }
});
