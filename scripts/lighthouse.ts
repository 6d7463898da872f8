// npm run lighthouse [-- --check] [--url http://localhost:3000] [--runs 3]
//
// Scores /signin (signed out) and /dashboard (signed in) with Lighthouse, on the system
// Chromium, for the mobile (Lighthouse's default: a mid-range phone on a throttled network,
// simulated) and desktop presets. Without --url it starts the test stack on its own ports
// (a production build is needed: `npx next build`) and signs in as the local OpenID
// Provider's demo user Ada; with --url it measures a running demo (the local OpenID Provider
// must be the one it uses, to sign in). The median of --runs runs per page and preset is
// reported (Lighthouse's own advice: single runs vary). --check exits 1 when a median falls
// under the goals: accessibility 95, best practices 95, performance 90.
//
// Lighthouse (≈180 MB) is installed on first use into scripts/lighthouse/, from its lockfile.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { chromiumPath } from "./lib/chromium";

const GOALS = { performance: 90, accessibility: 95, "best-practices": 95 } as const;
type Category = keyof typeof GOALS;
const CATEGORIES = Object.keys(GOALS) as Category[];
const PORT_BASE = 3950;
const CHROME_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--no-first-run",
];

const here = dirname(fileURLToPath(import.meta.url));
const say = (line: string) => process.stdout.write(`[lighthouse] ${line}\n`);

const { values: args } = parseArgs({
  options: {
    check: { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    url: { type: "string" },
    runs: { type: "string", default: "3" },
  },
});

function requireNode(): void {
  const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
  if (major > 22 || (major === 22 && minor >= 19)) return;
  console.error(
    `Lighthouse 13 needs Node 22.19 or later; this is Node ${process.versions.node}. Use the project's Node (.nvmrc: 24), e.g. \`nvm use\`.`,
  );
  process.exit(2);
}

async function loadLighthouse() {
  const folder = join(here, "lighthouse");
  if (!existsSync(join(folder, "node_modules", "lighthouse"))) {
    say("installing Lighthouse into scripts/lighthouse (once, ~15 s)…");
    const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: folder, stdio: "inherit" });
    if (result.status !== 0) throw new Error("npm ci in scripts/lighthouse failed (see above).");
  }
  const entry = (path: string) => import(pathToFileURL(join(folder, "node_modules", path)).href);
  const [{ default: lighthouse }, chromeLauncher, { default: desktopConfig }] = await Promise.all([
    entry("lighthouse/core/index.js"),
    entry("chrome-launcher/dist/index.js"),
    entry("lighthouse/core/config/desktop-config.js"),
  ]);
  return { lighthouse, chromeLauncher, desktopConfig };
}

async function waitFor(url: string, child: ChildProcess | null, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child && child.exitCode !== null) throw new Error("the test stack exited before it was ready");
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** Signs in as Ada on the local OpenID Provider in a real browser; returns the app's cookies as a header. */
async function signedInCookie(appUrl: string): Promise<string> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${appUrl}/signin`);
    await page.getByRole("button", { name: "Continue with Local OpenID Provider" }).click();
    await page.waitForURL((url) => !url.href.startsWith(appUrl), { timeout: 30_000 });
    await page.getByLabel("Email").fill("ada@example.com");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(`${appUrl}/dashboard`, { timeout: 30_000 });
    const cookies = await page.context().cookies(appUrl);
    return cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  } finally {
    await browser.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  requireNode();
  const runs = Math.max(1, Number(args.runs) || 1);
  const { lighthouse, chromeLauncher, desktopConfig } = await loadLighthouse();

  let stack: ChildProcess | null = null;
  const appUrl = args.url?.replace(/\/$/, "") ?? `http://localhost:${PORT_BASE}`;
  if (!args.url) {
    say(`starting the test stack on port ${PORT_BASE} (needs a production build: npx next build)…`);
    const env = { ...process.env, PORT: String(PORT_BASE), COUNTERPART_PORT_BASE: String(PORT_BASE), DATA_DIR: ".data/lighthouse" };
    stack = spawn(process.execPath, [join(here, "..", "node_modules", "tsx", "dist", "cli.mjs"), join(here, "stack.ts"), "test"], {
      env,
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
    });
  }
  const stop = () => {
    if (stack?.pid && stack.exitCode === null) process.kill(-stack.pid, "SIGTERM");
  };
  process.on("exit", stop);

  try {
    await waitFor(`${appUrl}/api/health`, stack, 180_000);
    say("signing in as ada@example.com for /dashboard…");
    const cookie = await signedInCookie(appUrl);
    const chrome = await chromeLauncher.launch({ chromePath: chromiumPath(), chromeFlags: CHROME_FLAGS });
    const rows: { page: string; preset: string; scores: Record<Category, number>; metrics: string }[] = [];
    try {
      for (const [page, headers] of [
        ["/signin", {}],
        ["/dashboard", { Cookie: cookie }],
      ] as const) {
        for (const preset of ["mobile", "desktop"] as const) {
          const samples: Record<Category, number[]> = { performance: [], accessibility: [], "best-practices": [] };
          let metrics = "";
          for (let run = 1; run <= runs; run++) {
            say(`${page} (${preset}) run ${run}/${runs}…`);
            const result = await lighthouse(
              `${appUrl}${page}`,
              { port: chrome.port, output: "json", logLevel: "error", onlyCategories: CATEGORIES, extraHeaders: headers },
              preset === "desktop" ? desktopConfig : undefined,
            );
            if (!result?.lhr) throw new Error(`Lighthouse returned nothing for ${page}`);
            if (page === "/dashboard" && !result.lhr.finalDisplayedUrl.endsWith("/dashboard")) {
              throw new Error(`/dashboard redirected to ${result.lhr.finalDisplayedUrl}: the session cookie was not accepted`);
            }
            for (const category of CATEGORIES) samples[category].push(Math.round((result.lhr.categories[category]?.score ?? 0) * 100));
            // What the performance score is made of, to know where to look (last run's values).
            const audit = (id: string) => result.lhr.audits[id]?.displayValue ?? "–";
            metrics = [
              "first-contentful-paint",
              "largest-contentful-paint",
              "total-blocking-time",
              "cumulative-layout-shift",
              "speed-index",
              "server-response-time",
            ]
              .map((id) => `${id.replace(/-/g, " ")} ${audit(id)}`)
              .join(", ");
            if (args.profile) {
              // --profile: the scripts that cost the main thread most (Lighthouse's bootup-time audit).
              const items =
                (result.lhr.audits["bootup-time"]?.details as { items?: { url: string; total: number; scripting: number }[] } | undefined)
                  ?.items ?? [];
              for (const item of items.slice(0, 8))
                say(`  ${Math.round(item.total)} ms (scripting ${Math.round(item.scripting)} ms) ${item.url.replace(appUrl, "")}`);
            }
          }
          rows.push({
            page,
            preset,
            metrics,
            scores: Object.fromEntries(CATEGORIES.map((c) => [c, median(samples[c])])) as Record<Category, number>,
          });
        }
      }
    } finally {
      await chrome.kill();
    }

    const failures: string[] = [];
    process.stdout.write(
      `\nLighthouse 13, median of ${runs} run(s), Chromium at ${chromiumPath() ?? "(Playwright's)"}, Node ${process.versions.node}\n\n`,
    );
    process.stdout.write(`| page | preset | performance | accessibility | best practices |\n| --- | --- | --- | --- | --- |\n`);
    for (const { page, preset, scores } of rows) {
      process.stdout.write(`| ${page} | ${preset} | ${scores.performance} | ${scores.accessibility} | ${scores["best-practices"]} |\n`);
      for (const category of CATEGORIES) {
        if (scores[category] < GOALS[category]) failures.push(`${page} ${preset} ${category} ${scores[category]} < ${GOALS[category]}`);
      }
    }
    process.stdout.write(`\n${rows.map((r) => `${r.page} ${r.preset}: ${r.metrics}`).join("\n")}\n`);
    process.stdout.write(
      `\ngoals: performance ≥ ${GOALS.performance}, accessibility ≥ ${GOALS.accessibility}, best practices ≥ ${GOALS["best-practices"]}\n`,
    );
    if (failures.length > 0) {
      process.stdout.write(`under the goals:\n${failures.map((f) => `  ${f}`).join("\n")}\n`);
      if (args.check) process.exitCode = 1;
    }
  } finally {
    stop();
  }
}

await main();
