// Dev-only secrets, generated once into the git-ignored data folder.
//
// This module deliberately has no `server-only` marker: the launcher scripts (`npm run dev`,
// `npm run demo`, the test stack) run it outside Next.js. It uses node:fs and node:crypto, so
// it cannot end up in a browser bundle either. Inside the app it is reached only through
// `lib/config/load.ts`, which is server-only.
import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, generateKeyPair } from "jose";

/**
 * The app's own dev secrets. The same file also holds the secrets the local counterparts share
 * with the app (an OIDC client secret, API keys: packages/counterparts/lib/dev-secrets.ts adds
 * them); they are kept as they are here, never generated or read by the app.
 */
export interface DevSecrets {
  /** Auth.js session encryption secret. */
  AUTH_SECRET: string;
  /** JSON array of private JWKs: one ES256 and one RS256 key (some wallet providers require RS256). */
  SIGNING_KEYS: string;
  [counterpartSecret: string]: string;
}

const FILE = "dev-secrets.json";
const FIELDS = ["AUTH_SECRET", "SIGNING_KEYS"] as const;

async function generate(): Promise<Pick<DevSecrets, (typeof FIELDS)[number]>> {
  const keys = [];
  for (const alg of ["ES256", "RS256"] as const) {
    const { privateKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
    keys.push({ ...(await exportJWK(privateKey)), alg });
  }
  return { AUTH_SECRET: randomBytes(32).toString("base64url"), SIGNING_KEYS: JSON.stringify(keys) };
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
