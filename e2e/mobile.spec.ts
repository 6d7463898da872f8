import { expect, type Page, test } from "@playwright/test";
import { ADA } from "./support/stack";

async function expectNoHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test("sign-in and dashboard fit a phone screen", async ({ page }) => {
  await test.step("sign-in page", async () => {
    await page.goto("/signin");
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await expectNoHorizontalScroll(page);
  });
  await test.step("dashboard after signing in", async () => {
    await page.getByRole("button", { name: "Continue with Local OpenID Provider" }).click();
    const login = page.getByLabel("Password");
    await expect(login.or(page.getByTestId("identity-email"))).toBeVisible();
    if (await login.isVisible()) {
      await page.getByLabel("Email").fill(ADA.email);
      await login.fill(ADA.password);
      await page.getByRole("button", { name: "Continue" }).click();
    }
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("wallet-airkit")).toBeVisible();
    await expectNoHorizontalScroll(page);
  });
});
