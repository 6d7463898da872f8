// Which Chromium the browser tests drive: CHROMIUM_PATH if set, else the system's (Debian's
// `chromium`, since browser downloads fail offline), else Playwright's own download.
import { accessSync, constants } from "node:fs";
import { chromium } from "@playwright/test";

const SYSTEM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

const runnable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The launch flags every Playwright config uses: Debian's Chromium as root in a container
 * (no sandbox, no GPU, small /dev/shm) and nothing that phones home (offline machines).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

/** The path to launch, or undefined to let Playwright use its own download. */
export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return SYSTEM_PATHS.find(runnable);
}

/** A browser the tests can start, or null with the reason. */
export function findChromium(): { path: string } | { missing: string } {
  const path = chromiumPath() ?? chromium.executablePath();
  if (runnable(path)) return { path };
  return {
    missing: process.env.CHROMIUM_PATH ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable file` : "no Chromium found",
  };
}
