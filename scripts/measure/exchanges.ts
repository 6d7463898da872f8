// Server-side time of each wallet exchange (median of N runs), read from the Server-Timing
// header the app's route handlers send. Starts the test stack on ports 3200-3208 and drives
// Chromium through each connect flow as a signed-in user (Turnkey both by ID token and by
// email code; Alchemy pre-generated first, then connected).
//
//   npx next build && npx tsx scripts/measure/exchanges.ts [runs=7]
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

const RUNS = Number(process.argv[2] ?? 7);
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
for (
  let i = 0;
  !(await fetch(`${APP}/api/health`).then(
    (r) => r.ok,
    () => false,
  ));
  i++
) {
  if (i > 240) throw new Error("the test stack did not start");
  await new Promise((r) => setTimeout(r, 500));
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined),
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
});
const context = await browser.newContext();
const page = await context.newPage();
const timings = new Map<string, number[]>();
page.on("response", (response) => {
  const path = new URL(response.url()).pathname;
  const m = /^\/api\/wallets\/([^/]+)\/([^/]+)$/.exec(path);
  const dur = /app;dur=([\d.]+)/.exec(response.headers()["server-timing"] ?? "")?.[1];
  if (m && dur && response.ok()) timings.set(`${m[1]} ${m[2]}`, [...(timings.get(`${m[1]} ${m[2]}`) ?? []), Number(dur)]);
});

// Sign in on the local OpenID Provider as a seeded user.
await page.goto(`${APP}/signin`);
await page.getByRole("button", { name: "Continue with Local OpenID Provider" }).click();
await page.waitForURL(/\/interaction\//);
await page.getByLabel("Email").fill("grace@example.com");
await page.getByLabel("Password").fill("hopper-cobol-1959");
await page.getByRole("button", { name: "Continue" }).click();
await page.waitForURL(/dashboard/);

async function codeFromMailbox(subject: RegExp, seen: Set<string>): Promise<string> {
  const mailbox = await context.newPage();
  try {
    for (let i = 0; i < 40; i++) {
      await mailbox.goto("http://127.0.0.1:3203/?to=grace%40example.com");
      const message = mailbox
        .getByTestId("message")
        .filter({ has: mailbox.getByTestId("message-subject").filter({ hasText: subject }) })
        .first();
      if (await message.isVisible()) {
        const code = /\b(\d{6})\b/.exec(await message.getByTestId("message-body").innerText())?.[1];
        if (code && !seen.has(code)) {
          seen.add(code);
          return code;
        }
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`no new code for ${subject}`);
  } finally {
    await mailbox.close();
  }
}
const seenCodes = new Set<string>();

async function connect(wallet: string, button: RegExp, how: "default" | "email code" | "pre-generate first" = "default") {
  const card = page.getByTestId(`wallet-${wallet}`);
  const disconnect = card.getByRole("button", { name: "Disconnect" });
  if (await disconnect.isVisible()) {
    await disconnect.click();
    await card.getByRole("button", { name: button }).waitFor();
  }
  if (how === "pre-generate first") {
    await card.getByRole("button", { name: "Pre-generate the address only" }).click();
    await card.getByTestId("pregenerated-address").waitFor();
  }
  if (how === "email code") {
    await card.getByRole("button", { name: "Use an email code instead" }).click();
    await card.getByLabel("Code from Turnkey").fill(await codeFromMailbox(/BYO Auth verification code/, seenCodes));
    await card.getByRole("button", { name: "Verify and connect" }).click();
    await card.getByTestId("account-address").waitFor();
    return;
  }
  await card.getByRole("button", { name: button }).click();
  const otp = page.getByTestId("air-otp");
  const address = card.getByTestId("account-address");
  await otp.or(address).waitFor();
  if (await otp.isVisible()) {
    await page.getByLabel("Code from AIR Kit").fill(await codeFromMailbox(/AIR Kit/, seenCodes));
    await page.getByRole("button", { name: "Verify code" }).click();
  }
  await address.waitFor();
}

for (let i = 0; i < RUNS; i++) {
  await connect("airkit", /connect air kit/i);
  await connect("turnkey", /connect turnkey/i);
  await connect("alchemy", /connect alchemy/i, "pre-generate first");
  await connect("moojo", /connect moojo/i);
  // Turnkey (like the real service) sends at most 5 codes per address per 10 minutes.
  if (i < 5) await connect("turnkey", /connect turnkey/i, "email code");
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
console.log(`server-side time per exchange step (median of ${RUNS}, first run included; ms)`);
for (const [step, xs] of [...timings].sort()) {
  console.log(
    `${step.padEnd(28)} median ${median(xs).toFixed(1).padStart(7)}   min ${Math.min(...xs)
      .toFixed(1)
      .padStart(7)}   max ${Math.max(...xs)
      .toFixed(1)
      .padStart(7)}   n=${xs.length}`,
  );
}
await browser.close();
stop();
process.exit(0);
