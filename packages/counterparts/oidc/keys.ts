import { randomBytes, randomUUID } from "node:crypto";
import { chmod, link, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import { z } from "zod";

/**
 * Key material for the local OpenID Provider, generated once per data directory and
 * persisted so ID tokens, the JWKS (`kid`s) and browser sessions survive restarts:
 *
 *   <dataDir>/oidc-jwks.json         private signing JWKs (RS256 + ES256), mode 0600
 *   <dataDir>/oidc-cookie-keys.json  cookie signing keys, mode 0600
 *
 * Files are created atomically (write to a temp file, then hard-link into place, which fails
 * if another process won the race) so concurrent starts with the same dataDir agree on keys.
 */

export const JWKS_FILE = "oidc-jwks.json";
export const COOKIE_KEYS_FILE = "oidc-cookie-keys.json";

const b64u = z.string().regex(/^[A-Za-z0-9_-]+$/);

const rsaPrivateJwk = z.object({
  kty: z.literal("RSA"),
  kid: z.string().min(1),
  alg: z.literal("RS256"),
  use: z.literal("sig"),
  n: b64u,
  e: b64u,
  d: b64u,
  p: b64u,
  q: b64u,
  dp: b64u,
  dq: b64u,
  qi: b64u,
});

const ecPrivateJwk = z.object({
  kty: z.literal("EC"),
  kid: z.string().min(1),
  alg: z.literal("ES256"),
  use: z.literal("sig"),
  crv: z.literal("P-256"),
  x: b64u,
  y: b64u,
  d: b64u,
});

const privateJwks = z
  .object({ keys: z.array(z.discriminatedUnion("kty", [rsaPrivateJwk, ecPrivateJwk])).min(1) })
  .refine((v) => v.keys.some((k) => k.alg === "RS256") && v.keys.some((k) => k.alg === "ES256"), {
    message: "expected both an RS256 and an ES256 key",
  });

export type PrivateJwks = z.infer<typeof privateJwks>;

const cookieKeys = z.object({ keys: z.array(z.string().min(32)).min(1) });

async function generateSigningKey(alg: "RS256" | "ES256") {
  const { privateKey } = await generateKeyPair(alg, alg === "RS256" ? { extractable: true, modulusLength: 2048 } : { extractable: true });
  const jwk = await exportJWK(privateKey);
  // The thumbprint of the public part is a stable, content-derived key id.
  const { kty, n, e, crv, x, y } = jwk;
  const kid = await calculateJwkThumbprint({ kty, n, e, crv, x, y });
  return { ...jwk, kid, alg, use: "sig" };
}

async function generateJwks(): Promise<PrivateJwks> {
  const keys = await Promise.all([generateSigningKey("RS256"), generateSigningKey("ES256")]);
  return privateJwks.parse({ keys });
}

function isErrno(err: unknown, ...codes: string[]): boolean {
  return err instanceof Error && "code" in err && codes.includes(String(err.code));
}

async function readJson<T>(file: string, schema: z.ZodType<T>): Promise<T> {
  const raw = await readFile(file, "utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`${file} is not valid JSON; delete it to regenerate (this rotates the keys)`);
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    throw new Error(`${file} has an unexpected shape (${result.error.issues[0]?.message ?? "invalid"}); delete it to regenerate`);
  }
  // Private key material: keep it owner-only even if someone loosened the mode.
  if (process.platform !== "win32") {
    const { mode } = await stat(file);
    if ((mode & 0o077) !== 0) await chmod(file, 0o600);
  }
  return result.data;
}

async function readOrCreate<T>(file: string, schema: z.ZodType<T>, create: () => Promise<T>): Promise<T> {
  try {
    return await readJson(file, schema);
  } catch (err) {
    if (!isErrno(err, "ENOENT")) throw err;
  }

  const value = await create();
  const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  try {
    await chmod(tmp, 0o600);
    try {
      await link(tmp, file);
    } catch (err) {
      if (isErrno(err, "EEXIST")) return await readJson(file, schema); // another process won
      if (!isErrno(err, "EPERM", "ENOTSUP", "ENOSYS", "EXDEV")) throw err;
      await rename(tmp, file); // filesystems without hard links: last writer wins
    }
    return value;
  } finally {
    await rm(tmp, { force: true });
  }
}

export async function loadOrCreateKeys(dataDir: string): Promise<{ jwks: PrivateJwks; cookieKeys: string[] }> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const jwks = await readOrCreate(path.join(dataDir, JWKS_FILE), privateJwks, generateJwks);
  const cookies = await readOrCreate(path.join(dataDir, COOKIE_KEYS_FILE), cookieKeys, async () => ({
    keys: [randomBytes(32).toString("base64url")],
  }));
  return { jwks, cookieKeys: cookies.keys };
}
