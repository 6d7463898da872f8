/**
 * Test fixtures for the Moojo counterpart: RS256 keys standing in for Google's securetoken keys, a
 * loopback JWKS server (counting requests), and builders for Firebase-shaped ID tokens, signed
 * or unsigned (as the Auth Emulator issues them), well-formed or deliberately broken.
 * Used by tests only.
 */
import { SignJWT, exportJWK, generateKeyPair, type JWK, type JWTPayload } from "jose";
import { toPublicJwk } from "../lib/keys";
import { startJwksServer as startSharedJwksServer } from "../lib/test-signing";
import { FIREBASE_ISSUER_PREFIX } from "./firebase-id-token";

export interface SigningKey {
  readonly alg: "RS256" | "HS256";
  readonly kid: string;
  readonly privateKey: CryptoKey | Uint8Array;
  readonly publicJwk?: JWK;
}

let kidCounter = 0;

/** An RSA key with a Google-style opaque kid. */
export async function createRsaKey(): Promise<SigningKey & { publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = `test-kid-${++kidCounter}-${Math.random().toString(16).slice(2, 10)}`;
  return { alg: "RS256", kid, privateKey, publicJwk: { ...toPublicJwk(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}

export type { JwksServer } from "../lib/test-signing";

/** A JWKS server at the path Google publishes its securetoken keys on. */
export const startJwksServer = (keys: JWK[]) =>
  startSharedJwksServer(keys, "/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com");

/** The claims of a Firebase ID token for `uid` in `projectId`, issued `age` seconds before `nowSeconds`. */
export function firebaseClaims(projectId: string, uid: string, nowSeconds: number, overrides: JWTPayload = {}): JWTPayload {
  const iat = nowSeconds - 10;
  return {
    iss: `${FIREBASE_ISSUER_PREFIX}${projectId}`,
    aud: projectId,
    auth_time: iat - 60,
    user_id: uid,
    sub: uid,
    iat,
    exp: iat + 3600,
    email: `${uid.toLowerCase()}@example.com`,
    email_verified: true,
    firebase: { identities: { email: [`${uid.toLowerCase()}@example.com`] }, sign_in_provider: "password" },
    ...overrides,
  };
}

/** Signs like Firebase does (`alg`, `kid`, `typ: JWT`); `header` overrides, `undefined` removes. */
export async function signIdToken(
  key: SigningKey,
  claims: JWTPayload,
  header: Readonly<Record<string, string | undefined>> = {},
): Promise<string> {
  const protectedHeader: Record<string, string> = { alg: key.alg, kid: key.kid, typ: "JWT" };
  for (const [name, value] of Object.entries(header)) {
    if (value === undefined) delete protectedHeader[name];
    else protectedHeader[name] = value;
  }
  return new SignJWT(claims).setProtectedHeader(protectedHeader as { alg: string }).sign(key.privateKey);
}

export function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** An unsigned token exactly as the Firebase Auth Emulator issues it. */
export function unsignedIdToken(claims: JWTPayload, signature = ""): string {
  return `${base64urlJson({ alg: "none", typ: "JWT" })}.${base64urlJson(claims)}.${signature}`;
}

export function tamperSignature(token: string): string {
  const [header, payload, signature = ""] = token.split(".");
  const middle = Math.floor(signature.length / 2);
  const flipped = signature[middle] === "A" ? "B" : "A";
  return `${header}.${payload}.${signature.slice(0, middle)}${flipped}${signature.slice(middle + 1)}`;
}

/** Replaces the payload of a signed token, keeping the original signature. */
export function swapPayload(token: string, claims: JWTPayload): string {
  const [header, , signature] = token.split(".");
  return `${header}.${base64urlJson(claims)}.${signature}`;
}
