// The app's configuration, parsed once from the environment by one schema.
//
// Invariants:
// - Every value the app uses from the environment is declared here; nothing else reads
//   `process.env` for configuration.
// - A provider is "configured" when all of its variables are present; a half-configured
//   provider is an error naming the missing variable, never a silent partial setup.
// - Nothing here knows about the local counterparts: they are just base URLs and credentials.
import { z } from "zod";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const optionalUrl = optionalString.pipe(z.url().optional());

const booleanFlag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),

  // --- The app itself -----------------------------------------------------------------
  /** Public origin of the app; also the issuer of every token it mints. */
  AUTH_URL: z.url(),
  /** Auth.js session encryption secret (at least 32 characters). */
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters (try `npx auth secret`)"),
  /** App session lifetime in seconds. */
  AUTH_SESSION_MAX_AGE: z.coerce.number().int().min(60).max(30 * 24 * 3600).default(8 * 3600),
  /** Current private signing keys: a JWK, a JSON array of JWKs, or PEM (PKCS#8) blocks. */
  SIGNING_KEYS: z.string().min(1),
  /** Retired keys still published in the JWKS during rotation (public or private; only public members are kept). */
  SIGNING_KEYS_PREVIOUS: optionalString,
  /** Default algorithm for tokens the app mints, where the receiver does not require one. */
  TOKEN_SIGNING_ALG: z.enum(["ES256", "RS256"]).default("ES256"),
  /** Folder for the embedded database. */
  DATA_DIR: z.string().default(".data"),
  /**
   * A PostgreSQL connection URL (postgres://user:password@host:5432/db). Set: the app keeps its
   * data there, and any number of instances can share it. Unset: embedded PGlite in DATA_DIR
   * (one instance only).
   */
  DATABASE_URL: optionalString.pipe(z.string().regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://").optional()),
  /** Connections each instance's pool may open (instances × this must stay under max_connections). */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** The app's name as users see it, e.g. in the test messages wallets sign (lib/wallets/signing). */
  APP_NAME: z.string().trim().min(1).max(64).regex(/^[^\r\n]+$/, "must be one line").default("BYO Auth"),

  // --- Identity provider: OpenID Connect (Auth0, Okta, Keycloak, or the local OP) -------
  AUTH_OIDC_ISSUER: optionalUrl,
  AUTH_OIDC_ID: optionalString,
  AUTH_OIDC_SECRET: optionalString,
  AUTH_OIDC_NAME: z.string().default("OpenID Connect"),

  // --- Identity provider: the app's own user table (email + password) ------------------
  AUTH_PASSWORD_ENABLED: z.enum(["true", "false"]).default("true").transform((v) => v === "true"),

  // --- Identity provider: Firebase Auth ---------------------------------------------
  // Not NEXT_PUBLIC_*: those are inlined at build time, and this app is built once and
  // configured at run time. The server hands the browser the (public) web config.
  FIREBASE_PROJECT_ID: optionalString,
  /** The web API key (public by design; it identifies the project, it does not authorise). */
  FIREBASE_API_KEY: optionalString,
  FIREBASE_AUTH_DOMAIN: optionalString,
  /** host:port of the Firebase Auth Emulator; the standard variable firebase-admin also reads. */
  FIREBASE_AUTH_EMULATOR_HOST: optionalString,
  /**
   * "true" only when you alone can reach that emulator (loopback, for development and tests):
   * its accounts may then be linked to a user. Anyone who reaches an emulator can take over
   * any of its accounts (its admin API is open), so on a shared demo they prove nothing.
   */
  FIREBASE_AUTH_EMULATOR_PRIVATE: booleanFlag,
  /** Service account JSON (or base64 of it) for minting custom tokens against real Firebase. */
  FIREBASE_SERVICE_ACCOUNT: optionalString,
  /** Where Google publishes the keys that sign Firebase ID tokens. */
  FIREBASE_JWKS_URL: z.url().default("https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com"),
  /** Show "Continue with Google" (enable the Google provider in the Firebase console first). */
  FIREBASE_GOOGLE_SIGN_IN: booleanFlag,

  // --- Identity provider: Supabase Auth ---------------------------------------------
  SUPABASE_URL: optionalUrl,
  /** The publishable (anon) key: public by design, row-level security does the authorising. */
  SUPABASE_PUBLISHABLE_KEY: optionalString,

  // --- Outgoing email (Resend-shaped HTTP API) ----------------------------------------
  MAIL_API_URL: optionalUrl,
  MAIL_API_KEY: optionalString,
  MAIL_FROM: z.string().default("BYO Auth Demo <no-reply@example.com>"),

  // --- Wallet provider: Moca AIR Kit ---------------------------------------------------
  AIRKIT_PARTNER_ID: optionalString,
  /** Base URL of an AIR Kit-compatible HTTP API. Unset: the browser uses @mocanetwork/airkit. */
  AIRKIT_API_URL: optionalUrl,
  /**
   * Where AIR publishes the keys that sign its session tokens. Default: AIRKIT_API_URL's
   * /.well-known/jwks.json, or AIR's documented https://static.air3.com/.well-known/jwks.json.
   */
  AIRKIT_JWKS_URL: optionalUrl,
  /** Optional: an `iss` to require in AIR session tokens. AIR documents none, so unset by default. */
  AIRKIT_TOKEN_ISSUER: optionalString,
  /** @mocanetwork/airkit build environment when AIRKIT_API_URL is unset. */
  AIRKIT_BUILD_ENV: z.enum(["sandbox", "staging", "production"]).default("sandbox"),
  /** Algorithm of the partner JWT (AIR accepts RS256 and ES256). */
  AIRKIT_SIGNING_ALG: z.enum(["ES256", "RS256"]).optional(),

  // --- Wallet provider: Moojo ID ------------------------------------------------------
  /** Base URL, e.g. https://api.moojo.id (paths like /user/authenticate hang off it). */
  MOOJO_API_URL: optionalUrl,
  MOOJO_API_KEY: optionalString,

  // --- Wallet provider: Alchemy Smart Wallets (authenticate with JWT) ------------------
  /** Base URL of the signer API, e.g. https://api.g.alchemy.com. */
  ALCHEMY_API_URL: optionalUrl,
  ALCHEMY_API_KEY: optionalString,
  /** The project id Alchemy gave you: the `aud` of the ID tokens the app mints for it. */
  ALCHEMY_AUDIENCE: optionalString,
  /** The `authProvider` name you registered with Alchemy. */
  ALCHEMY_AUTH_PROVIDER: z.string().default("byo-auth"),

  // --- Wallet provider: Turnkey (backend authentication) -------------------------------
  TURNKEY_API_URL: optionalUrl,
  /** Your parent organization id. */
  TURNKEY_ORGANIZATION_ID: optionalString,
  /** The app server's API key pair (P-256 hex), created in the Turnkey dashboard. */
  TURNKEY_API_PUBLIC_KEY: optionalString,
  TURNKEY_API_PRIVATE_KEY: optionalString,
  /** `aud` of the ID tokens the app mints for Turnkey's oauth_login. */
  TURNKEY_OIDC_AUDIENCE: z.string().default("turnkey"),
  /**
   * Lifetime of the browser's Turnkey sessions (expirationSeconds of every login), default 900
   * (Turnkey's own default). At least 70: the Embedded Wallet Kit refreshes a session one minute
   * before it ends, so a shorter session would be refreshed again the moment it starts.
   */
  TURNKEY_SESSION_SECONDS: z.coerce.number().int().min(70).max(30 * 24 * 3600).default(900),
  /**
   * Turnkey's signing keys, uncompressed P-256 hex. Leave unset for the real service:
   * `@turnkey/crypto` then uses Turnkey's production keys. Only a non-production Turnkey
   * (such as the local counterpart) needs them: the OTP signer signs init_otp's target
   * bundle and verify_otp's token, the notarizer signs session JWTs.
   */
  TURNKEY_OTP_SIGNER_PUBLIC_KEY: optionalString.pipe(z.string().regex(/^04[0-9a-f]{128}$/i, "must be an uncompressed P-256 public key in hex (04…)").optional()),
  TURNKEY_NOTARIZER_PUBLIC_KEY: optionalString.pipe(z.string().regex(/^04[0-9a-f]{128}$/i, "must be an uncompressed P-256 public key in hex (04…)").optional()),

  // --- Behind a proxy ------------------------------------------------------------------
  /**
   * The header your reverse proxy sets to the client's IP (x-real-ip, cf-connecting-ip,
   * fly-client-ip, or x-forwarded-for). Set it only if that proxy sets it on EVERY request and
   * overwrites what clients send: per-client limits key on it, and a forgeable header would
   * let anyone dodge them or lock others out. Unset: they key on the TCP connection's address,
   * as scripts/server.mjs reports it (lib/security/client-ip.ts).
   */
  CLIENT_IP_HEADER: optionalString.pipe(z.string().regex(/^[A-Za-z0-9-]+$/, "must be a header name, e.g. x-real-ip").optional()),

  // --- Demo conveniences ---------------------------------------------------------------
  /** Link shown next to one-time-code prompts, e.g. the local mailbox. */
  DEMO_MAILBOX_URL: optionalUrl,
  /** Lets a production build use generated dev secrets (the demo launcher sets it). */
  ALLOW_DEV_DEFAULTS: booleanFlag,
});

export type RawEnv = z.input<typeof envSchema>;
export type Env = z.output<typeof envSchema>;

/** Groups of variables that must be set together, by provider. */
export const providerGroups = {
  oidc: ["AUTH_OIDC_ISSUER", "AUTH_OIDC_ID", "AUTH_OIDC_SECRET"],
  mail: ["MAIL_API_URL", "MAIL_API_KEY"],
  firebase: ["FIREBASE_PROJECT_ID", "FIREBASE_API_KEY"],
  supabase: ["SUPABASE_URL", "SUPABASE_PUBLISHABLE_KEY"],
  airkit: ["AIRKIT_PARTNER_ID", "AIRKIT_JWKS_URL"],
  moojo: ["MOOJO_API_URL", "MOOJO_API_KEY"],
  alchemy: ["ALCHEMY_API_URL", "ALCHEMY_API_KEY", "ALCHEMY_AUDIENCE"],
  turnkey: ["TURNKEY_API_URL", "TURNKEY_ORGANIZATION_ID", "TURNKEY_API_PUBLIC_KEY", "TURNKEY_API_PRIVATE_KEY"],
} as const satisfies Record<string, readonly (keyof Env)[]>;
