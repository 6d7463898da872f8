// Runs before the browser tests (and before the production build they need), so a machine with
// no browser learns it in one line instead of from dozens of failed tests.
import { findChromium } from "./lib/chromium";

const found = findChromium();
if ("missing" in found) {
  console.error(
    `Browser tests need Chromium: ${found.missing}. Install one with \`sudo apt-get install -y chromium\` (Debian/Ubuntu), ` +
      "or `npx playwright install chromium` where downloads work, or set CHROMIUM_PATH to a Chromium or Chrome binary.",
  );
  process.exit(1);
}
console.log(`Browser tests use ${found.path}`);
