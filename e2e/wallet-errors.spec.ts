// providers: identity/oidc wallet/alchemy
import { expect, test } from "./support/test";
import { signInWithOidc } from "./support/flows";
import { ADA } from "./support/stack";

test("a wallet provider that refuses shows a clear message and leaves no half-made wallet", async ({ page }) => {
  await signInWithOidc(page, ADA);
  const card = page.getByTestId("wallet-alchemy");
  const disconnect = card.getByRole("button", { name: "Disconnect" });
  if (await disconnect.isVisible()) await disconnect.click();

  await test.step("a tampered stamp: Alchemy refuses the whoami", async () => {
    await page.route("**/api/wallets/alchemy/whoami", async (route) => {
      const body = route.request().postDataJSON() as { stampedRequest: { body: string } };
      body.stampedRequest.body = body.stampedRequest.body.replace("}", ',"x":1}');
      await route.continue({ postData: JSON.stringify(body) });
    });
    await card.getByRole("button", { name: /connect alchemy/i }).click();
    await expect(card.getByTestId("wallet-error")).toHaveText(/Alchemy refused the sign-in/);
    await expect(card.getByTestId("wallet-error")).not.toContainText(/stamp_|Error:|at /);
  });

  await test.step("after a reload nothing is shown as connected; a clean retry works", async () => {
    await page.unroute("**/api/wallets/alchemy/whoami");
    await page.reload();
    await expect(card.getByTestId("account-address")).toHaveCount(0);
    await card.getByRole("button", { name: /connect alchemy/i }).click();
    await expect(card.getByTestId("account-address")).toHaveText(/^0x[0-9a-fA-F]{40}$/);
  });
});
