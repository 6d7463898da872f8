import type { Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { signInWithFirebase, signInWithOidc, signOut } from "./support/flows";
import { ADA } from "./support/stack";

async function connectMoojo(page: Page): Promise<string> {
  const wallet = page.getByTestId("wallet-moojo");
  await wallet.getByRole("button", { name: /connect moojo/i }).click();
  const key = wallet.getByTestId("account-address");
  await expect(key).toHaveText(/^0x0[23][0-9a-fA-F]{64}$/);
  await expect(wallet.getByTestId("wallet-expiry")).toContainText(/1h 5\d m|1h \d{2}m \d{2}s/);
  return (await key.innerText()).trim();
}

test("Moojo: a Firebase user's own ID token, and an OpenID user through the bridge, reach the same Moojo user", { tag: "@core" }, async ({ page }) => {
  let publicKey = "";
  await test.step("Firebase → Moojo with the user's Firebase ID token", async () => {
    await signInWithFirebase(page, ADA);
    publicKey = await connectMoojo(page);
    await signOut(page);
  });
  await test.step("OpenID Connect → Moojo through the custom-token bridge: same linked person, same key", async () => {
    await signInWithOidc(page, ADA);
    await expect(page.getByTestId("linked-identities")).toContainText("Firebase");
    expect(await connectMoojo(page)).toBe(publicKey);
  });
});
