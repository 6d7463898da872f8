import { expect, test } from "@playwright/test";
import { signInWithOidc, signOut } from "./support/flows";
import { GRACE } from "./support/stack";

test("Alchemy: the server's RS256 ID token → a bundle only this browser opens → a stamped whoami; same signer next time", async ({ page }) => {
  const wallet = page.getByTestId("wallet-alchemy");
  let address = "";
  await test.step("connect Alchemy from an OpenID Connect session", async () => {
    await signInWithOidc(page, GRACE);
    await wallet.getByRole("button", { name: /connect alchemy/i }).click();
    await expect(wallet.getByTestId("account-address")).toHaveText(/^0x[0-9a-fA-F]{40}$/);
    await expect(wallet).toContainText(/Solana address/);
    await expect(wallet.getByTestId("wallet-expiry")).toContainText(/1[45]m \d{2}s/);
    await wallet.getByText("Partner token your server sent (decoded)").click();
    await expect(wallet.getByTestId("partner-token")).toContainText('"alg": "RS256"');
    await expect(wallet.getByTestId("partner-token")).toContainText('"aud": "byo-demo-project"');
    address = (await wallet.getByTestId("account-address").innerText()).trim();
    await signOut(page);
  });
  await test.step("a new login (new browser key) reaches the same signer", async () => {
    await signInWithOidc(page, GRACE);
    await wallet.getByRole("button", { name: /connect alchemy/i }).click();
    await expect(wallet.getByTestId("account-address")).toHaveText(address);
  });
});
