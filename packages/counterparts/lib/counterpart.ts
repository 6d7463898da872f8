/**
 * What every counterpart tells the launcher about itself (its descriptor, exported from
 * `<name>/counterpart.ts` and listed once in ../registry.ts). `startCounterparts` (../main.ts)
 * knows no counterpart by name: ports, start order, secrets, the app's variables and the
 * "developer configured the real service" check all come from here.
 */
import type { RunningService } from "./http";
import type { CounterpartVariant } from "./variant";

/** Environment as the launcher sees it (process env merged with the developer's .env files). */
export type LauncherEnv = Readonly<Record<string, string | undefined>>;

/** Decides whether a request from the internet may reach a counterpart (see `Counterpart.publicRequest`). */
export type PublicRequestFilter = (request: {
  readonly method: string;
  readonly pathname: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}) => boolean;

/** A started counterpart and what it contributes to the app's environment. */
export interface StartedCounterpart<S extends RunningService = RunningService> {
  readonly service: S;
  /** Variables for the app: exactly what a developer would set for the real service. */
  readonly env: Readonly<Record<string, string>>;
  /** Shown in brackets after the URL in the launcher's log. */
  readonly note?: string;
  /**
   * Retention of a public demo: removes what visitors created before `createdBefore` (accounts,
   * wallets, sessions, codes, messages), never seeded demo users or configuration. Idempotent;
   * `removed` counts the rows/records deleted. Absent when the counterpart keeps no visitor data.
   * `startCounterparts` calls it on a schedule when given `dataMaxAgeHours`.
   */
  sweep?(createdBefore: Date): Promise<SweepResult>;
  /**
   * Public demo people who can sign in at this counterpart, and the app's sign-in method (its
   * identity provider id) they sign in with. `startCounterparts` merges them by email into the
   * app's DEMO_ACCOUNTS, which /signin lists. Public credentials only: never a visitor's.
   */
  readonly demoAccounts?: { readonly signInMethod: string; readonly accounts: readonly DemoAccount[] };
}

export interface DemoAccount {
  readonly email: string;
  readonly password: string;
  /** One short line, e.g. why this account exists. */
  readonly note?: string;
}

export interface SweepResult {
  readonly removed: number;
}

/** A service that can age out its visitor data (see StartedCounterpart.sweep). */
export interface SweepableService extends RunningService {
  sweep(createdBefore: Date): Promise<SweepResult>;
}

/** The shared options of one run, narrowed to one counterpart. */
export interface CounterpartContext {
  /** Public origin of the app (registered as its redirect target, JWKS host, allowed origin). */
  readonly appUrl: string;
  readonly host: string;
  /** This counterpart's port (the launcher's base + `descriptor.port`). */
  readonly port: number;
  /**
   * The origin browsers reach this counterpart at when it sits behind the demo's front proxy
   * (`https://<name>.<public host>`, ../front/public-url.ts); set only for `browserFacing`
   * descriptors in the host-routed demo. Every URL handed to a browser (an issuer, a base URL,
   * the inbox link) derives from it; server-side settings keep the loopback URL.
   */
  readonly publicUrl?: string;
  /** This counterpart's own data folder (`<dataDir>/<name>`). */
  readonly dataDir: string;
  /** Every dev secret of the run; a descriptor reads only the names it declares (or its `needs` declare). */
  readonly secrets: Readonly<Record<string, string>>;
  readonly variant?: CounterpartVariant;
  /** Lets end-to-end tests take the counterpart down (PUT /counterpart/v1/fault). Test stack only. */
  readonly faultInjection?: boolean;
  /**
   * The public demo, where strangers share the counterparts: each visitor (the `x-demo-visitor`
   * header, ./visitor.ts) sees only what is theirs. Today: the mailbox's inbox. Off unless set.
   */
  readonly perVisitor?: boolean;
  /** False when it runs only because another counterpart `needs` it (the developer configured the real one). */
  readonly requested: boolean;
  /** The counterparts listed in `needs`, already started. */
  readonly needs: Readonly<Record<string, StartedCounterpart>>;
  log(line: string): void;
}

export interface CounterpartSecrets {
  /** The dev-secret names this counterpart reads (generated once, shared with the app). */
  readonly names: readonly string[];
  /** Fresh values for all of `names` (the runner keeps the first ones it stored). */
  generate(): Record<string, string>;
}

export interface Counterpart<S extends RunningService = RunningService> {
  /** Offset from the launcher's port base; fixed per counterpart so URLs stay stable across runs. */
  readonly port: number;
  /** Label in the launcher's log ("openid provider"). */
  readonly label: string;
  /** Counterparts that must be running first; they are started even if not requested. */
  readonly needs?: readonly string[];
  /** Browsers talk to it (pages, CORS APIs, the inbox): the host-routed demo serves it on `<name>.<public host>`. */
  readonly browserFacing?: boolean;
  /**
   * Which requests strangers may send it through the demo's front proxy (all by default; the
   * launcher's own `/counterpart/v1/*` routes never pass). A service with an open admin API
   * (the Firebase Auth Emulator) lets through only what its browser SDK calls.
   */
  readonly publicRequest?: PublicRequestFilter;
  readonly secrets?: CounterpartSecrets;
  /**
   * True when the developer configured the real service, so `npm run dev` / `npm run demo`
   * leave this counterpart out (it still starts when another requested one `needs` it).
   */
  realServiceConfigured(env: LauncherEnv): boolean;
  /**
   * Installs what its first start would (the Firebase Auth Emulator's firebase-tools), so CI and
   * test runs do not pay for it mid-test. Idempotent; absent when there is nothing to install.
   */
  install?(log: (line: string) => void): Promise<void>;
  start(ctx: CounterpartContext): Promise<StartedCounterpart<S>>;
}

/** `secrets[name]`, or a clear error when the caller did not provide it. */
export function secret(ctx: Pick<CounterpartContext, "secrets">, name: string): string {
  const value = ctx.secrets[name];
  if (!value) throw new Error(`counterparts: the dev secret ${name} was not provided`);
  return value;
}
