// Reads the Auth.js session cookie (a JWE) the way Auth.js itself does, without the rest of
// `auth()`.
//
// Why: `auth()` runs the whole Auth.js request cycle for one read. It builds a Request,
// derives the encryption key with HKDF and hashes its thumbprint, decrypts, runs the callbacks,
// then derives the key again and re-encrypts a fresh cookie, answers a Response and parses its
// JSON back. When called from a route handler or a Server Component (as getIdentity() is), the
// re-issued cookie is thrown away: Next.js cannot set cookies from there, and next-auth's
// `auth()` does not try (node_modules/next-auth/lib/index.js, getSession). Measured with
// `npm run bench -- --profile`, that cycle was most of the partner-token mint's time.
//
// What stays per request: the decryption and every check (integrity, `exp` with Auth.js's 15 s
// tolerance, the lifetime counted from sign-in). What is kept across requests is only the key
// derived from AUTH_SECRET (a pure function of the secret and the cookie name): no session, no
// user data. Format: node_modules/@auth/core/jwt.js (`decode`, `getDerivedEncryptionKey`):
// "dir" JWE, A256CBC-HS512 (A256GCM also accepted), key = HKDF-SHA-256(secret, salt = cookie
// name, info = "Auth.js Generated Encryption Key (<salt>)"), `kid` = the key's JWK thumbprint.
import "server-only";
import { hkdf } from "node:crypto";
import type { JWT } from "@auth/core/jwt";
import { base64url, calculateJwkThumbprint, jwtDecrypt } from "jose";

/** The session cookie's name, as Auth.js chooses it: `__Secure-` prefixed when the app's URL is https. */
export function sessionCookieName(appUrl: string): string {
  return `${appUrl.startsWith("https:") ? "__Secure-" : ""}authjs.session-token`;
}

/**
 * The session token's text from the request's cookies, joined from its chunks the way Auth.js's
 * SessionStore does (node_modules/@auth/core/lib/utils/cookie.js): every non-empty cookie whose
 * name starts with the session cookie's name, ordered by the number after the last dot.
 */
export function sessionTokenFromCookies(cookies: readonly { name: string; value: string }[], name: string): string | null {
  const chunks = cookies.filter((c) => c.name.startsWith(name) && c.value);
  if (chunks.length === 0) return null;
  const index = (cookieName: string) => parseInt(cookieName.split(".").pop() || "0");
  return chunks
    .sort((a, b) => index(a.name) - index(b.name))
    .map((c) => c.value)
    .join("");
}

interface DerivedKey {
  key: Uint8Array;
  kid: string;
}

/** Derived keys by secret, cookie name and algorithm: the only thing kept across requests. */
const derivedKeys = new Map<string, Promise<DerivedKey>>();

function derivedKey(secret: string, salt: string, enc: string): Promise<DerivedKey> {
  const length = enc === "A256CBC-HS512" ? 64 : enc === "A256GCM" ? 32 : 0;
  if (!length) return Promise.reject(new Error("Unsupported JWT Content Encryption Algorithm"));
  const id = `${enc}\0${salt}\0${secret}`;
  let known = derivedKeys.get(id);
  if (!known) {
    known = new Promise<Uint8Array>((resolve, reject) =>
      hkdf("sha256", secret, salt, `Auth.js Generated Encryption Key (${salt})`, length, (error, bytes) =>
        error ? reject(error) : resolve(new Uint8Array(bytes)),
      ),
    ).then(async (key) => ({
      key,
      kid: await calculateJwkThumbprint({ kty: "oct", k: base64url.encode(key) }, length === 64 ? "sha512" : "sha256"),
    }));
    derivedKeys.set(id, known);
  }
  return known;
}

/**
 * Decrypts and checks an Auth.js session token (throws if it is not one this secret issued, or
 * has expired). Equivalent to Auth.js's `decode({ token, secret, salt })` for one secret.
 */
export async function decodeSessionToken(token: string, secret: string, salt: string): Promise<JWT> {
  const { payload } = await jwtDecrypt<JWT>(
    token,
    async ({ kid, enc }) => {
      const derived = await derivedKey(secret, salt, enc);
      if (kid === undefined || kid === derived.kid) return derived.key;
      throw new Error("no matching decryption secret");
    },
    { clockTolerance: 15, keyManagementAlgorithms: ["dir"], contentEncryptionAlgorithms: ["A256CBC-HS512", "A256GCM"] },
  );
  return payload;
}

/**
 * When the session ends, in seconds since the epoch: sign-in time plus the lifetime, whatever
 * the cookie's own `exp` says (Auth.js renews that whenever the session is read, so on its own
 * a session, or a stolen cookie, could live forever). A token without a sign-in time has ended.
 */
export function sessionEndsAt(token: Pick<JWT, "signedInAt">, maxAgeSeconds: number): number {
  const signedInAt = typeof token.signedInAt === "number" ? token.signedInAt : 0;
  return signedInAt + maxAgeSeconds;
}

export function sessionIsLive(token: Pick<JWT, "signedInAt">, maxAgeSeconds: number, nowMs = Date.now()): boolean {
  return nowMs / 1000 <= sessionEndsAt(token, maxAgeSeconds);
}
