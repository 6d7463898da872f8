import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumPath } from "./scripts/lib/chromium";

// Debian's Chromium where present (browser downloads fail offline); otherwise Playwright's own.
const executablePath = chromiumPath();
// One stack per variant of the counterparts (packages/counterparts/lib/variant.ts), on its own ports, so a
// running stack of the other variant is never reused by mistake. E2E_PORT_BASE moves the whole
// stack (app on the base, counterparts on base+1…) for running two checkouts side by side.
const variant = process.env.COUNTERPART_VARIANT || "standard";
const portBase = Number(process.env.E2E_PORT_BASE || (variant === "sparse" ? 3300 : 3200));
const APP_URL = `http://localhost:${portBase}`;

export default defineConfig({
  testDir: "e2e",
  // The two-instance suite and the host-routed demo have their own stacks and configs
  // (playwright.multi.config.ts, playwright.demo.config.ts).
  testIgnore: ["multi/**", "demo/**"],
  timeout: 90_000,
  expect: { timeout: 15_000 },
  // One app server, one embedded database: run serially; the suite is short.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  use: {
    baseURL: APP_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [...CHROMIUM_ARGS],
    },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"] }, testIgnore: [/mobile\.spec/, /[\\/](multi|demo)[\\/]/] },
    { name: "phone", use: { ...devices["Pixel 7"] }, testMatch: /mobile\.spec/ },
  ],
  webServer: {
    command: "tsx scripts/stack.ts test",
    env: {
      PORT: String(portBase),
      COUNTERPART_PORT_BASE: String(portBase),
      COUNTERPART_VARIANT: variant,
      DATA_DIR: `.data/e2e-${variant}`,
    },
    url: `${APP_URL}/api/health`,
    timeout: 180_000,
    // Locally, a running `tsx scripts/stack.ts test` is reused (handy for debugging); CI always starts fresh.
    reuseExistingServer: !process.env.CI,
    stdout: "pipe",
    stderr: "pipe",
  },
});
