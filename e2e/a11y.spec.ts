// providers: identity/oidc identity/firebase wallet/airkit
import { expect, test } from "./support/test";
import { expectAccessible } from "./support/a11y";
import { signInWithOidc } from "./support/flows";
import { ADA } from "./support/stack";

// Every page state below is checked against WCAG 2.2 AA with axe, in both colour schemes (the
// app follows the system's) and at a desktop and a phone width.
const SCHEMES = ["light", "dark"] as const;
const WIDTHS = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

for (const size of WIDTHS) {
  for (const colorScheme of SCHEMES) {
    test.describe(`${size.name}, ${colorScheme}`, () => {
      test.use({ viewport: { width: size.width, height: size.height }, colorScheme });

      test("home and sign-in pages, with each sign-in form open", async ({ page }) => {
        await page.goto("/");
        await expectAccessible(page, "home");
        await page.goto("/signin");
        await expect(page.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();
        await expectAccessible(page, "sign-in");
        // Each collapsed browser sign-in (Firebase, Supabase, …) opened in turn; redirect
        // providers' buttons are submit buttons and stay. Opening one focuses its first field.
        const opener = page.locator('button[type="button"]', { hasText: /^Continue with / });
        const count = await opener.count();
        expect(count).toBeGreaterThan(0);
        for (let i = 0; i < count; i++) {
          await opener.first().click();
          await expect(page.locator("input:focus")).toHaveCount(1);
        }
        await expectAccessible(page, "sign-in, forms open");
        await page.goto("/signin?error=AccessDenied");
        await expectAccessible(page, "sign-in, error");
      });

      test("dashboard of a signed-in person with no wallet yet", async ({ page }) => {
        await signInWithOidc(page, ADA);
        await expect(page).toHaveURL(/\/dashboard$/);
        await expect(page.getByTestId("wallet-airkit")).toBeVisible();
        await expectAccessible(page, "dashboard");
      });
    });
  }
}

test("the first Tab offers a skip link that moves focus to the page's content", async ({ page }) => {
  await page.goto("/signin");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
});
