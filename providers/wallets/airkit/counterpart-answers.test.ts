/**
 * The AIR Kit counterpart's answers, in both variants, read with the app's own schemas
 * (./schema.ts) on the path a person walks: login with a code, user info, MFA with a passkey,
 * a fresh token, the next login. A shape the app cannot read fails here first. (The
 * counterpart's own behaviour on this path is tested in its package: airkit/variants.test.ts.)
 */
import { createRemoteJWKSet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { APP_ORIGIN, PARTNER, useAirKitCounterpart } from "@byo/counterparts/airkit/test-support";
import { signTestToken } from "@byo/counterparts/lib/test-signing";
import { b64u, newSoftAuthenticator, softRegistration } from "@byo/counterparts/lib/test-webauthn";
import { COUNTERPART_VARIANTS } from "@byo/counterparts/lib/variant";
import { airLoginResultSchema, airTokenClaimsSchema, airUserDetailsSchema } from "./schema";

describe.each(COUNTERPART_VARIANTS)("the %s counterpart, read with the app's schemas", (variant) => {
  const { ctx, call, mailedCode } = useAirKitCounterpart(variant);

  async function login(email: string) {
    const iat = Math.floor(Date.now() / 1000);
    const authToken = await signTestToken({
      key: ctx.partnerKey,
      claims: { partnerId: PARTNER, email, partnerUserId: "app-user-1", iat, exp: iat + 300 },
    });
    const first = await call("POST", "/v1/auth/login", { partnerId: PARTNER, authToken }, { Origin: APP_ORIGIN });
    if (first.body.status === "authenticated") return airLoginResultSchema.parse(first.body.result);
    const verified = await call("POST", "/v1/auth/verify", { challengeId: first.body.challengeId, code: await mailedCode(email) });
    return airLoginResultSchema.parse(verified.body.result);
  }
  const claims = async (token: string) =>
    airTokenClaimsSchema.parse(
      (await jwtVerify(token, createRemoteJWKSet(new URL(`${ctx.air.url}/.well-known/jwks.json`)), { algorithms: ["ES256"] })).payload,
    );

  it("login, user info, passkey MFA, a fresh token and the next login all parse, with the address once MFA is set up", async () => {
    const email = `app-schemas-${variant}@example.com`;
    const first = await login(email);
    expect(first).toMatchObject({ isLoggedIn: true, isMFASetup: false });
    expect(first.abstractAccountAddress).toBeUndefined();
    expect((await claims(first.token)).abstractAccountAddress).toBeUndefined();
    const auth = { Authorization: `Bearer ${first.token}` };
    expect(airUserDetailsSchema.parse((await call("GET", "/v1/user", undefined, auth)).body).user).toMatchObject({
      id: first.id,
      isMFASetup: false,
    });

    const options = await call("POST", "/v1/mfa/passkey/options", {}, { ...auth, Origin: APP_ORIGIN });
    const challenge = (options.body.publicKey as { challenge: string }).challenge;
    const authenticator = newSoftAuthenticator();
    const response = softRegistration(authenticator, { rpId: "localhost", origin: APP_ORIGIN, challenge });
    const enrolled = await call(
      "POST",
      "/v1/mfa/passkey",
      { challengeId: options.body.challengeId, credential: { id: b64u(authenticator.credentialId), type: "public-key", response } },
      auth,
    );
    expect(enrolled.status).toBe(200);

    const address = airUserDetailsSchema.parse((await call("GET", "/v1/user", undefined, auth)).body).user.abstractAccountAddress;
    expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const refreshed = await call("POST", "/v1/auth/token", {}, auth);
    expect((await claims(refreshed.body.token as string)).abstractAccountAddress).toBe(address);
    const next = await login(email);
    expect(next).toMatchObject({ abstractAccountAddress: address, isMFASetup: true });
    expect((await claims(next.token)).abstractAccountAddress).toBe(address);
  });
});
