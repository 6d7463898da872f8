/**
 * The AIR Kit counterpart's wallet (POST /v1/wallet/rpc, personal_sign), in both variants: it
 * signs only for a session whose account has MFA, only for that account's address, and its
 * EIP-191 signature recovers the address AIR reports (checked with viem), so a wrong key
 * derivation or a wrong hash fails here.
 */
import { toHex, verifyMessage } from "viem";
import { describe, expect, it } from "vitest";
import { signTestToken } from "../lib/test-signing";
import { b64u, newSoftAuthenticator, softRegistration } from "../lib/test-webauthn";
import { COUNTERPART_VARIANTS } from "../lib/variant";
import { APP_ORIGIN, PARTNER, useAirKitCounterpart } from "./test-support";

const MESSAGE = "localhost:3000 wants you to sign with your Ethereum account.\nNonce: 0123456789abcdef0123456789abcdef";

describe.each(COUNTERPART_VARIANTS)("personal_sign (%s variant)", (variant) => {
  const { ctx, call, mailedCode } = useAirKitCounterpart(variant);
  const errorOf = (answer: { status: number; body: Record<string, unknown> }) => [
    answer.status,
    (answer.body.error as { code: string } | undefined)?.code,
  ];

  /** Logs `email` in (with the emailed code) and returns the session token. */
  async function login(email: string): Promise<string> {
    const iat = Math.floor(Date.now() / 1000);
    const authToken = await signTestToken({ key: ctx.partnerKey, claims: { partnerId: PARTNER, email, iat, exp: iat + 300 } });
    const first = await call("POST", "/v1/auth/login", { partnerId: PARTNER, authToken }, { Origin: APP_ORIGIN });
    if (first.body.status === "authenticated") return (first.body.result as { token: string }).token;
    const code = await mailedCode(email);
    const verified = await call("POST", "/v1/auth/verify", { challengeId: first.body.challengeId, code });
    return (verified.body.result as { token: string }).token;
  }

  /** Enrols a passkey as MFA and returns the address AIR then reports. */
  async function setUpMfa(token: string): Promise<`0x${string}`> {
    const auth = { Authorization: `Bearer ${token}` };
    const options = await call("POST", "/v1/mfa/passkey/options", {}, { ...auth, Origin: APP_ORIGIN });
    const authenticator = newSoftAuthenticator();
    const response = softRegistration(authenticator, {
      rpId: "localhost",
      origin: APP_ORIGIN,
      challenge: (options.body.publicKey as { challenge: string }).challenge,
    });
    await call(
      "POST",
      "/v1/mfa/passkey",
      { challengeId: options.body.challengeId, credential: { id: b64u(authenticator.credentialId), type: "public-key", response } },
      auth,
    );
    const info = await call("GET", "/v1/user", undefined, auth);
    return (info.body.user as { abstractAccountAddress: `0x${string}` }).abstractAccountAddress;
  }

  const personalSign = (token: string | null, params: unknown[], method = "personal_sign") =>
    call("POST", "/v1/wallet/rpc", { method, params }, token === null ? {} : { Authorization: `Bearer ${token}` });

  it("signs with the account's key once MFA is set up: the signature recovers the reported address", async () => {
    const token = await login(`sign-${variant}@example.com`);
    expect(errorOf(await personalSign(token, [toHex(MESSAGE), "0x000000000000000000000000000000000000dEaD"]))).toEqual([
      403,
      "mfa_required",
    ]);
    const address = await setUpMfa(token);

    const hexData = await personalSign(token, [toHex(MESSAGE), address]);
    expect(hexData.status).toBe(200);
    const signature = hexData.body.result as `0x${string}`;
    expect(signature).toMatch(/^0x[0-9a-f]{128}(1b|1c)$/);
    expect(await verifyMessage({ address, message: MESSAGE, signature })).toBe(true);
    // Text data is signed as its UTF-8 bytes (the same message, the same signature).
    expect((await personalSign(token, [MESSAGE, address.toLowerCase()])).body.result).toBe(signature);
  });

  it("refuses another address, another method, malformed params and a missing session", async () => {
    const token = await login(`refuse-${variant}@example.com`);
    const address = await setUpMfa(token);
    const otherToken = await login(`other-${variant}@example.com`);
    const otherAddress = await setUpMfa(otherToken);
    expect(errorOf(await personalSign(token, [toHex(MESSAGE), otherAddress]))).toEqual([403, "address_mismatch"]);
    expect(errorOf(await personalSign(token, [toHex(MESSAGE), address], "eth_sign"))).toEqual([400, "method_unsupported"]);
    expect(errorOf(await personalSign(token, [toHex(MESSAGE)]))).toEqual([400, "validation_error"]);
    expect(errorOf(await personalSign(null, [toHex(MESSAGE), address]))).toEqual([401, "session_invalid"]);
    await call("POST", "/v1/auth/logout", {}, { Authorization: `Bearer ${token}` });
    expect(errorOf(await personalSign(token, [toHex(MESSAGE), address]))[0]).toBe(401);
  });
});
