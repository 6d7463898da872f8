import { test as base, expect } from "@playwright/test";

/**
 * Playwright's `test`, plus a guard: any Content-Security-Policy violation reported in a page's
 * console fails the test, so a policy change that breaks a provider's SDK cannot pass silently.
 * A test that provokes a violation on purpose sets `allowCspViolations`.
 */
export const test = base.extend<{ allowCspViolations: boolean; cspGuard: void }>({
  allowCspViolations: [false, { option: true }],
  cspGuard: [
    async ({ context, allowCspViolations }, use) => {
      const violations: string[] = [];
      const watch = (page: import("@playwright/test").Page) =>
        page.on("console", (message) => {
          if (/Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
        });
      context.pages().forEach(watch);
      context.on("page", watch);
      await use();
      if (!allowCspViolations) expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
