// providers: identity/oidc wallet/airkit
import type { Page } from "@playwright/test";
import { expect, test } from "./support/test";
import { signInWithOidc } from "./support/flows";
import { ADA } from "./support/stack";

async function expectNoHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test("sign-in and dashboard fit a phone screen", async ({ page }) => {
  await test.step("sign-in page", async () => {
    await page.goto("/signin");
    await expect(page.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();
    await expectNoHorizontalScroll(page);
  });
  await test.step("dashboard after signing in", async () => {
    await signInWithOidc(page, ADA);
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("wallet-airkit")).toBeVisible();
    await expectNoHorizontalScroll(page);
  });
});
