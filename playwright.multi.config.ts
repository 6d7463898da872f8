import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumPath } from "./scripts/lib/chromium";

// Several instances: two production app servers on one real PostgreSQL, behind a round-robin
// balancer (scripts/multi-stack.ts). Separate from playwright.config.ts so the single-instance
// suite stays as it is. E2E_PORT_BASE moves the whole stack (default 3400).
const executablePath = chromiumPath();
const portBase = Number(process.env.E2E_PORT_BASE || 3400);
// The tests' own view of the stack (e2e/support/stack.ts: the OpenID Provider's and the
// mailbox's URLs) derives from the same variable: workers inherit it from here.
process.env.E2E_PORT_BASE = String(portBase);

export default defineConfig({
  testDir: "e2e/multi",
  timeout: 180_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: process.env.CI ? [["list"], ["html", { open: "never", outputFolder: "playwright-report-multi" }]] : [["list"]],
  use: {
    baseURL: `http://localhost:${portBase}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [...CHROMIUM_ARGS],
    },
  },
  projects: [{ name: "multi", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: "tsx scripts/multi-stack.ts",
    env: { E2E_PORT_BASE: String(portBase) },
    url: `http://localhost:${portBase}/api/ready`,
    timeout: 180_000,
    reuseExistingServer: !process.env.CI,
    stdout: "pipe",
    stderr: "pipe",
  },
});
