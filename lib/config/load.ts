// Turns a raw environment into the app's typed configuration. Pure apart from reading the
// dev-secrets file, so tests can feed it any environment.
import "server-only";
import { z } from "zod";
import { configFragments } from "@/providers/config";
import { ensureDevSecrets } from "./dev-defaults";
import { ConfigError, type FragmentContext } from "./fragment";
import { coreEnvSchema, coreGroups, type DemoAccount, type Env as CoreEnv } from "./schema";

export { ConfigError } from "./fragment";

type Fragments = typeof configFragments;
type FragmentEnv = { [K in keyof Fragments]: z.output<z.ZodObject<Fragments[K]["variables"]>> }[keyof Fragments];
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Every variable: the core's and those of the providers present. */
export type Env = CoreEnv & UnionToIntersection<FragmentEnv>;

/** Each present provider's part, under its id; absent when it is not configured. */
export type ProviderConfigs = { [K in keyof Fragments]?: NonNullable<ReturnType<Fragments[K]["load"]>> };

export interface CoreConfig {
  env: Env;
  appUrl: string;
  isProduction: boolean;
  /** True when generated dev secrets were used; the launcher's banner says so. */
  usingDevDefaults: boolean;
  mail?: { apiUrl: string; apiKey: string; from: string };
  demoMailboxUrl?: string;
  /** Public demo people for /signin (DEMO_ACCOUNTS); absent unless set. */
  demoAccounts?: DemoAccount[];
  /** Header naming the client IP, set by a trusted proxy (undefined: no per-IP limits). */
  clientIpHeader?: string;
  /** Origins outside the app its pages may post forms or redirect to (declared by the providers). */
  formActionOrigins: string[];
  /** Each configured identity provider's issuer, by provider id (ConfigFragment.identityIssuer). */
  identityIssuers: Record<string, string>;
}

export type AppConfig = CoreConfig & ProviderConfigs;

const HINTS: Record<string, string> = {
  AUTH_SECRET: "Generate one with `npx auth secret` or `openssl rand -base64 33`.",
  SIGNING_KEYS:
    "Provide the private signing key(s) as a JWK, a JSON array of JWKs, or PKCS#8 PEM; `npm run keys:generate` prints fresh ones.",
  AUTH_URL: "Set it to the public origin of the app, e.g. https://wallet-demo.example.com.",
};

/** The merged schema: core variables plus every present provider's. */
const envSchema = z.object(
  Object.assign({}, coreEnvSchema.shape, ...Object.values(configFragments).map((f) => f.variables)) as typeof coreEnvSchema.shape,
);

/** False when none of `names` is set; an error naming the first missing one when only some are. */
function requireAll(env: Record<string, unknown>, names: readonly string[]): boolean {
  const present = names.filter((name) => env[name] !== undefined);
  if (present.length === 0) return false;
  const missing = names.find((name) => env[name] === undefined);
  if (missing) {
    throw new ConfigError(missing, `is required because ${present.join(", ")} ${present.length > 1 ? "are" : "is"} set.`);
  }
  return true;
}

/**
 * Parses `raw` into an AppConfig.
 *
 * Dev defaults (generated AUTH_SECRET and signing keys in DATA_DIR) are used only outside
 * production, or in production when ALLOW_DEV_DEFAULTS is set (the offline demo). A
 * production start without them refuses, naming the first missing variable.
 */
export async function loadConfig(raw: Record<string, string | undefined>): Promise<AppConfig> {
  // An empty value means "unset" (as in `.env` files with `KEY=`), for every variable.
  const input: Record<string, string | undefined> = Object.fromEntries(
    Object.entries(raw).filter(([, v]) => v !== undefined && v.trim() !== ""),
  );
  const isProduction = input.NODE_ENV === "production";
  const allowDevDefaults = !isProduction || input.ALLOW_DEV_DEFAULTS === "true" || input.ALLOW_DEV_DEFAULTS === "1";
  let usingDevDefaults = false;

  if (!input.AUTH_URL && !isProduction) input.AUTH_URL = `http://localhost:${input.PORT ?? "3000"}`;

  for (const name of ["AUTH_SECRET", "SIGNING_KEYS"] as const) {
    if (input[name]) continue;
    if (!allowDevDefaults) {
      throw new ConfigError(name, `is not set, and production does not use dev defaults. ${HINTS[name]}`);
    }
    const secrets = await ensureDevSecrets(input.DATA_DIR ?? ".data");
    input[name] = secrets[name];
    usingDevDefaults = true;
  }

  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const variable = String(issue.path[0] ?? "environment");
    const hint = HINTS[variable] ? ` ${HINTS[variable]}` : "";
    throw new ConfigError(variable, `${input[variable] === undefined ? "is not set" : "is invalid"}: ${issue.message}.${hint}`);
  }
  const env = parsed.data as Env;

  if (isProduction && !env.AUTH_URL.startsWith("https://") && !isLoopback(env.AUTH_URL)) {
    throw new ConfigError("AUTH_URL", "must use https:// in production (cookies are Secure only over HTTPS).");
  }

  const config: AppConfig = {
    env,
    appUrl: new URL(env.AUTH_URL).origin,
    isProduction,
    usingDevDefaults,
    demoMailboxUrl: env.DEMO_MAILBOX_URL,
    ...(env.DEMO_ACCOUNTS?.length ? { demoAccounts: env.DEMO_ACCOUNTS } : {}),
    clientIpHeader: env.CLIENT_IP_HEADER?.toLowerCase(),
    formActionOrigins: [],
    identityIssuers: {},
  };
  if (requireAll(env, coreGroups.mail)) {
    config.mail = { apiUrl: env.MAIL_API_URL!, apiKey: env.MAIL_API_KEY!, from: env.MAIL_FROM };
  }

  const parts = config as unknown as Record<string, unknown>;
  const ctx: FragmentContext = { isProduction, allowDevDefaults, loaded: parts };
  for (const fragment of Object.values(configFragments)) {
    if (fragment.required.length > 0 && !requireAll(env, fragment.required)) continue;
    const part = (fragment.load as (env: Env, ctx: FragmentContext) => unknown)(env, ctx);
    if (part === undefined) continue;
    parts[fragment.id] = part;
    const issuer = (fragment.identityIssuer as ((p: unknown) => string) | undefined)?.(part);
    if (issuer) config.identityIssuers[fragment.id] = issuer;
    const origins = (fragment.formActionOrigins as ((p: unknown) => string[]) | undefined)?.(part) ?? [];
    config.formActionOrigins.push(...origins.filter((o) => !config.formActionOrigins.includes(o)));
  }
  return config;
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  // `*.localhost` names are loopback by definition (RFC 6761 §6.3); browsers resolve them so and
  // treat them as secure contexts. The host-routed demo runs on http://demo.localhost:<port>.
  return host === "localhost" || host.endsWith(".localhost") || host === "127.0.0.1" || host === "[::1]";
}
