import { defineConfig, devices } from "@playwright/test";
import { chromiumPath } from "./scripts/lib/chromium";

// The host-routed demo, as strangers reach it: one public origin (DEMO_PUBLIC_URL), one
// listening port, the app on http://demo.localhost:<port> and each browser-facing counterpart
// on <name>.demo.localhost:<port>, behind the front proxy (packages/counterparts/front).
// Chromium resolves every *.localhost name to loopback itself, so no DNS or hosts file is
// involved. E2E_PORT_BASE moves it (default 3900: front proxy; the app and counterparts on
// 3910…3918, which the browser must never see).
const executablePath = chromiumPath();
const portBase = Number(process.env.E2E_PORT_BASE || 3900);
const PUBLIC_URL = `http://demo.localhost:${portBase}`;
// The tests' own view of the stack (e2e/support/stack.ts) derives from these: workers inherit them.
process.env.E2E_PORT_BASE = String(portBase);
process.env.E2E_PUBLIC_URL = PUBLIC_URL;

export default defineConfig({
  testDir: "e2e/demo",
  timeout: 120_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: process.env.CI ? [["list"], ["html", { open: "never", outputFolder: "playwright-report-demo" }]] : [["list"]],
  use: {
    baseURL: PUBLIC_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "demo", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    // The test stack (fresh data, configuration from no .env file) with the demo's host routing.
    command: "tsx scripts/stack.ts test",
    env: {
      PORT: String(portBase),
      COUNTERPART_PORT_BASE: String(portBase + 10),
      DEMO_PUBLIC_URL: PUBLIC_URL,
      DATA_DIR: ".data/e2e-demo",
    },
    // The front proxy opens its port only once the app answers behind it (scripts/lib/stack.ts).
    port: portBase,
    timeout: 180_000,
    reuseExistingServer: !process.env.CI,
    stdout: "pipe",
    stderr: "pipe",
  },
});
