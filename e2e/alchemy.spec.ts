// providers: identity/oidc identity/password wallet/alchemy
import { createHash } from "node:crypto";
import { expect, test } from "./support/test";
import { signInWithOidc, signOut, signUpWithPassword } from "./support/flows";
import { GRACE, COUNTERPART_VARIANT } from "./support/stack";

test(
  "Alchemy: the server's RS256 ID token → a bundle only this browser opens → a stamped whoami; same signer next time",
  { tag: "@core" },
  async ({ page }) => {
    const wallet = page.getByTestId("wallet-alchemy");
    let address = "";
    await test.step("connect Alchemy from an OpenID Connect session", async () => {
      await signInWithOidc(page, GRACE);
      const sent = page.waitForRequest((request) => request.url().endsWith("/api/wallets/alchemy/auth-jwt"));
      await wallet.getByRole("button", { name: /connect alchemy/i }).click();
      // The target key in the form Alchemy's signer client sends it: uncompressed, lowercase, no 0x.
      const { targetPublicKey } = (await sent).postDataJSON() as { targetPublicKey: string };
      expect(targetPublicKey).toMatch(/^04[0-9a-f]{128}$/);
      await expect(wallet.getByTestId("account-address")).toHaveText(/^0x[0-9a-fA-F]{40}$/);
      // A Solana address Alchemy answered null for (the sparse counterpart) shows as missing, not "null".
      await expect(wallet).toContainText(
        COUNTERPART_VARIANT === "sparse" ? /Solana address\s*not returned by Alchemy/ : /Solana address\s*[1-9A-HJ-NP-Za-km-z]{32,44}/,
      );
      await expect(wallet).not.toContainText("null");
      await expect(wallet.getByTestId("wallet-expiry")).toContainText(/1[45]m \d{2}s/);
      await wallet.getByText("Partner token your server sent (decoded)").click();
      await expect(wallet.getByTestId("partner-token")).toContainText('"alg": "RS256"');
      await expect(wallet.getByTestId("partner-token")).toContainText('"aud": "byo-demo-project"');
      // The nonce is the SHA-256 of exactly the key text sent.
      await expect(wallet.getByTestId("partner-token")).toContainText(
        `"nonce": "${createHash("sha256").update(targetPublicKey, "utf8").digest("hex")}"`,
      );
      address = (await wallet.getByTestId("account-address").innerText()).trim();
      await signOut(page);
    });
    await test.step("a new login (new browser key) reaches the same signer", async () => {
      await signInWithOidc(page, GRACE);
      await wallet.getByRole("button", { name: /connect alchemy/i }).click();
      await expect(wallet.getByTestId("account-address")).toHaveText(address);
    });
  },
);

test("Alchemy pre-generation: auth-jwt without a target key reserves the address, with no session; connecting later gets that same address", async ({
  page,
}) => {
  const wallet = page.getByTestId("wallet-alchemy");
  await signUpWithPassword(page, `al-pre-${Date.now()}@example.com`);
  let reserved = "";
  await test.step("pre-generate: an address, but nothing connected", async () => {
    await wallet.getByRole("button", { name: "Pre-generate the address only" }).click();
    await expect(wallet.getByTestId("pregenerated-address")).toHaveText(/^0x[0-9a-fA-F]{40}$/);
    await expect(wallet.getByTestId("account-address")).toHaveCount(0);
    await expect(wallet.getByTestId("wallet-expiry")).toHaveCount(0);
    await expect(wallet.getByTestId("pregenerated")).toContainText("Solana address");
    reserved = (await wallet.getByTestId("pregenerated-address").innerText()).trim();
    // No key to bind: the nonce is 16 random bytes (32 hex), not a key's SHA-256 (64 hex).
    await wallet.getByText("Partner token your server sent (decoded)").click();
    await expect(wallet.getByTestId("partner-token")).toContainText(/"nonce": "[0-9a-f]{32}"/);
  });
  await test.step("pre-generating again is idempotent", async () => {
    await page.reload();
    await wallet.getByRole("button", { name: "Pre-generate the address only" }).click();
    await expect(wallet.getByTestId("pregenerated-address")).toHaveText(reserved);
  });
  await test.step("connecting later logs in to that same wallet", async () => {
    await wallet.getByRole("button", { name: /connect alchemy/i }).click();
    await expect(wallet.getByTestId("account-address")).toHaveText(reserved);
    await expect(wallet.getByTestId("pregenerated")).toHaveCount(0);
  });
});
