// Runs the whole offline stack: the local counterparts of outside services, then Next.js
// pointed at them through ordinary configuration. Used by `npm run dev`, `npm run demo` and
// the end-to-end tests.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import nextEnv from "@next/env";
import { ensureCounterpartSecrets } from "@byo/counterparts/lib/dev-secrets";
import { ensureDevSecrets } from "../../lib/config/dev-defaults";
import { coreEnvSchema } from "../../lib/config/schema";
import { configFragments } from "../../providers/config";
import { parsePublicUrl } from "@byo/counterparts/front/public-url";
import {
  CLIENT_IP_HEADER as FRONT_CLIENT_IP_HEADER,
  frontRoutes,
  startFrontProxy,
  type RunningFrontProxy,
} from "@byo/counterparts/front/proxy";
import { installSplitHorizon } from "@byo/counterparts/front/split-horizon.mjs";
import { DEMO_VISITOR_FORWARD_ORIGINS_ENV, visitorPreloadNodeOption } from "@byo/counterparts/lib/visitor";
import {
  counterpartSecrets,
  counterpartsToStart,
  parseCounterpartVariant,
  startCounterparts,
  type RunningCounterparts,
} from "@byo/counterparts";

export type StackMode = "dev" | "demo" | "test";

const PRESETS: Record<StackMode, { appPort: number; counterpartPort: number; dataDir: string }> = {
  dev: { appPort: 3000, counterpartPort: 3100, dataDir: ".data" },
  demo: { appPort: 3000, counterpartPort: 3100, dataDir: ".data" },
  // Tests get their own ports and a fresh data folder, so they never touch your dev data.
  test: { appPort: 3200, counterpartPort: 3200, dataDir: ".data/e2e" },
};

// The app's configuration variables, which a test run must not inherit from a developer's .env
// files: the core's and those of every provider present (so a pruned project lists fewer). The
// database stays: a test run on PostgreSQL sets DATABASE_URL on purpose.
const KEPT_FOR_TESTS = new Set(["NODE_ENV", "DATABASE_URL", "DATABASE_POOL_MAX"]);
export const PROVIDER_VARS = [
  ...Object.keys(coreEnvSchema.shape),
  ...Object.values(configFragments).flatMap((f) => Object.keys(f.variables)),
].filter((name) => !KEPT_FOR_TESTS.has(name));

const say = (line: string) => process.stdout.write(`\x1b[36m[stack]\x1b[0m ${line}\n`);

/** Loaded into the app's process when host-routed (see that file). */
const SPLIT_HORIZON_PRELOAD = fileURLToPath(import.meta.resolve("@byo/counterparts/front/split-horizon.mjs"));

interface HostRouting {
  publicUrl: URL;
  /** The app's own loopback port, behind the front proxy (which takes PORT). */
  appPort: number;
  listenHost: string;
  clientIpHeader?: string;
}

/**
 * DEMO_PUBLIC_URL turns on host routing (`npm run demo`, and the test stack that checks it).
 * DEMO_LISTEN_HOST: the front proxy's interface (127.0.0.1 unless a host's router must reach
 * it: 0.0.0.0). DEMO_CLIENT_IP_HEADER: where the TLS proxy in front reports the client's
 * address; `x-forwarded-for` by default with an https URL (TLS ends at a proxy in front),
 * "none" for the connection's own address.
 */
function readHostRouting(
  mode: StackMode,
  env: Record<string, string | undefined>,
  s: ReturnType<typeof stackSettings>,
): HostRouting | undefined {
  if (!env.DEMO_PUBLIC_URL) return undefined;
  if (mode === "dev")
    throw new Error("DEMO_PUBLIC_URL is for `npm run demo` (a production build); `npm run dev` serves on localhost only.");
  const publicUrl = parsePublicUrl(env.DEMO_PUBLIC_URL);
  const appPort = s.counterpartPortBase;
  if (appPort === s.appPort)
    throw new Error(`PORT and COUNTERPART_PORT_BASE are both ${appPort}: host-routed, the app listens on the base itself.`);
  const header = env.DEMO_CLIENT_IP_HEADER?.trim().toLowerCase() || (publicUrl.protocol === "https:" ? "x-forwarded-for" : "none");
  return {
    publicUrl,
    appPort,
    listenHost: env.DEMO_LISTEN_HOST || s.host,
    ...(header === "none" ? {} : { clientIpHeader: header }),
  };
}

/** DEMO_DATA_MAX_AGE_HOURS for the demo: 24 unless set; one value for the app and the counterparts. */
function demoDataMaxAgeHours(env: Record<string, string | undefined>): number {
  const hours = Number(env.DEMO_DATA_MAX_AGE_HOURS || "24");
  if (!Number.isFinite(hours) || hours <= 0) throw new Error("DEMO_DATA_MAX_AGE_HOURS must be a positive number of hours.");
  return hours;
}

export function stackSettings(mode: StackMode) {
  const preset = PRESETS[mode];
  const host = "127.0.0.1";
  const appPort = Number(process.env.PORT ?? preset.appPort);
  const base = Number(process.env.COUNTERPART_PORT_BASE ?? preset.counterpartPort);
  return {
    host,
    appPort,
    // "localhost", not 127.0.0.1: Next.js normalises loopback hosts in request URLs to
    // "localhost", and Auth.js builds its callback URLs from them. One host name everywhere
    // keeps cookies, redirects and the OIDC redirect_uri consistent.
    appUrl: `http://localhost:${appPort}`,
    /** Counterparts listen on base + their fixed offset (packages/counterparts/registry.ts). */
    counterpartPortBase: base,
    dataDir: resolve(process.env.DATA_DIR ?? preset.dataDir),
  };
}

async function waitForApp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const started = Date.now();
  let lastNote = 0;
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`Next.js exited with code ${child.exitCode} before it was ready (see its output above).`);
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(30_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() - lastNote > 5000) {
      lastNote = Date.now();
      say(`waiting for the app at ${url} (${Math.round((Date.now() - started) / 1000)} s)…`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`The app did not answer at ${url}/api/health within ${timeoutMs / 1000} s.`);
}

export async function runStack(mode: StackMode): Promise<void> {
  const t0 = Date.now();
  const s = stackSettings(mode);
  const env: Record<string, string | undefined> = { ...process.env };

  if (mode === "test") {
    rmSync(s.dataDir, { recursive: true, force: true });
    // Explicit empty values beat .env files (Next.js never overrides the process environment).
    for (const name of PROVIDER_VARS) env[name] = "";
  } else {
    // See what the developer configured in .env*, so real providers are used where set.
    const { combinedEnv } = nextEnv.loadEnvConfig(process.cwd(), mode === "dev", { info: () => {}, error: console.error });
    Object.assign(env, combinedEnv, process.env);
  }

  // The app's own dev secrets, then those the counterparts share with it (one file).
  const secrets = { ...(await ensureDevSecrets(s.dataDir)), ...ensureCounterpartSecrets(s.dataDir, counterpartSecrets()) };
  // Host-routed: one public origin and one listening port for everything a browser needs (the
  // app and each browser-facing counterpart on a sub-host, behind the front proxy), the app
  // itself on a loopback port of its own. Read before anything else: a bad URL stops here.
  const hostRouted = readHostRouting(mode, env, s);
  const appUrl = hostRouted?.publicUrl.origin ?? (env.AUTH_URL || s.appUrl);
  const appListenPort = hostRouted?.appPort ?? s.appPort;
  const variant = parseCounterpartVariant(env.COUNTERPART_VARIANT);
  if (variant !== "standard") say(`counterparts answer in their ${variant} variant (COUNTERPART_VARIANT)`);
  say(`starting local counterparts (data in ${s.dataDir})`);
  const counterparts: RunningCounterparts = await startCounterparts({
    appUrl,
    dataDir: `${s.dataDir}/counterparts`,
    host: s.host,
    portBase: s.counterpartPortBase,
    secrets: { ...secrets },
    // A provider the developer configured for real is left to the real service (tests clear them all).
    start: counterpartsToStart(env),
    log: (line) => say(`  ${line}`),
    // The end-to-end suite takes wallet counterparts down to test outages; nothing else may.
    faultInjection: mode === "test",
    variant,
    // Host-routed, strangers share the demo: each visitor sees only their own mail.
    ...(hostRouted ? { publicUrl: hostRouted.publicUrl, perVisitor: true } : {}),
    // The demo's retention reaches the counterparts too: what visitors created there ages out
    // with the app's data (the app sweeps its own; see DEMO_DATA_MAX_AGE_HOURS below).
    ...(mode === "demo" ? { dataMaxAgeHours: demoDataMaxAgeHours(env) } : {}),
  });

  // The split horizon: the app's server (and the counterparts, which fetch the app's JWKS from
  // this process) reach the public origins on loopback. The front proxy starts once the app
  // answers, so its open port means the demo is ready.
  const appInternalUrl = `http://${s.host}:${appListenPort}`;
  const frontOptions = hostRouted && {
    publicUrl: hostRouted.publicUrl,
    app: appInternalUrl,
    counterparts: Object.fromEntries(Object.keys(counterparts.publicOrigins).map((name) => [name, counterparts.origins[name]!])),
  };
  const internalOrigins = frontOptions ? frontRoutes(frontOptions) : {};
  if (frontOptions) installSplitHorizon(internalOrigins);
  const frontFilters = counterparts.publicRequestFilters;
  let front: RunningFrontProxy | undefined;

  const childEnv: Record<string, string | undefined> = {
    ...env,
    // `next dev` and `next start` choose NODE_ENV themselves.
    NODE_ENV: undefined,
    // Includes the app's own Turnkey API key with the Turnkey counterpart (it knows only the public half).
    ...counterparts.env,
    AUTH_URL: appUrl,
    // The emulator this launcher starts listens on loopback: in dev and tests only you reach it,
    // so its accounts may be linked. The demo is meant to be public: there they may not.
    ...(counterparts.env.FIREBASE_AUTH_EMULATOR_HOST && mode !== "demo" ? { FIREBASE_AUTH_EMULATOR_PRIVATE: "true" } : {}),
    DATA_DIR: s.dataDir,
    PORT: String(appListenPort),
    NEXT_TELEMETRY_DISABLED: "1",
    // A production build uses the generated dev secrets only when told to: the demo and tests.
    ALLOW_DEV_DEFAULTS: mode === "dev" ? env.ALLOW_DEV_DEFAULTS : "true",
    // The demo is public: what strangers create there ages out after a day, unless set otherwise.
    ...(mode === "demo" ? { DEMO_DATA_MAX_AGE_HOURS: String(demoDataMaxAgeHours(env)) } : {}),
    // In tests Playwright plays the trusted proxy, so per-client limits can be exercised;
    // requests from this host without the header (all other tests) have no client key and no
    // per-client limit (lib/security/client-ip.ts). The demo keys limits on the connection.
    ...(mode === "test" ? { CLIENT_IP_HEADER: "x-test-client-ip" } : {}),
    // Host-routed, the front proxy is the app's only way in and names the client in a header of
    // its own (from the TLS proxy's report, or the connection): per-client limits are on.
    ...(hostRouted
      ? {
          CLIENT_IP_HEADER: FRONT_CLIENT_IP_HEADER,
          DEMO_INTERNAL_ORIGINS: JSON.stringify(internalOrigins),
          // The app's outbound calls to the counterparts carry the visitor of the request that made
          // them (the password provider's mail, Turnkey's init_otp), then the split horizon sends
          // calls to public origins to loopback. Loaded in this order, the split horizon wraps
          // fetch last, so the visitor preload sees the loopback origins it forwards to.
          [DEMO_VISITOR_FORWARD_ORIGINS_ENV]: Object.values(counterparts.origins).join(","),
          NODE_OPTIONS: [env.NODE_OPTIONS, visitorPreloadNodeOption(), `--import=${pathToFileURL(SPLIT_HORIZON_PRELOAD).href}`]
            .filter(Boolean)
            .join(" "),
        }
      : {}),
  };
  // The demo and tests run the production build through the app's own server (scripts/server.mjs),
  // which gives the app each connection's address for per-client limits; `next dev` cannot.
  const args =
    mode === "dev"
      ? [resolve("node_modules/next/dist/bin/next"), "dev", "-H", s.host, "-p", String(appListenPort)]
      : [resolve("scripts/server.mjs"), "-H", s.host, "-p", String(appListenPort)];
  const child = spawn(process.execPath, args, { env: childEnv as unknown as NodeJS.ProcessEnv, stdio: "inherit" });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (child.exitCode === null) child.kill("SIGTERM");
    await front?.close();
    await counterparts.close();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  child.on("exit", (code) => void stop(code ?? 1));

  try {
    await waitForApp(appInternalUrl, child, mode === "dev" ? 300_000 : 120_000);
    if (hostRouted && frontOptions) {
      front = await startFrontProxy({
        ...frontOptions,
        filters: frontFilters,
        host: hostRouted.listenHost,
        port: s.appPort,
        ...(hostRouted.clientIpHeader ? { clientIpHeader: hostRouted.clientIpHeader } : {}),
        log: (line) => say(line),
      });
    }
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    await stop(1);
    return;
  }
  const mailbox = counterparts.env.DEMO_MAILBOX_URL;
  say(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  say(`  app      ${appUrl}${front ? `   (every host of it served on ${front.url})` : ""}`);
  if (mailbox) say(`  mailbox  ${mailbox}   (one-time codes land here)`);
  if (counterparts.env.AUTH_OIDC_ISSUER) say(`  sign in as ada@example.com / correct horse battery on the local OpenID Provider`);
}
