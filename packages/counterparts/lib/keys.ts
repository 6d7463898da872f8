/**
 * A counterpart's own signing key and secrets, persisted in its data directory.
 *
 * Invariants:
 * - Private material is written only with mode 0600, created atomically (temp file + hard
 *   link, which fails instead of overwriting) so two processes starting together agree on one
 *   key and a crash never leaves a truncated key file behind.
 * - `kid` is the RFC 7638 thumbprint of the public key: it changes exactly when the key does.
 * - Public JWKs are built from an allowlist of public members, never by copying a private JWK,
 *   so a private member (`d`, `p`, `q`, `dp`, `dq`, `qi`, `k`) can never reach a JWKS.
 * - With `dataDir === "memory://"` keys are ephemeral and nothing is written.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { isMemoryDataDir } from "./db";

export const SIGNING_ALG = "ES256";
export const DEFAULT_SIGNING_KEY_FILE = "signing-key.private.jwk.json";

/** Members a public JWK may carry. Anything else is dropped. */
const PUBLIC_JWK_MEMBERS = ["kty", "crv", "x", "y", "n", "e", "kid", "alg", "use"] as const;
type PublicJwkMember = (typeof PUBLIC_JWK_MEMBERS)[number];
export type PublicJwk = { readonly kty: string } & Partial<Record<Exclude<PublicJwkMember, "kty">, string>>;

export interface ServiceSigningKey {
  readonly kid: string;
  readonly alg: typeof SIGNING_ALG;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: PublicJwk;
}

export type KeyStoreErrorCode = "key_file_invalid";

export class KeyStoreError extends Error {
  override readonly name = "KeyStoreError";
  constructor(
    readonly code: KeyStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Copies only the public members of a JWK (see `PUBLIC_JWK_MEMBERS`). */
export function toPublicJwk(jwk: JWK): PublicJwk {
  if (typeof jwk.kty !== "string") throw new KeyStoreError("key_file_invalid", "JWK has no kty");
  const source = jwk as Record<string, unknown>;
  const out: Record<string, string> = { kty: jwk.kty };
  for (const member of PUBLIC_JWK_MEMBERS) {
    const value = source[member];
    if (typeof value === "string") out[member] = value;
  }
  return out as PublicJwk;
}

/** A JWKS document with the public halves of the given keys. */
export function publicJwks(keys: readonly ServiceSigningKey[]): { keys: PublicJwk[] } {
  return { keys: keys.map((key) => toPublicJwk(key.publicJwk)) };
}

/** Loads the service's ES256 key from `<dataDir>/<fileName>`, creating it on first use. */
export async function loadOrCreateSigningKey(dataDir: string, fileName: string = DEFAULT_SIGNING_KEY_FILE): Promise<ServiceSigningKey> {
  if (isMemoryDataDir(dataDir)) return fromPrivateJwk(await newPrivateJwk());
  const file = path.join(dataDir, fileName);
  const text = await loadOrCreateFile(file, async () => JSON.stringify(await newPrivateJwk(), null, 2) + "\n");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new KeyStoreError("key_file_invalid", `${file} is not valid JSON`, { cause });
  }
  return fromPrivateJwk(parsed, file);
}

/** Loads (or creates) `byteLength` random secret bytes stored base64url in `<dataDir>/<fileName>`. */
export async function loadOrCreateSecret(dataDir: string, fileName: string, byteLength = 32): Promise<Uint8Array> {
  if (isMemoryDataDir(dataDir)) return new Uint8Array(randomBytes(byteLength));
  const file = path.join(dataDir, fileName);
  const text = await loadOrCreateFile(file, () => Promise.resolve(randomBytes(byteLength).toString("base64url") + "\n"));
  const secret = Buffer.from(text.trim(), "base64url");
  if (secret.byteLength < byteLength) {
    throw new KeyStoreError("key_file_invalid", `${file} holds fewer than ${byteLength} bytes`);
  }
  return new Uint8Array(secret);
}

async function newPrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  return exportJWK(privateKey);
}

async function fromPrivateJwk(value: unknown, source = "generated key"): Promise<ServiceSigningKey> {
  const jwk = value as JWK;
  if (
    typeof value !== "object" ||
    value === null ||
    jwk.kty !== "EC" ||
    jwk.crv !== "P-256" ||
    typeof jwk.d !== "string" ||
    typeof jwk.x !== "string" ||
    typeof jwk.y !== "string"
  ) {
    throw new KeyStoreError("key_file_invalid", `${source} is not a private P-256 JWK`);
  }
  const publicMembers: JWK = { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y };
  const kid = await calculateJwkThumbprint(publicMembers, "sha256");
  try {
    const privateKey = await importJWK({ kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, d: jwk.d }, SIGNING_ALG);
    const publicKey = await importJWK(publicMembers, SIGNING_ALG);
    if (privateKey instanceof Uint8Array || publicKey instanceof Uint8Array) {
      throw new TypeError("expected asymmetric keys");
    }
    return {
      kid,
      alg: SIGNING_ALG,
      privateKey,
      publicKey,
      publicJwk: toPublicJwk({ ...publicMembers, kid, alg: SIGNING_ALG, use: "sig" }),
    };
  } catch (cause) {
    throw new KeyStoreError("key_file_invalid", `${source} could not be imported`, { cause });
  }
}

/**
 * Returns the content of `file`, creating it with `create()` first if it does not exist.
 * Creation is atomic and never overwrites: if another process wins the race, its file is used.
 */
async function loadOrCreateFile(file: string, create: () => Promise<string>): Promise<string> {
  const existing = await readPrivateFile(file);
  if (existing !== undefined) return existing;

  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${randomUUID()}.tmp`;
  await writeFile(temp, await create(), { mode: 0o600, flag: "wx" });
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  const created = await readPrivateFile(file);
  if (created === undefined) throw new KeyStoreError("key_file_invalid", `${file} vanished after creation`);
  return created;
}

async function readPrivateFile(file: string): Promise<string | undefined> {
  let mode: number;
  try {
    mode = (await stat(file)).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  // A key readable by group/others may have leaked; this is a local counterpart, so tighten the
  // mode rather than refuse to start (a production service should refuse instead).
  if ((mode & 0o077) !== 0) await chmod(file, 0o600);
  return readFile(file, "utf8");
}
