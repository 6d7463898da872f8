// providers: identity/oidc wallet/airkit
import { expect, test } from "./support/test";
import { completeAirKitMfa, connectAirKit, signInWithOidc, signOut, startAirKitConnect } from "./support/flows";
import { ADA, MALLORY, OIDC_URL } from "./support/stack";

test.describe("OpenID Connect → AIR Kit", () => {
  test(
    "sign in on the provider's login page, connect AIR with a code, set up MFA with a passkey, and come back to the same address without either",
    { tag: "@core" },
    async ({ page }) => {
      const seen = new Set<string>();
      let firstAddress = "";

      await test.step("sign in on the OpenID Provider's real login page", async () => {
        await page.goto("/signin");
        await page.getByRole("button", { name: "Continue with Local OpenID Provider" }).click();
        await expect(page).toHaveURL(new RegExp(`^${OIDC_URL}/interaction/`));
        await page.getByLabel("Email").fill(ADA.email);
        await page.getByLabel("Password").fill("wrong password");
        await page.getByRole("button", { name: "Continue" }).click();
        await expect(page.getByText("Wrong email or password.")).toBeVisible();
        await page.getByLabel("Email").fill(ADA.email);
        await page.getByLabel("Password").fill(ADA.password);
        await page.getByRole("button", { name: "Continue" }).click();
        await expect(page).toHaveURL(/\/dashboard$/);
        await expect(page.getByTestId("identity-email")).toHaveText(ADA.email);
      });

      const card = page.getByTestId("wallet-airkit");
      await test.step("connect AIR Kit: the first login asks for a code, and AIR gives out no address before MFA", async () => {
        expect(await startAirKitConnect(page, ADA.email, seen)).toEqual({ askedForCode: true, askedForMfa: true });
        await expect(card.getByTestId("account-address")).toHaveCount(0);
        await expect(card.getByRole("heading", { level: 2 })).toContainText("no address yet");
        await expect(card.getByTestId("awaiting-address")).toContainText("MFA");
        await expect(card.getByTestId("awaiting-address")).toContainText("not set up");
        // The server recorded the verified session: the state is there after a reload too.
        await page.reload();
        await expect(card.getByTestId("awaiting-address")).toContainText("not set up");
        await expect(card.getByRole("button", { name: "Set up MFA" })).toBeVisible();
      });

      await test.step("set up MFA with a passkey: now AIR gives out the address", async () => {
        firstAddress = await completeAirKitMfa(page);
        await expect(card.getByRole("heading", { level: 2 })).toContainText("connected");
        await expect(card.getByTestId("awaiting-address")).toHaveCount(0);
        await expect(card).toContainText("set up (passkey)");
      });

      await test.step("the dashboard shows the partner token the server minted, and both expiries", async () => {
        const token = page.getByTestId("partner-token");
        await page.getByText("Partner token your server sent (decoded)").click();
        await expect(token).toContainText('"typ": "JWT"');
        await expect(token).toContainText('"partnerId": "demo-partner"');
        await expect(token).toContainText(`"email": "${ADA.email}"`);
        const userId = (await page.getByTestId("app-user-id").innerText()).trim();
        await expect(token).toContainText(`"partnerUserId": "${userId}"`);
        await expect(page.getByTestId("wallet-airkit").getByTestId("wallet-expiry")).toContainText(/\d+m \d{2}s/);
        await expect(page.getByTestId("app-session-expiry")).toContainText(/\d+h \d{2}m \d{2}s/);
      });

      await test.step("sign out ends both sessions", async () => {
        await signOut(page);
        await page.goto("/dashboard");
        await expect(page).toHaveURL(/\/signin/);
      });

      await test.step("sign in again: same address, no code, no MFA set-up", async () => {
        await signInWithOidc(page, ADA);
        const again = await connectAirKit(page, ADA.email, seen);
        expect(again).toEqual({ askedForCode: false, askedForMfa: false, address: firstAddress });
      });
    },
  );

  test("an unverified email from the identity provider cannot get an AIR wallet", async ({ page }) => {
    await signInWithOidc(page, MALLORY);
    await page
      .getByTestId("wallet-airkit")
      .getByRole("button", { name: /connect air kit/i })
      .click();
    await expect(page.getByTestId("wallet-airkit").getByTestId("wallet-error")).toContainText("has not verified it");
    await expect(page.getByTestId("wallet-airkit").getByTestId("account-address")).toHaveCount(0);
  });
});
