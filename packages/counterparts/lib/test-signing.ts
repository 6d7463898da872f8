/**
 * Test fixtures for counterparts that verify others' tokens (AIR Kit partner tokens, OIDC ID
 * tokens): ES256 and RS256 signing keys with thumbprint kids, a loopback HTTP server publishing
 * a JWKS (counting requests), and a signer that can produce both well-formed and deliberately
 * broken tokens. Used by tests only.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, type JWTPayload } from "jose";
import { closeServer } from "../lib/http";
import { toPublicJwk } from "../lib/keys";

export interface TestSigningKey {
  readonly alg: "ES256" | "RS256";
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly privateJwk: JWK;
}

export async function createTestSigningKey(alg: "ES256" | "RS256"): Promise<TestSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicMembers = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicMembers);
  return {
    alg,
    kid,
    privateKey,
    publicKey,
    publicJwk: { ...toPublicJwk(publicMembers), kid, alg, use: "sig" },
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg },
  };
}

export interface JwksServer {
  readonly url: string;
  /** The JWKS served; mutate it to simulate rotation. */
  readonly keys: JWK[];
  /** Number of requests served so far. */
  readonly requests: number;
  close(): Promise<void>;
}

/** Serves `{ keys }` on loopback; `path` is only the URL handed out (any path answers). */
export async function startJwksServer(keys: JWK[], path = "/.well-known/jwks.json"): Promise<JwksServer> {
  const state: { requests: number } = { requests: 0 };
  const server: Server = createServer((req, res) => {
    state.requests += 1;
    const body = JSON.stringify({ keys });
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    keys,
    get requests() {
      return state.requests;
    },
    close: () => closeServer(server),
  };
}

export interface TokenOptions {
  readonly key: TestSigningKey;
  readonly claims: JWTPayload;
  /** Header overrides; `undefined` values remove the member. */
  readonly header?: Readonly<Record<string, string | undefined>>;
}

export async function signTestToken({ key, claims, header = {} }: TokenOptions): Promise<string> {
  const protectedHeader: Record<string, string> = { alg: key.alg, typ: "JWT", kid: key.kid };
  for (const [name, value] of Object.entries(header)) {
    if (value === undefined) delete protectedHeader[name];
    else protectedHeader[name] = value;
  }
  // SignJWT requires alg; the header object is passed as-is so typ/kid can be left out.
  return new SignJWT(claims).setProtectedHeader(protectedHeader as { alg: string }).sign(key.privateKey);
}

export function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}
