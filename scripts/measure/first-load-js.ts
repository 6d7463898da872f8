// First-load JavaScript of the sign-in page and the dashboard, as a browser loads them from
// the production build (`next build` first), and what opening Firebase or Supabase adds.
// Starts the test stack (ports 3200-3205), signs in on the local OpenID Provider.
//
//   npx next build && npx tsx scripts/measure/first-load-js.ts
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { chromium, type Page } from "@playwright/test";

const APP = "http://localhost:3200";
const stack = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/stack.ts", "test"], { stdio: "ignore", detached: true });
const stop = () => {
  try {
    process.kill(-stack.pid!, "SIGTERM");
  } catch {
    // already gone
  }
};
process.on("exit", stop);

for (let i = 0; ; i++) {
  if (i > 240) throw new Error("the test stack did not start");
  if (
    await fetch(`${APP}/api/health`).then(
      (r) => r.ok,
      () => false,
    )
  )
    break;
  await new Promise((r) => setTimeout(r, 500));
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined),
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
});
const page = await browser.newPage();
const seen = new Map<string, number>();
page.on("response", async (response) => {
  if (!response.url().startsWith(APP) || !response.url().endsWith(".js")) return;
  const body = await response.body().catch(() => null);
  if (body) seen.set(response.url(), gzipSync(body).length);
});

async function measure(label: string, action: (p: Page) => Promise<void>) {
  const before = new Set(seen.keys());
  await action(page);
  await page.waitForLoadState("networkidle");
  const added = [...seen].filter(([url]) => !before.has(url));
  const kb = added.reduce((sum, [, size]) => sum + size, 0) / 1024;
  console.log(`${label.padEnd(44)} ${kb.toFixed(1).padStart(7)} kB gzip in ${added.length} files`);
}

await measure("/signin, first load", (p) => p.goto(`${APP}/signin`).then(() => undefined));
await measure("  + open Firebase (SDK loads on demand)", (p) => p.getByRole("button", { name: "Continue with Firebase" }).click());
await page.getByTestId("firebase-form").getByLabel("Email").fill("ada@example.com");
await page.getByTestId("firebase-form").getByLabel("Password").fill("correct horse battery");
await measure("  + sign in with Firebase (SDK auth calls)", async (p) => {
  await p.getByRole("button", { name: "Sign in with Firebase" }).click();
  await p.waitForURL(/dashboard/);
});
seen.clear();
const fresh = await browser.newPage();
fresh.on("response", async (response) => {
  if (!response.url().startsWith(APP) || !response.url().endsWith(".js")) return;
  const body = await response.body().catch(() => null);
  if (body) seen.set(response.url(), gzipSync(body).length);
});
await fresh.goto(`${APP}/signin`);
await fresh.waitForLoadState("networkidle");
const beforeSupabase = new Set(seen.keys());
await fresh.getByRole("button", { name: "Continue with Supabase" }).click();
await fresh.waitForLoadState("networkidle");
const supabaseAdds = [...seen].filter(([u]) => !beforeSupabase.has(u)).reduce((a, [, s]) => a + s, 0);
console.log(`${"  + open Supabase (SDK loads on demand)".padEnd(44)} ${(supabaseAdds / 1024).toFixed(1).padStart(7)} kB gzip`);
const dash = await browser.newPage();
seen.clear();
dash.on("response", async (response) => {
  if (!response.url().startsWith(APP) || !response.url().endsWith(".js")) return;
  const body = await response.body().catch(() => null);
  if (body) seen.set(response.url(), gzipSync(body).length);
});
// A fresh context with the Firebase session cookie from the first page: the dashboard's own first load.
await dash.context().addCookies(await page.context().cookies());
await dash.goto(`${APP}/dashboard`);
await dash.waitForLoadState("networkidle");
const dashKb = [...seen.values()].reduce((a, b) => a + b, 0) / 1024;
console.log(`${"/dashboard, first load".padEnd(44)} ${dashKb.toFixed(1).padStart(7)} kB gzip in ${seen.size} files`);
await browser.close();
stop();
process.exit(0);
