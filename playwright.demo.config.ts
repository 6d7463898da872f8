import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumPath } from "./scripts/lib/chromium";
import { testCertificate } from "./scripts/test/tls";

// The host-routed demo, as strangers reach it on a real host: one public https origin, TLS ended
// by a proxy in front (scripts/test/tls.ts, in place of Caddy or a host's router), one port for
// everything behind it: the app on https://demo.localhost:<port> and each browser-facing
// counterpart on <name>.demo.localhost:<port>, routed by the front proxy
// (packages/counterparts/front). Chromium resolves every *.localhost name to loopback itself,
// so no DNS or hosts file is involved. E2E_PORT_BASE moves it (default 3900: TLS; the front
// proxy on 3901, the app and counterparts on 3910…3918, which the browser must never see).
const executablePath = chromiumPath();
const portBase = Number(process.env.E2E_PORT_BASE || 3900);
const PUBLIC_URL = `https://demo.localhost:${portBase}`;
const TLS_DIR = ".data/e2e-demo-tls";
// The tests' own view of the stack (e2e/support/stack.ts) derives from these: workers inherit them.
process.env.E2E_PORT_BASE = String(portBase);
process.env.E2E_PUBLIC_URL = PUBLIC_URL;
const certificate = await testCertificate(TLS_DIR, new URL(PUBLIC_URL).hostname);

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
        ...CHROMIUM_ARGS,
        // Trust the run's own certificate, and only it: pages are secure contexts without
        // certificate errors (which would turn off WebAuthn, for one).
        `--ignore-certificate-errors-spki-list=${certificate.spki}`,
      ],
    },
  },
  projects: [{ name: "demo", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    // The test stack (fresh data, configuration from no .env file) with the demo's host routing,
    // behind TLS. X-Forwarded-For from the TLS proxy names the client (the https default).
    command: "tsx scripts/test/demo-behind-tls.ts",
    env: {
      TLS_PORT: String(portBase),
      TLS_DIR,
      PORT: String(portBase + 1),
      COUNTERPART_PORT_BASE: String(portBase + 10),
      DEMO_PUBLIC_URL: PUBLIC_URL,
      DATA_DIR: ".data/e2e-demo",
    },
    // TLS opens its port last, once the app answers behind the front proxy.
    port: portBase,
    timeout: 180_000,
    reuseExistingServer: !process.env.CI,
    stdout: "pipe",
    stderr: "pipe",
  },
});
