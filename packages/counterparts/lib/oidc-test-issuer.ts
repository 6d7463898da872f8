/**
 * Test support: a tiny OpenID issuer on a loopback port (discovery document + JWKS over HTTP)
 * with an RS256 and an ES256 key, and a token minter that can also produce broken tokens.
 * Used by tests only. Key creation and signing reuse the AIR Kit test helpers.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { JWK, JWTPayload } from "jose";
import { SignJWT } from "jose";
import { base64urlJson, createTestSigningKey, signTestToken, type TestSigningKey } from "./test-signing";
import { closeServer } from "./http";

export type TestIssuerKey = TestSigningKey;
export const createTestIssuerKey = createTestSigningKey;

export interface TestIssuer {
  /** The issuer identifier (`iss`), e.g. `http://127.0.0.1:53123`. */
  readonly url: string;
  readonly rs256: TestIssuerKey;
  readonly es256: TestIssuerKey;
  /** The discovery document served; mutate it (or delete members) to break it. */
  readonly discovery: Record<string, unknown>;
  /** The JWKS served; push or remove keys to simulate rotation. */
  readonly jwks: JWK[];
  readonly requests: { discovery: number; jwks: number };
  /** Signs `claims` (defaults: iss = this issuer) with `key` (default RS256). */
  mint(claims: JWTPayload, options?: { key?: TestIssuerKey; header?: Readonly<Record<string, string | undefined>> }): Promise<string>;
  close(): Promise<void>;
}

export interface TestIssuerOptions {
  /** Path under the origin, to test issuers with a path component. */
  readonly path?: string;
}

export async function startTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const [rs256, es256] = await Promise.all([createTestSigningKey("RS256"), createTestSigningKey("ES256")]);
  const jwks: JWK[] = [rs256.publicJwk, es256.publicJwk];
  const discovery: Record<string, unknown> = {};
  const requests = { discovery: 0, jwks: 0 };
  const base = options.path ?? "";

  const server: Server = createServer((req, res) => {
    let body: unknown;
    if (req.url === `${base}/.well-known/openid-configuration`) {
      requests.discovery += 1;
      body = discovery;
    } else if (req.url === `${base}/jwks.json`) {
      requests.jwks += 1;
      body = { keys: jwks };
    } else {
      res.writeHead(404).end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${base}`;
  Object.assign(discovery, {
    issuer: url,
    jwks_uri: `${url}/jwks.json`,
    authorization_endpoint: `${url}/authorize`,
    response_types_supported: ["id_token"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256", "ES256"],
  });

  return {
    url,
    rs256,
    es256,
    discovery,
    jwks,
    requests,
    mint: (claims, { key = rs256, header } = {}) =>
      signTestToken({ key, claims: { iss: url, ...claims }, ...(header !== undefined ? { header } : {}) }),
    close: () => closeServer(server),
  };
}

/** `alg: none` token (no signature). */
export function unsignedToken(claims: JWTPayload, header: Record<string, string> = {}): string {
  return `${base64urlJson({ alg: "none", typ: "JWT", ...header })}.${base64urlJson(claims)}.`;
}

/** HS256 token keyed with `secret` (e.g. an RSA public key PEM, the classic alg confusion). */
export function hmacToken(claims: JWTPayload, secret: string, kid: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT", kid }).sign(new TextEncoder().encode(secret));
}
