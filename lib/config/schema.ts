// The app's configuration, parsed once from the environment by one schema.
//
// Invariants:
// - Every value the app uses from the environment is declared here; nothing else reads
//   `process.env` for configuration.
// - This is the core's part. Each provider declares its own variables in its folder
//   (providers/<kind>/<id>/config.ts); load.ts parses the merge of both.
// - Nothing here knows about the local counterparts: they are just base URLs and credentials.
import { z } from "zod";
import { booleanFlag, optionalString, optionalUrl } from "./fields";

/** One demo person of DEMO_ACCOUNTS: the sign-in methods are identity provider ids. */
export const demoAccount = z
  .object({
    email: z.email().max(254),
    password: z.string().min(1).max(128),
    signInMethods: z
      .array(z.string().regex(/^[a-z0-9-]{1,40}$/, "must be identity provider ids"))
      .min(1)
      .max(10),
    note: z.string().max(200).optional(),
  })
  .strict();

export type DemoAccount = z.output<typeof demoAccount>;

/** DEMO_ACCOUNTS: a JSON array of at most 20 demo people. */
const demoAccounts = z.string().transform((raw, ctx): DemoAccount[] => {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    ctx.addIssue({ code: "custom", message: "must be a JSON array of {email, password, signInMethods}" });
    return z.NEVER;
  }
  const parsed = z.array(demoAccount).max(20).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    ctx.addIssue({ code: "custom", message: `${issue?.path.join(".") || "value"}: ${issue?.message ?? "invalid"}` });
    return z.NEVER;
  }
  return parsed.data;
});

export const coreEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),

  // --- The app itself -----------------------------------------------------------------
  /** Public origin of the app; also the issuer of every token it mints. */
  AUTH_URL: z.url(),
  /** Auth.js session encryption secret (at least 32 characters). */
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters (try `npx auth secret`)"),
  /** App session lifetime in seconds. */
  AUTH_SESSION_MAX_AGE: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 3600)
    .default(8 * 3600),
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
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
      .optional(),
  ),
  /** Connections each instance's pool may open (instances × this must stay under max_connections). */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** The app's name as users see it, e.g. in the test messages wallets sign (lib/wallets/signing). */
  APP_NAME: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[^\r\n]+$/, "must be one line")
    .default("BYO Auth"),

  // --- Outgoing email (Resend-shaped HTTP API) ----------------------------------------
  MAIL_API_URL: optionalUrl,
  MAIL_API_KEY: optionalString,
  MAIL_FROM: z.string().default("BYO Auth Demo <no-reply@example.com>"),

  // --- Behind a proxy ------------------------------------------------------------------
  /**
   * The header your reverse proxy sets to the client's IP (x-real-ip, cf-connecting-ip,
   * fly-client-ip, or x-forwarded-for). Set it only if that proxy sets it on EVERY request and
   * overwrites what clients send: per-client limits key on it, and a forgeable header would
   * let anyone dodge them or lock others out. Unset: they key on the TCP connection's address,
   * as scripts/server.mjs reports it (lib/security/client-ip.ts).
   */
  CLIENT_IP_HEADER: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, "must be a header name, e.g. x-real-ip")
      .optional(),
  ),

  // --- Demo conveniences ---------------------------------------------------------------
  /** Link shown next to one-time-code prompts, e.g. the local mailbox. */
  DEMO_MAILBOX_URL: optionalUrl,
  /**
   * Public demo people listed on /signin with their passwords (the local counterparts contribute
   * their seeded users). Demo only: whatever is here is shown to every visitor.
   */
  DEMO_ACCOUNTS: optionalString.pipe(demoAccounts.optional()),
  /**
   * A public demo's retention, in hours (`npm run demo` sets 24): users, their identities,
   * wallets and sessions, password accounts and codes older than this are deleted by a sweep
   * every few minutes. Unset (the default): the app deletes nothing on its own.
   */
  DEMO_DATA_MAX_AGE_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 365)
    .optional(),
  /** Lets a production build use generated dev secrets (the demo launcher sets it). */
  ALLOW_DEV_DEFAULTS: booleanFlag,
});

export type Env = z.output<typeof coreEnvSchema>;

/** Core variables that must be set together. */
export const coreGroups = {
  mail: ["MAIL_API_URL", "MAIL_API_KEY"],
} as const satisfies Record<string, readonly (keyof Env)[]>;
