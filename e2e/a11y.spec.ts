// providers: identity/oidc identity/firebase wallet/airkit
import { expect, test } from "./support/test";
import { expectAccessible } from "./support/a11y";
import { signInWithOidc, signUpWithPassword } from "./support/flows";
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

      test("dashboard with a connected wallet, each code step, and the session-ended state", async ({ page }) => {
        // A person of their own (signed up by email and password) for each scheme and width.
        await signUpWithPassword(page, `a11y-${size.name}-${colorScheme}-${Date.now()}@example.com`);
        const alchemy = page.getByTestId("wallet-alchemy");
        await alchemy.getByRole("button", { name: "Connect Alchemy" }).click();
        await expect(alchemy.getByTestId("account-address")).toBeVisible();
        await expect(page.getByTestId("announcer")).toHaveText("Alchemy Smart Wallets connected");
        await expectAccessible(page, "dashboard, Alchemy connected");

        await page.getByTestId("wallet-turnkey").getByRole("button", { name: "Use an email code instead" }).click();
        await expect(page.getByLabel("Code from Turnkey")).toBeFocused();
        await page.getByTestId("wallet-airkit").getByRole("button", { name: "Connect AIR Kit" }).click();
        await expect(page.getByLabel("Code from AIR Kit")).toBeFocused();
        await expectAccessible(page, "dashboard, Turnkey's and AIR Kit's code steps");

        await page.context().clearCookies();
        await alchemy.getByRole("button", { name: "Sign a test message" }).click();
        await expect(page.getByTestId("session-ended")).toBeVisible();
        await expectAccessible(page, "dashboard, session ended");
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

// The narrowest phone the layout is made for: nothing wider than the screen, so nothing to
// scroll sideways, on the sign-in page (every form open) and on a dashboard with a live card.
test.describe("at 360 px", () => {
  test.use({ viewport: { width: 360, height: 740 } });
  const scrollWidth = (page: import("@playwright/test").Page) => page.evaluate(() => document.documentElement.scrollWidth);

  test("no horizontal scrolling on /signin and /dashboard", async ({ page }) => {
    await page.goto("/signin");
    const opener = page.locator('button[type="button"]', { hasText: /^Continue with / });
    const count = await opener.count();
    for (let open = 1; open <= count; open++) {
      await opener.first().click();
      // Wait for the option to open before the next click (its form may load an SDK first).
      await expect(opener).toHaveCount(count - open);
    }
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);

    await signUpWithPassword(page, `narrow-${Date.now()}@example.com`);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    const alchemy = page.getByTestId("wallet-alchemy");
    await alchemy.getByRole("button", { name: "Connect Alchemy" }).click();
    await expect(alchemy.getByTestId("account-address")).toBeVisible();
    // Every folded document open: decoded tokens are the widest things on the page.
    for (const summary of await page.locator("details > summary").all()) await summary.click();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
  });
});
