// Starts the local counterparts of outside services and returns the environment that points
// the app at them. The app never imports this: it only ever sees base URLs and credentials.
// Every counterpart is described by its entry in ./registry.ts; nothing here names one.
//
//   npm run counterparts   runs them alone (./cli.ts), for a `next dev` you start yourself.
import { join } from "node:path";
import type { RunningService } from "./lib/http";
import type { Counterpart, CounterpartSecrets, DemoAccount, LauncherEnv, PublicRequestFilter, StartedCounterpart } from "./lib/counterpart";
import type { CounterpartVariant } from "./lib/variant";
import { subOrigin } from "./front/public-url";
import { COUNTERPARTS } from "./registry";
import { startSweepSchedule, type SweepTarget } from "./lib/sweep-schedule";

export { parseCounterpartVariant, COUNTERPART_VARIANTS, type CounterpartVariant } from "./lib/variant";
export type { Counterpart, LauncherEnv } from "./lib/counterpart";

export interface CounterpartOptions {
  /** Public origin of the app (its redirect URIs, JWKS and allowed origin at the counterparts). */
  appUrl: string;
  dataDir: string;
  host?: string;
  /**
   * Each counterpart listens on `portBase` + its descriptor's `port` (3101-3108 for `npm run dev`).
   * 0: each on a port the kernel picks (tests; not for the Firebase emulator, which needs a fixed one).
   */
  portBase: number;
  /** Dev secrets shared with the app; must hold every name `counterpartSecrets()` lists for `start`. */
  secrets: Readonly<Record<string, string>>;
  /** Names from the registry to start (all by default). What they `need` starts too. */
  start?: readonly string[];
  log?: (line: string) => void;
  /** Lets end-to-end tests take the wallet counterparts down (PUT /counterpart/v1/fault). Test stack only. */
  faultInjection?: boolean;
  /** Which legal shapes the counterparts answer with (lib/variant.ts); "standard" by default. */
  variant?: CounterpartVariant;
  /**
   * The host-routed demo's public origin (DEMO_PUBLIC_URL): browser-facing counterparts are then
   * told their public origin `<name>.<host>` (front/public-url.ts) and hand browsers only that.
   */
  publicUrl?: URL;
  /** The public demo: each visitor sees only their own (CounterpartContext.perVisitor). Off by default. */
  perVisitor?: boolean;
  /**
   * A public demo's retention (the app's DEMO_DATA_MAX_AGE_HOURS): what visitors created at the
   * counterparts more than this many hours ago is removed at start and then hourly, through each
   * started counterpart's `sweep` (lib/counterpart.ts). Unset: nothing is ever removed.
   */
  dataMaxAgeHours?: number;
}

export interface RunningCounterparts {
  services: RunningService[];
  /** Loopback origin each started counterpart listens on, by name (what the front proxy forwards to). */
  origins: Record<string, string>;
  /** Public origin of each browser-facing counterpart, by name (only with `publicUrl`). */
  publicOrigins: Record<string, string>;
  /** What the front proxy lets through to each browser-facing counterpart (descriptor's `publicRequest`). */
  publicRequestFilters: Record<string, PublicRequestFilter>;
  /** Variables for the app: exactly what a developer would set for the real services. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Every counterpart's name, in registry order. */
export const COUNTERPART_NAMES: readonly string[] = Object.keys(COUNTERPARTS);

function descriptor(name: string): Counterpart {
  const d = Object.hasOwn(COUNTERPARTS, name) ? COUNTERPARTS[name] : undefined;
  if (!d) throw new Error(`counterparts: no counterpart named ${JSON.stringify(name)} (known: ${COUNTERPART_NAMES.join(", ")})`);
  return d;
}

/** The names to start for the launcher: every counterpart whose real service is not configured. */
export function counterpartsToStart(env: LauncherEnv): string[] {
  return COUNTERPART_NAMES.filter((name) => !descriptor(name).realServiceConfigured(env));
}

/** `names` with everything they need, transitively, in registry order. */
export function withNeeds(names: readonly string[]): string[] {
  const all = new Set<string>();
  const visit = (name: string, path: readonly string[]) => {
    if (path.includes(name)) throw new Error(`counterparts: circular needs ${[...path, name].join(" -> ")}`);
    if (all.has(name)) return;
    for (const need of descriptor(name).needs ?? []) visit(need, [...path, name]);
    all.add(name);
  };
  for (const name of names) visit(name, []);
  return COUNTERPART_NAMES.filter((name) => all.has(name));
}

/** The dev secrets `names` (and what they need) read, for generating or checking them. */
export function counterpartSecrets(names: readonly string[] = COUNTERPART_NAMES): CounterpartSecrets[] {
  return withNeeds(names).flatMap((name) => descriptor(name).secrets ?? []);
}

/** Ports by name for a base: base + each descriptor's fixed offset. */
export function counterpartPorts(base: number): Record<string, number> {
  return Object.fromEntries(COUNTERPART_NAMES.map((name) => [name, base + descriptor(name).port]));
}

export async function startCounterparts(o: CounterpartOptions): Promise<RunningCounterparts> {
  const host = o.host ?? "127.0.0.1";
  const log = o.log ?? (() => undefined);
  const requested = new Set(o.start ?? COUNTERPART_NAMES);
  const names = withNeeds([...requested]);
  const missing = counterpartSecrets(names)
    .flatMap((s) => s.names)
    .filter((name) => !o.secrets[name]);
  if (missing.length > 0) throw new Error(`counterparts: missing dev secrets ${missing.join(", ")}`);
  if (o.dataMaxAgeHours !== undefined && !(o.dataMaxAgeHours > 0)) {
    throw new RangeError(`counterparts: dataMaxAgeHours must be a positive number of hours, got ${o.dataMaxAgeHours}`);
  }

  if (o.publicUrl && o.portBase === 0) throw new Error("counterparts: a public URL needs fixed ports (portBase > 0)");
  const services: RunningService[] = [];
  const env: Record<string, string> = {};
  const origins: Record<string, string> = {};
  const publicOrigins: Record<string, string> = {};
  const publicRequestFilters: Record<string, PublicRequestFilter> = {};
  const sweeps: SweepTarget[] = [];
  const demoAccounts = new DemoAccountsByEmail();
  // Each counterpart starts as soon as what it needs is up; the rest run side by side (the
  // Firebase emulator alone takes ~12 s).
  const started = new Map<string, Promise<StartedCounterpart>>();
  const startOne = (name: string): Promise<StartedCounterpart> => {
    const existing = started.get(name);
    if (existing) return existing;
    const d = descriptor(name);
    const promise = (async () => {
      const needs: Record<string, StartedCounterpart> = {};
      for (const need of d.needs ?? []) needs[need] = await startOne(need);
      const port = o.portBase === 0 ? 0 : o.portBase + d.port;
      const publicUrl = o.publicUrl && d.browserFacing ? subOrigin(o.publicUrl, name) : undefined;
      const result = await d.start({
        appUrl: o.appUrl,
        host,
        port,
        ...(publicUrl ? { publicUrl } : {}),
        dataDir: join(o.dataDir, name),
        secrets: o.secrets,
        variant: o.variant,
        faultInjection: o.faultInjection,
        perVisitor: o.perVisitor === true,
        requested: requested.has(name),
        needs,
        log,
      });
      services.push(result.service);
      Object.assign(env, result.env);
      // The listening origin (a service's `url` may be its public one, as the OpenID Provider's issuer is).
      origins[name] = port === 0 ? result.service.url : `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
      if (publicUrl) publicOrigins[name] = publicUrl;
      if (publicUrl && d.publicRequest) publicRequestFilters[name] = d.publicRequest;
      const sweep = result.sweep?.bind(result);
      if (sweep) sweeps.push({ name: d.label, sweep });
      if (result.demoAccounts) demoAccounts.add(result.demoAccounts.signInMethod, result.demoAccounts.accounts);
      log(`${d.label.padEnd(17)}${publicUrl ?? result.service.url}${result.note ? ` (${result.note})` : ""}`);
      return result;
    })();
    started.set(name, promise);
    return promise;
  };

  const outcomes = await Promise.allSettled(names.map(startOne));
  const failed = outcomes.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await Promise.allSettled(services.map((s) => s.close()));
    throw failed.reason;
  }
  if (demoAccounts.size > 0) env.DEMO_ACCOUNTS = demoAccounts.toJson();
  const schedule =
    o.dataMaxAgeHours === undefined ? undefined : startSweepSchedule({ targets: sweeps, maxAgeHours: o.dataMaxAgeHours, log });
  await schedule?.firstRun;
  return {
    services,
    origins,
    publicOrigins,
    publicRequestFilters,
    env,
    close: async () => {
      // The schedule first: a sweep in progress finishes before its database closes.
      await schedule?.stop();
      await Promise.allSettled(services.map((s) => s.close()));
    },
  };
}

/**
 * The app's DEMO_ACCOUNTS: one entry per email with every sign-in method that accepts it (in
 * start order), e.g. `[{"email":"ada@example.com","password":"…","signInMethods":["oidc","firebase"]}]`.
 * The same email with a different password at two counterparts is a bug in the seeds: refused.
 */
class DemoAccountsByEmail {
  readonly #byEmail = new Map<string, { email: string; password: string; note?: string; signInMethods: string[] }>();

  get size(): number {
    return this.#byEmail.size;
  }

  add(signInMethod: string, accounts: readonly DemoAccount[]): void {
    for (const account of accounts) {
      const key = account.email.toLowerCase();
      const known = this.#byEmail.get(key);
      if (!known) {
        this.#byEmail.set(key, { ...account, signInMethods: [signInMethod] });
      } else if (known.password !== account.password) {
        throw new Error(`counterparts: demo account ${account.email} has two different passwords`);
      } else if (!known.signInMethods.includes(signInMethod)) {
        known.signInMethods.push(signInMethod);
      }
    }
  }

  toJson(): string {
    return JSON.stringify([...this.#byEmail.values()]);
  }
}

/** Installs, once, what the counterparts present need before their first start (see Counterpart.install). */
export async function installCounterparts(log: (line: string) => void): Promise<void> {
  for (const counterpart of Object.values(COUNTERPARTS)) await counterpart.install?.(log);
}
