import { expect, test } from "@playwright/test";
import { signInWithOidc, signOut } from "./support/flows";
import { ADA } from "./support/stack";

test("Turnkey: sub-organization, nonce-bound oauth_login, a stamped whoami from the browser's key; same wallet next time", async ({ page }) => {
  const wallet = page.getByTestId("wallet-turnkey");
  let address = "";
  await test.step("connect Turnkey", async () => {
    await signInWithOidc(page, ADA);
    await wallet.getByRole("button", { name: /connect turnkey/i }).click();
    await expect(wallet.getByTestId("account-address")).toHaveText(/^0x[0-9a-fA-F]{40}$/);
    await expect(wallet).toContainText("Solana address");
    await expect(wallet.getByTestId("wallet-expiry")).toContainText(/1[45]m \d{2}s/);
    address = (await wallet.getByTestId("account-address").innerText()).trim();
    // The browser's key is in IndexedDB and cannot be exported.
    const extractable = await page.evaluate(
      () =>
        new Promise<boolean | null>((resolve) => {
          const open = indexedDB.open("byo-turnkey", 1);
          open.onsuccess = () => {
            const get = open.result.transaction("keys").objectStore("keys").get("session");
            get.onsuccess = () => resolve((get.result as CryptoKeyPair | undefined)?.privateKey.extractable ?? null);
          };
        }),
    );
    expect(extractable).toBe(false);
    await signOut(page);
  });
  await test.step("a new login with a new key reaches the same sub-organization and wallet", async () => {
    await signInWithOidc(page, ADA);
    await wallet.getByRole("button", { name: /connect turnkey/i }).click();
    await expect(wallet.getByTestId("account-address")).toHaveText(address);
  });
});
