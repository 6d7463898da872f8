/**
 * The AIR Kit counterpart in both variants, over HTTP, on the path a person walks (login with a
 * code, user info, MFA with a passkey, a fresh token): the address appears only once MFA is set
 * up, passkey enrolment refuses what it must, and each variant sends the shape it documents.
 * That the app's own schemas read these answers is checked next to them, in
 * providers/wallets/airkit/counterpart-answers.test.ts.
 */
import { decodeProtectedHeader, createRemoteJWKSet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { signTestToken } from "../lib/test-signing";
import { b64u, newSoftAuthenticator, softRegistration } from "../lib/test-webauthn";
import { COUNTERPART_VARIANTS, UNKNOWN_EXTRA_FIELDS } from "../lib/variant";
import { APP_ORIGIN, PARTNER, useAirKitCounterpart } from "./test-support";

describe.each(COUNTERPART_VARIANTS)("the %s variant", (variant) => {
  const { ctx, call, mailedCode } = useAirKitCounterpart(variant);

  async function login(email: string, partnerUserId: string) {
    const iat = Math.floor(Date.now() / 1000);
    const authToken = await signTestToken({
      key: ctx.partnerKey,
      claims: { partnerId: PARTNER, email, partnerUserId, iat, exp: iat + 300 },
    });
    const first = await call("POST", "/v1/auth/login", { partnerId: PARTNER, authToken }, { Origin: APP_ORIGIN });
    if (first.body.status === "authenticated") return first.body.result as Record<string, unknown>;
    const code = await mailedCode(email);
    const verified = await call("POST", "/v1/auth/verify", { challengeId: first.body.challengeId, code });
    expect(verified.status).toBe(200);
    return verified.body.result as Record<string, unknown>;
  }

  const verifyToken = async (token: string) => {
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${ctx.air.url}/.well-known/jwks.json`)), {
      algorithms: ["ES256"],
    });
    return payload as { abstractAccountAddress?: string; partnerUserId?: string; sourcePartnerId?: string };
  };

  it("answers in the variant's shape, with the address only after a passkey is enrolled as MFA", async () => {
    const email = `mfa-${variant}@example.com`;
    const result = await login(email, "app-user-1");
    expect(result).toMatchObject({ isLoggedIn: true, isMFASetup: false });
    expect(result.abstractAccountAddress).toBeUndefined();
    const token = result.token as string;
    const before = await verifyToken(token);
    expect(before.abstractAccountAddress).toBeUndefined();
    const auth = { Authorization: `Bearer ${token}` };
    const info = await call("GET", "/v1/user", undefined, auth);
    expect(info.body.user).toMatchObject({ id: result.id, isMFASetup: false });
    expect((info.body.user as Record<string, unknown>).abstractAccountAddress).toBeUndefined();

    // The variant's own shape.
    const header = decodeProtectedHeader(token);
    if (variant === "standard") {
      expect(header).toEqual({ alg: "ES256", typ: "JWT", kid: expect.any(String) });
      expect(before.partnerUserId).toBe("app-user-1");
      expect(info.body).toMatchObject({ partnerId: PARTNER, partnerUserId: "app-user-1", user: { email } });
    } else {
      expect(header).toEqual({ alg: "ES256" });
      expect(before.partnerUserId).toBeUndefined();
      expect(before.sourcePartnerId).toBeUndefined();
      expect(Object.keys(info.body).sort()).toEqual([...Object.keys(UNKNOWN_EXTRA_FIELDS), "user"].sort());
      expect(result).toMatchObject(UNKNOWN_EXTRA_FIELDS);
      expect((info.body.user as Record<string, unknown>).email).toBeUndefined();
    }

    // MFA: the registered origin asks for options, the authenticator answers, AIR records it.
    const refusedOrigin = await call("POST", "/v1/mfa/passkey/options", {}, { ...auth, Origin: "https://evil.example" });
    expect([refusedOrigin.status, (refusedOrigin.body.error as { code: string }).code]).toEqual([403, "origin_not_allowed"]);
    const options = await call("POST", "/v1/mfa/passkey/options", {}, { ...auth, Origin: APP_ORIGIN });
    expect(options.status).toBe(200);
    const publicKey = options.body.publicKey as {
      challenge: string;
      rp: { id: string };
      attestation: string;
      authenticatorSelection: { userVerification: string };
    };
    expect(publicKey).toMatchObject({
      rp: { id: "localhost" },
      attestation: "none",
      authenticatorSelection: { userVerification: "required" },
    });
    const authenticator = newSoftAuthenticator();
    const credential = (response: ReturnType<typeof softRegistration>) => ({
      id: b64u(authenticator.credentialId),
      type: "public-key",
      response,
    });

    const wrongChallenge = await call(
      "POST",
      "/v1/mfa/passkey",
      {
        challengeId: options.body.challengeId,
        credential: credential(softRegistration(authenticator, { rpId: "localhost", origin: APP_ORIGIN, challenge: b64u("not it") })),
      },
      auth,
    );
    expect([wrongChallenge.status, (wrongChallenge.body.error as { code: string }).code]).toEqual([400, "challenge_mismatch"]);
    // That attempt used the challenge up.
    const good = softRegistration(authenticator, { rpId: "localhost", origin: APP_ORIGIN, challenge: publicKey.challenge });
    const reused = await call("POST", "/v1/mfa/passkey", { challengeId: options.body.challengeId, credential: credential(good) }, auth);
    expect([reused.status, (reused.body.error as { code: string }).code]).toEqual([404, "mfa_challenge_not_found"]);

    const fresh = await call("POST", "/v1/mfa/passkey/options", {}, { ...auth, Origin: APP_ORIGIN });
    const freshKey = fresh.body.publicKey as { challenge: string };
    const enrolled = await call(
      "POST",
      "/v1/mfa/passkey",
      {
        challengeId: fresh.body.challengeId,
        credential: credential(softRegistration(authenticator, { rpId: "localhost", origin: APP_ORIGIN, challenge: freshKey.challenge })),
      },
      auth,
    );
    expect(enrolled).toEqual({ status: 200, body: { isMFASetup: true } });
    const again = await call("POST", "/v1/mfa/passkey/options", {}, { ...auth, Origin: APP_ORIGIN });
    expect([again.status, (again.body.error as { code: string }).code]).toEqual([409, "mfa_already_set_up"]);

    // Now AIR returns the address: in user info, in a fresh token, and at the next login.
    const after = await call("GET", "/v1/user", undefined, auth);
    const address = (after.body.user as { abstractAccountAddress?: string }).abstractAccountAddress;
    expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const refreshed = await call("POST", "/v1/auth/token", {}, auth);
    expect((await verifyToken(refreshed.body.token as string)).abstractAccountAddress).toBe(address);
    const next = (await login(email, "app-user-1")) as { token: string };
    expect(next).toMatchObject({ abstractAccountAddress: address, isMFASetup: true });
    expect((await verifyToken(next.token)).abstractAccountAddress).toBe(address);
  });
});
