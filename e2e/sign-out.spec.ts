// providers: identity/oidc
import { expect, test } from "./support/test";
import { signInWithOidc, signOut } from "./support/flows";
import { ADA, GRACE, OIDC_URL } from "./support/stack";

test.describe("Sign-out on a shared computer", () => {
  test("signing out ends the OpenID Provider's session too, so the next person signs in as themselves", async ({ page }) => {
    await test.step("Ada signs in with the Local OpenID Provider", async () => {
      await signInWithOidc(page, ADA);
      await expect(page.getByTestId("identity-email")).toHaveText(ADA.email);
    });

    await test.step("she signs out: the app sends the browser to the provider's logout, and says what was ended", async () => {
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL((url) => url.href.startsWith(OIDC_URL));
      const logout = new URL(page.url());
      expect(logout.searchParams.get("id_token_hint")).toMatch(/^eyJ/);
      expect(logout.searchParams.get("post_logout_redirect_uri")).toMatch(/\/signin$/);
      await page.getByRole("button", { name: "Yes, sign me out" }).click();
      await expect(page).toHaveURL(/\/signin\?state=signed_out$/);
      await expect(page.getByText("You are signed out of the app, of your wallet, and of Local OpenID Provider.")).toBeVisible();
    });

    await test.step("the next person is asked for credentials, not signed in as Ada", async () => {
      await page.getByRole("button", { name: "Continue with Local OpenID Provider" }).click();
      await page.waitForURL((url) => url.href.startsWith(OIDC_URL) || url.pathname === "/dashboard");
      expect(new URL(page.url()).pathname, "the provider must show its login page").not.toBe("/dashboard");
      await page.getByLabel("Email").fill(GRACE.email);
      await page.getByLabel("Password").fill(GRACE.password);
      await page.getByRole("button", { name: "Continue" }).click();
      await expect(page).toHaveURL(/\/dashboard$/);
      await expect(page.getByTestId("identity-email")).toHaveText(GRACE.email);
    });
  });

  test("even when the person declines the provider's logout, the next sign-in asks for credentials (prompt=login)", async ({ page }) => {
    await signInWithOidc(page, ADA);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.href.startsWith(OIDC_URL));
    await page.getByRole("button", { name: "No, stay signed in" }).click();
    await page.goto("/signin");
    const authorize = page.waitForRequest((request) => request.url().startsWith(`${OIDC_URL}/auth`));
    await page.getByRole("button", { name: "Continue with Local OpenID Provider" }).click();
    expect(new URL((await authorize).url()).searchParams.get("prompt")).toBe("login");
    await expect(page.getByLabel("Password")).toBeVisible();
  });

  test("a cross-site page cannot sign anyone out", async ({ request }) => {
    const response = await request.post("/api/session/sign-out", { headers: { origin: "https://evil.example" } });
    expect(response.status()).toBe(403);
    expect((await response.json()).error.code).toBe("bad_origin");
  });

  test("the helper used across the suite still works", async ({ page }) => {
    await signInWithOidc(page, GRACE);
    await signOut(page);
  });
});
