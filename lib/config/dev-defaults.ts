// Dev-only secrets, generated once into the git-ignored data folder.
//
// This module deliberately has no `server-only` marker: the launcher scripts (`npm run dev`,
// `npm run demo`, the test stack) run it outside Next.js. It uses node:fs and node:crypto, so
// it cannot end up in a browser bundle either. Inside the app it is reached only through
// `lib/config/load.ts`, which is server-only.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair } from "jose";

export interface DevSecrets {
  /** Auth.js session encryption secret. */
  AUTH_SECRET: string;
  /** JSON array of private JWKs: one ES256 and one RS256 key (Alchemy requires RS256). */
  SIGNING_KEYS: string;
  /** Client secret the app uses at the local OpenID Provider. */
  OIDC_CLIENT_SECRET: string;
  /** API key for the local mailbox (a Resend-shaped email API). */
  MAIL_API_KEY: string;
  /** Publishable key of the local Supabase Auth counterpart. */
  SUPABASE_PUBLISHABLE_KEY: string;
  /** API keys the app uses at the local wallet counterparts. */
  MOOJO_API_KEY: string;
  ALCHEMY_API_KEY: string;
  /** The app server's Turnkey API key pair (P-256, hex; public key compressed). */
  TURNKEY_API_PRIVATE_KEY: string;
  TURNKEY_API_PUBLIC_KEY: string;
}

const FILE = "dev-secrets.json";
const FIELDS: readonly (keyof DevSecrets)[] = [
  "AUTH_SECRET",
  "SIGNING_KEYS",
  "OIDC_CLIENT_SECRET",
  "MAIL_API_KEY",
  "SUPABASE_PUBLISHABLE_KEY",
  "MOOJO_API_KEY",
  "ALCHEMY_API_KEY",
  "TURNKEY_API_PRIVATE_KEY",
  "TURNKEY_API_PUBLIC_KEY",
];

function turnkeyApiKey(): Pick<DevSecrets, "TURNKEY_API_PRIVATE_KEY" | "TURNKEY_API_PUBLIC_KEY"> {
  const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
  const y = Buffer.from(jwk.y!, "base64url");
  const prefix = (y[31]! & 1) === 0 ? "02" : "03";
  return {
    TURNKEY_API_PRIVATE_KEY: Buffer.from(jwk.d!, "base64url").toString("hex").padStart(64, "0"),
    TURNKEY_API_PUBLIC_KEY: prefix + Buffer.from(jwk.x!, "base64url").toString("hex").padStart(64, "0"),
  };
}

async function generate(): Promise<DevSecrets> {
  const keys = [];
  for (const alg of ["ES256", "RS256"] as const) {
    const { privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
    keys.push({ ...(await exportJWK(privateKey)), alg });
  }
  return {
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    SIGNING_KEYS: JSON.stringify(keys),
    OIDC_CLIENT_SECRET: randomBytes(24).toString("base64url"),
    MAIL_API_KEY: `re_dev_${randomBytes(18).toString("base64url")}`,
    SUPABASE_PUBLISHABLE_KEY: `sb_publishable_dev_${randomBytes(18).toString("base64url")}`,
    MOOJO_API_KEY: `mj_dev_${randomBytes(18).toString("base64url")}`,
    ALCHEMY_API_KEY: `alcht_dev_${randomBytes(18).toString("base64url")}`,
    ...turnkeyApiKey(),
  };
}

function read(path: string): DevSecrets | null {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as DevSecrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

const announced = new Set<string>();

/**
 * Returns the dev secrets in `dataDir`, generating them on first use. The file is created
 * atomically with mode 0600: a complete temp file is hard-linked into place, and link(2)
 * fails if the target exists, so two processes starting at once end up with one set.
 */
export async function ensureDevSecrets(dataDir: string): Promise<DevSecrets> {
  const path = join(dataDir, FILE);
  const existing = read(path);
  if (existing) {
    // A data folder from an older version may lack newer fields: add them, keep the rest.
    if (FIELDS.every((k) => existing[k])) return existing;
    const merged = { ...(await generate()), ...existing };
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(merged, null, 2), { mode: 0o600 });
    renameSync(tmp, path);
    return merged;
  }

  mkdirSync(dataDir, { recursive: true });
  const fresh = await generate();
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(fresh, null, 2), { mode: 0o600 });
  try {
    linkSync(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    // Another process won the race: keep its secrets, not ours.
    return read(path) as DevSecrets;
  } finally {
    unlinkSync(tmp);
  }
  if (!announced.has(path)) {
    announced.add(path);
    console.info(
      `[config] Generated dev-only secrets (AUTH_SECRET, signing keys) in ${path}. ` +
        "They are for local use only; set real values in production.",
    );
  }
  return fresh;
}
