// Turns a raw environment into the app's typed configuration. Pure apart from reading the
// dev-secrets file, so tests can feed it any environment.
import "server-only";
import { z } from "zod";
import { ensureDevSecrets } from "./dev-defaults";
import { type Env, envSchema, providerGroups } from "./schema";

/** Where AIR publishes the keys of its login tokens (https://docs.moca.network/airkit/usage/user-authentication). */
export const AIRKIT_JWKS_URL_DEFAULT = "https://static.air3.com/.well-known/jwks.json";

export class ConfigError extends Error {
  readonly code = "config_invalid";
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`Configuration error: ${variable} ${problem}`);
    this.name = "ConfigError";
  }
}

export interface AppConfig {
  env: Env;
  appUrl: string;
  isProduction: boolean;
  /** True when generated dev secrets were used; the launcher's banner says so. */
  usingDevDefaults: boolean;
  oidc?: { issuer: string; clientId: string; clientSecret: string; name: string };
  password: { enabled: boolean };
  firebase?: {
    projectId: string;
    apiKey: string;
    authDomain: string;
    /** Set only for the Auth Emulator; the one case where unsigned ID tokens are accepted. */
    emulatorHost?: string;
    /** The emulator is reachable by this machine's user alone (FIREBASE_AUTH_EMULATOR_PRIVATE). */
    emulatorPrivate: boolean;
    serviceAccount?: { projectId: string; clientEmail: string; privateKey: string };
    jwksUrl: string;
    googleSignIn: boolean;
  };
  supabase?: { url: string; publishableKey: string };
  mail?: { apiUrl: string; apiKey: string; from: string };
  airkit?: {
    partnerId: string;
    apiUrl?: string;
    jwksUrl: string;
    tokenIssuer?: string;
    buildEnv: Env["AIRKIT_BUILD_ENV"];
    signingAlg: "ES256" | "RS256";
  };
  moojo?: { apiUrl: string; apiKey: string };
  alchemy?: { apiUrl: string; apiKey: string; audience: string; authProvider: string };
  turnkey?: {
    apiUrl: string;
    organizationId: string;
    apiPublicKey: string;
    apiPrivateKey: string;
    oidcAudience: string;
    /** expirationSeconds of every Turnkey login (TURNKEY_SESSION_SECONDS). */
    sessionSeconds: number;
    /** Overrides of Turnkey's production signing keys (undefined = production keys). */
    otpSignerPublicKey?: string;
    notarizerPublicKey?: string;
  };
  demoMailboxUrl?: string;
  /** Header naming the client IP, set by a trusted proxy (undefined: no per-IP limits). */
  clientIpHeader?: string;
}

const HINTS: Record<string, string> = {
  AUTH_SECRET: "Generate one with `npx auth secret` or `openssl rand -base64 33`.",
  SIGNING_KEYS:
    "Provide the private signing key(s) as a JWK, a JSON array of JWKs, or PKCS#8 PEM; `npm run keys:generate` prints fresh ones.",
  AUTH_URL: "Set it to the public origin of the app, e.g. https://wallet-demo.example.com.",
};

function requireGroup(env: Env, group: keyof typeof providerGroups): boolean {
  const names = providerGroups[group];
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
  const input: Record<string, string | undefined> = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v.trim() !== ""));
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
  const env = parsed.data;

  if (isProduction && !env.AUTH_URL.startsWith("https://") && !isLoopback(env.AUTH_URL)) {
    throw new ConfigError("AUTH_URL", "must use https:// in production (cookies are Secure only over HTTPS).");
  }

  const config: AppConfig = {
    env,
    appUrl: new URL(env.AUTH_URL).origin,
    isProduction,
    usingDevDefaults,
    password: { enabled: env.AUTH_PASSWORD_ENABLED },
    demoMailboxUrl: env.DEMO_MAILBOX_URL,
    clientIpHeader: env.CLIENT_IP_HEADER?.toLowerCase(),
  };

  if (requireGroup(env, "oidc")) {
    config.oidc = {
      issuer: env.AUTH_OIDC_ISSUER!,
      clientId: env.AUTH_OIDC_ID!,
      clientSecret: env.AUTH_OIDC_SECRET!,
      name: env.AUTH_OIDC_NAME,
    };
  }
  if (requireGroup(env, "firebase")) {
    if (env.FIREBASE_AUTH_EMULATOR_HOST) {
      // The emulator issues unsigned tokens: anyone can forge one. Only demo-* projects (which
      // exist nowhere but in the emulator) may use it, and in a production build only for the
      // offline demo, whose users are demo data by definition.
      if (!env.FIREBASE_PROJECT_ID!.startsWith("demo-")) {
        throw new ConfigError("FIREBASE_AUTH_EMULATOR_HOST", "may only be used with a demo-* FIREBASE_PROJECT_ID (emulator tokens are unsigned).");
      }
      if (isProduction && !allowDevDefaults) {
        throw new ConfigError("FIREBASE_AUTH_EMULATOR_HOST", "must not be set in production: the emulator's tokens are unsigned.");
      }
    }
    config.firebase = {
      projectId: env.FIREBASE_PROJECT_ID!,
      apiKey: env.FIREBASE_API_KEY!,
      authDomain: env.FIREBASE_AUTH_DOMAIN ?? `${env.FIREBASE_PROJECT_ID}.firebaseapp.com`,
      emulatorHost: env.FIREBASE_AUTH_EMULATOR_HOST,
      emulatorPrivate: Boolean(env.FIREBASE_AUTH_EMULATOR_HOST) && env.FIREBASE_AUTH_EMULATOR_PRIVATE,
      serviceAccount: parseServiceAccount(env.FIREBASE_SERVICE_ACCOUNT),
      jwksUrl: env.FIREBASE_JWKS_URL,
      googleSignIn: env.FIREBASE_GOOGLE_SIGN_IN,
    };
  }
  if (requireGroup(env, "supabase")) {
    config.supabase = { url: env.SUPABASE_URL!.replace(/\/$/, ""), publishableKey: env.SUPABASE_PUBLISHABLE_KEY! };
  }
  if (requireGroup(env, "mail")) {
    config.mail = { apiUrl: env.MAIL_API_URL!, apiKey: env.MAIL_API_KEY!, from: env.MAIL_FROM };
  }
  if (config.password.enabled && !config.mail) {
    // Sign-up proves email ownership with a code; without a way to send it, the email
    // would stay unverified forever and could never be used for a wallet.
    throw new ConfigError("MAIL_API_URL", "is required while AUTH_PASSWORD_ENABLED=true (sign-up emails a verification code).");
  }
  if (env.AIRKIT_PARTNER_ID && !env.AIRKIT_JWKS_URL) {
    // An AIR-compatible API publishes its keys beside it; the real service (the SDK, no
    // AIRKIT_API_URL) at the URL "User Login & Sessions" documents.
    env.AIRKIT_JWKS_URL = env.AIRKIT_API_URL ? new URL("/.well-known/jwks.json", env.AIRKIT_API_URL).toString() : AIRKIT_JWKS_URL_DEFAULT;
  }
  if (requireGroup(env, "airkit")) {
    config.airkit = {
      partnerId: env.AIRKIT_PARTNER_ID!,
      apiUrl: env.AIRKIT_API_URL,
      jwksUrl: env.AIRKIT_JWKS_URL!,
      tokenIssuer: env.AIRKIT_TOKEN_ISSUER,
      buildEnv: env.AIRKIT_BUILD_ENV,
      signingAlg: env.AIRKIT_SIGNING_ALG ?? env.TOKEN_SIGNING_ALG,
    };
  }
  if (requireGroup(env, "moojo")) {
    // Moojo accepts only Firebase ID tokens: without Firebase there is nothing to send it.
    if (!config.firebase) throw new ConfigError("FIREBASE_PROJECT_ID", "is required while MOOJO_API_URL is set (Moojo accepts only Firebase ID tokens).");
    config.moojo = { apiUrl: env.MOOJO_API_URL!.replace(/\/$/, ""), apiKey: env.MOOJO_API_KEY! };
  }
  if (requireGroup(env, "alchemy")) {
    config.alchemy = { apiUrl: env.ALCHEMY_API_URL!.replace(/\/$/, ""), apiKey: env.ALCHEMY_API_KEY!, audience: env.ALCHEMY_AUDIENCE!, authProvider: env.ALCHEMY_AUTH_PROVIDER };
  }
  if (requireGroup(env, "turnkey")) {
    config.turnkey = {
      apiUrl: env.TURNKEY_API_URL!.replace(/\/$/, ""),
      organizationId: env.TURNKEY_ORGANIZATION_ID!,
      apiPublicKey: env.TURNKEY_API_PUBLIC_KEY!,
      apiPrivateKey: env.TURNKEY_API_PRIVATE_KEY!,
      oidcAudience: env.TURNKEY_OIDC_AUDIENCE,
      sessionSeconds: env.TURNKEY_SESSION_SECONDS,
      otpSignerPublicKey: env.TURNKEY_OTP_SIGNER_PUBLIC_KEY?.toLowerCase(),
      notarizerPublicKey: env.TURNKEY_NOTARIZER_PUBLIC_KEY?.toLowerCase(),
    };
  }
  return config;
}

function parseServiceAccount(raw: string | undefined): NonNullable<AppConfig["firebase"]>["serviceAccount"] {
  if (!raw) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw.trim().startsWith("{") ? raw : Buffer.from(raw, "base64").toString("utf8"));
  } catch {
    throw new ConfigError("FIREBASE_SERVICE_ACCOUNT", "is not a service account JSON (or base64 of one).");
  }
  const parsed = z
    .object({ project_id: z.string(), client_email: z.string(), private_key: z.string().includes("PRIVATE KEY") })
    .safeParse(json);
  if (!parsed.success) throw new ConfigError("FIREBASE_SERVICE_ACCOUNT", "needs project_id, client_email and private_key.");
  return { projectId: parsed.data.project_id, clientEmail: parsed.data.client_email, privateKey: parsed.data.private_key };
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]";
}
