/**
 * The Alchemy counterpart's answers, in both variants, parsed by the very schemas the app parses
 * Alchemy with (./schema.ts): pre-generation, login with a credential bundle, and whoami stamped
 * with the bundle's key. A shape the app cannot read fails here first. (Which shape each variant
 * sends is tested in the counterparts package: alchemy/alchemy.test.ts.)
 */
import { decryptCredentialBundle, generateP256KeyPair, getPublicKey } from "@turnkey/crypto";
import { Turnkey } from "@turnkey/sdk-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAlchemy } from "@byo/counterparts/alchemy";
import type { RunningService } from "@byo/counterparts/lib/http";
import { startTestIssuer, type TestIssuer } from "@byo/counterparts/lib/oidc-test-issuer";
import { nonceForPublicKey } from "@byo/counterparts/lib/oidc-token";
import { COUNTERPART_VARIANTS } from "@byo/counterparts/lib/variant";
import { authJwtResponseSchema, whoamiResponseSchema } from "./schema";

const API_KEY = "alchemy-test-api-key-0123456789";
const AUD = "project-one";
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await issuer?.close();
});

describe.each(COUNTERPART_VARIANTS)("the %s counterpart, read with the app's schemas", (variant) => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startAlchemy({ port: 0, dataDir: "memory://", apiKey: API_KEY, audiences: [AUD], allowedOrigins: [], variant });
  });
  afterAll(async () => {
    await service?.close();
  });
  const post = async (path: string, body: unknown): Promise<unknown> => {
    const response = await fetch(`${service.url}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return response.json();
  };
  const jwt = (sub: string, targetPublicKey?: string) => {
    const now = Math.floor(Date.now() / 1000);
    return issuer.mint({
      iss: issuer.url,
      sub,
      aud: AUD,
      iat: now - 5,
      exp: now + 300,
      email: `${sub}@example.com`,
      email_verified: true,
      ...(targetPublicKey !== undefined ? { nonce: nonceForPublicKey(targetPublicKey) } : {}),
    });
  };

  it("pre-generation, login and whoami all parse", async () => {
    const sub = `app-schemas-${variant}`;
    const pre = authJwtResponseSchema.parse(await post("/signer/v1/auth-jwt", { jwt: await jwt(sub), authProvider: "byo-auth" }));
    expect(pre).toMatchObject({ isSignup: true, credentialBundle: null });

    const target = generateP256KeyPair();
    const login = authJwtResponseSchema.parse(
      await post("/signer/v1/auth-jwt", {
        jwt: await jwt(sub, target.publicKeyUncompressed),
        authProvider: "byo-auth",
        targetPublicKey: target.publicKeyUncompressed,
      }),
    );
    expect(login).toMatchObject({ isSignup: false, orgId: pre.orgId, address: pre.address, credentialBundle: expect.any(String) });

    // What Alchemy's signer client does with the bundle: decrypt, derive the key, stamp whoami.
    const privateKey = decryptCredentialBundle(login.credentialBundle!, target.privateKey);
    const stampedRequest = await new Turnkey({
      apiBaseUrl: "https://api.turnkey.com",
      defaultOrganizationId: login.orgId,
      apiPublicKey: Buffer.from(getPublicKey(privateKey, true)).toString("hex"),
      apiPrivateKey: privateKey,
    })
      .apiClient()
      .stampGetWhoami({ organizationId: login.orgId });
    const me = whoamiResponseSchema.parse(await post("/signer/v1/whoami", { stampedRequest }));
    expect(me).toMatchObject({ orgId: login.orgId, userId: login.userId, address: login.address });
  });
});
