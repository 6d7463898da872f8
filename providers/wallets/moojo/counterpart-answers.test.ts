/**
 * The Moojo counterpart's answers, in both variants, read with the app's own schemas
 * (./schema.ts), and the app's own credential bodies (./demo-credential.ts) checked by the
 * app's request schemas and accepted by the counterpart. A shape the app cannot read, or a body
 * Moojo would refuse, fails here first. (The counterpart's own behaviour is tested in its
 * package: moojo/service.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMoojo } from "@byo/counterparts/moojo";
import { createRsaKey, firebaseClaims, signIdToken, startJwksServer, type JwksServer } from "@byo/counterparts/moojo/test-support";
import { COUNTERPART_VARIANTS } from "@byo/counterparts/lib/variant";
import { DEMO_CREDENTIAL_DEFINITION, demoCredentialRequest } from "./demo-credential";
import { addCredentialRequest, authenticateResponse, defineCredentialRequest, listCredentialsResponse, writeResponse } from "./schema";

const PROJECT = "byo-auth-prod";
const API_KEY = "moojo-test-api-key-0123456789abcdef";
let google: Awaited<ReturnType<typeof createRsaKey>>;
let jwks: JwksServer;
beforeAll(async () => {
  google = await createRsaKey();
  jwks = await startJwksServer([google.publicJwk]);
});
afterAll(async () => {
  await jwks?.close();
});

describe.each(COUNTERPART_VARIANTS)("the %s counterpart, read with the app's schemas", (variant) => {
  it("authenticate, define, add and list parse; the app's credential bodies pass its schemas and the counterpart", async () => {
    const service = await startMoojo({
      port: 0,
      dataDir: "memory://",
      apiKey: API_KEY,
      firebase: { projectId: PROJECT, jwksUrl: jwks.url },
      variant,
    });
    const call = async (path: string, body: unknown, token?: string) => {
      const response = await fetch(`${service.url}${path}`, {
        method: "POST",
        headers: {
          "x-api-key": API_KEY,
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(response.status).toBe(200);
      return response.json() as Promise<unknown>;
    };
    try {
      const idToken = await signIdToken(google, firebaseClaims(PROJECT, "appSchemasUser00000000001", Math.floor(Date.now() / 1000)));
      const user = authenticateResponse.parse(await call("/user/authenticate", { idType: "firebaseJwt", id: idToken })).data;

      writeResponse.parse(await call("/define-credential", defineCredentialRequest.parse(DEMO_CREDENTIAL_DEFINITION)));
      const issuedAt = new Date();
      writeResponse.parse(
        await call("/user/add-credential", addCredentialRequest.parse(demoCredentialRequest(user.publicUserId, "firebase", issuedAt))),
      );
      const [credential, ...rest] = listCredentialsResponse.parse(await call("/user/vault/list-credentials", undefined, user.token)).data
        .credentials;
      expect(rest).toEqual([]);
      expect(credential?.fields).toEqual({ "sign-in-method": "firebase", "issued-at": Math.floor(issuedAt.getTime() / 1000) });

      // A definition without fields gives credentials with empty fields, which the app accepts too.
      await call("/define-credential", { slug: "attended-demo" });
      await call("/user/add-credential", { publicUserId: user.publicUserId, slug: "attended-demo", fields: {} });
      const all = listCredentialsResponse.parse(await call("/user/vault/list-credentials", undefined, user.token)).data.credentials;
      expect(all.map((c) => c.fields)).toContainEqual({});
    } finally {
      await service.close();
    }
  });
});
