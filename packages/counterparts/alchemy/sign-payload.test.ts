/**
 * /signer/v1/sign-payload on the Alchemy counterpart, driven as Alchemy's signer client drives
 * it (signRawMessage: a Turnkey sign_raw_payload request stamped with the session key,
 * HEXADECIMAL + HASH_FUNCTION_NO_OP over viem's hashMessage, signWith the user's address), in
 * both variants. viem checks that the signature recovers the address auth-jwt reported, so a
 * wrong derivation or a wrong hash fails here.
 */
import { decryptCredentialBundle, generateP256KeyPair, getPublicKey } from "@turnkey/crypto";
import { bytesToHex } from "@noble/hashes/utils.js";
import { Turnkey } from "@turnkey/sdk-server";
import { hashMessage, verifyMessage } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "../lib/http";
import { nonceForPublicKey } from "../lib/oidc-token";
import { startTestIssuer, type TestIssuer } from "../lib/oidc-test-issuer";
import { frozenClock } from "../lib/test-clock";
import { COUNTERPART_VARIANTS } from "../lib/variant";
import { startAlchemy } from "./index";

const T = 1_900_000_000;
const API_KEY = "alchemy-test-api-key-0123456789";
const AUD = "project-one";
const MESSAGE = "127.0.0.1 wants you to sign with your Ethereum account.\nNonce: 0123456789abcdef0123456789abcdef";

describe.each(COUNTERPART_VARIANTS)("sign-payload (%s variant)", (variant) => {
  const clock = frozenClock(T);
  let issuer: TestIssuer;
  let alchemy: RunningService;

  async function call<T>(path: string, body: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${alchemy.url}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** Logs `sub` in; returns the session's stamping client and what auth-jwt reported. */
  async function login(sub: string, expirationSeconds = 900) {
    const target = generateP256KeyPair();
    const jwt = await issuer.mint({
      iss: issuer.url,
      sub,
      aud: AUD,
      iat: T - 5,
      exp: T + 300,
      nonce: nonceForPublicKey(target.publicKeyUncompressed),
    });
    const { body } = await call<{ orgId: string; address: `0x${string}`; credentialBundle: string }>("/signer/v1/auth-jwt", {
      jwt,
      authProvider: "byo-auth",
      targetPublicKey: target.publicKeyUncompressed,
      expirationSeconds,
    });
    const privateKey = decryptCredentialBundle(body.credentialBundle, target.privateKey);
    const client = new Turnkey({
      apiBaseUrl: "https://api.turnkey.com",
      defaultOrganizationId: body.orgId,
      apiPublicKey: bytesToHex(getPublicKey(privateKey, true)),
      apiPrivateKey: privateKey,
    }).apiClient();
    return { client, orgId: body.orgId, address: body.address };
  }

  /** What signRawMessage stamps for `signMessage(message)`. */
  const stampSign = (
    session: Awaited<ReturnType<typeof login>>,
    over: { signWith?: string; organizationId?: string; payload?: string } = {},
  ) =>
    session.client.stampSignRawPayload({
      organizationId: over.organizationId ?? session.orgId,
      encoding: "PAYLOAD_ENCODING_HEXADECIMAL",
      hashFunction: "HASH_FUNCTION_NO_OP",
      payload: over.payload ?? hashMessage(MESSAGE),
      signWith: over.signWith ?? session.address,
    });

  beforeAll(async () => {
    issuer = await startTestIssuer();
    alchemy = await startAlchemy({
      port: 0,
      dataDir: "memory://",
      apiKey: API_KEY,
      audiences: [AUD],
      allowedOrigins: [],
      now: clock.now,
      variant,
    });
  });
  afterAll(async () => {
    await alchemy?.close();
    await issuer?.close();
  });

  it("answers an EIP-191 signature (v = 27/28) that recovers the address auth-jwt reported", async () => {
    const session = await login("signer");
    const { status, body } = await call<{ signature: `0x${string}` }>("/signer/v1/sign-payload", {
      stampedRequest: await stampSign(session),
    });
    expect(status).toBe(200);
    expect(body.signature).toMatch(/^0x[0-9a-f]{128}(1b|1c)$/);
    expect(await verifyMessage({ address: session.address, message: MESSAGE, signature: body.signature })).toBe(true);
    expect(await verifyMessage({ address: session.address, message: `${MESSAGE}.`, signature: body.signature })).toBe(false);
  });

  it("refuses to sign for another user's address or organization, or a request stamped for another call", async () => {
    const session = await login("signer-a");
    const other = await login("signer-b");
    const cases: [unknown, number, string][] = [
      [await stampSign(session, { signWith: other.address }), 403, "sign_with_mismatch"],
      [await stampSign(session, { organizationId: other.orgId }), 403, "organization_mismatch"],
      [{ ...(await stampSign(session)), url: "https://api.turnkey.com/public/v1/query/whoami" }, 400, "stamped_request_url_invalid"],
      [{ ...(await stampSign(session)), body: JSON.stringify({ organizationId: session.orgId }) }, 401, "stamp_signature_invalid"],
      [await stampSign(session, { payload: "0x1234" }), 400, "payload_invalid"],
    ];
    for (const [stampedRequest, status, code] of cases) {
      const answer = await call<{ error: { code: string } }>("/signer/v1/sign-payload", { stampedRequest });
      expect([answer.status, answer.body.error.code]).toEqual([status, code]);
    }
  });

  it("refuses an expired session key", async () => {
    const session = await login("signer-short", 60);
    const stampedRequest = await stampSign(session);
    clock.advance(61);
    try {
      const answer = await call<{ error: { code: string } }>("/signer/v1/sign-payload", { stampedRequest });
      expect([answer.status, answer.body.error.code]).toEqual([401, "stamp_key_expired"]);
    } finally {
      clock.reset();
    }
  });
});
