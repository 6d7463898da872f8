// WebAuthn registration and assertion checks against a software authenticator built from the
// spec (test-webauthn.ts), so each refusal can be provoked by changing exactly one thing.
import { describe, expect, it } from "vitest";
import { decodeCbor } from "./cbor";
import {
  b64u,
  encodeCbor,
  newSoftAuthenticator,
  softAssertion,
  softRegistration,
  type CborIn,
  type SoftAuthenticator,
} from "./test-webauthn";
import { verifyAssertion, verifyRegistration, WebAuthnError, type ExpectedCeremony } from "./webauthn";

const RP_ID = "localhost";
const ORIGIN = "http://localhost:3000";
const CHALLENGE = b64u("a-challenge-of-thirty-two-bytes!");
const expected: ExpectedCeremony = { challenge: CHALLENGE, origins: [ORIGIN], rpId: RP_ID, requireUserVerification: true };
const ceremony = { rpId: RP_ID, origin: ORIGIN, challenge: CHALLENGE };
const register = (a: SoftAuthenticator, over: Partial<Parameters<typeof softRegistration>[1]> = {}) =>
  softRegistration(a, { ...ceremony, ...over });
const assert = (a: SoftAuthenticator, over: Partial<Parameters<typeof softAssertion>[1]> = {}) =>
  softAssertion(a, { ...ceremony, counter: 1, ...over });

function code(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof WebAuthnError) return e.code;
    throw e;
  }
}

describe("verifyRegistration", () => {
  it.each(["ec", "rsa"] as const)("accepts a 'none' attestation with a %s key and returns the credential to store", (kind) => {
    const a = newSoftAuthenticator(kind);
    const credential = verifyRegistration(register(a), expected);
    expect(credential.credentialId).toBe(b64u(a.credentialId));
    expect(credential.publicKey.alg).toBe(kind === "ec" ? -7 : -257);
    expect(credential.flags).toMatchObject({ userPresent: true, userVerified: true });
    expect(credential.aaguid).toBe("0".repeat(32));
  });

  it("accepts a missing UV flag when user verification is not required", () => {
    const a = newSoftAuthenticator();
    expect(() => verifyRegistration(register(a, { flags: 0x01 }), { ...expected, requireUserVerification: false })).not.toThrow();
  });

  const a = newSoftAuthenticator();
  it.each<[string, ReturnType<typeof register>, string]>([
    ["the assertion type", register(a, { type: "webauthn.get" }), "client_data_type_mismatch"],
    ["another challenge", register(a, { clientData: { challenge: b64u("another challenge") } }), "challenge_mismatch"],
    ["another origin", register(a, { clientData: { origin: "https://evil.example" } }), "origin_not_allowed"],
    ["another RP id", register(a, { rpId: "evil.example" }), "rp_id_mismatch"],
    ["no user presence", register(a, { flags: 0x04 }), "user_not_present"],
    ["no user verification", register(a, { flags: 0x01 }), "user_not_verified"],
    ["a packed attestation", register(a, { fmt: "packed", attStmt: new Map<CborIn, CborIn>([["alg", -7]]) }), "attestation_unsupported"],
    ["'none' with a statement", register(a, { attStmt: new Map<CborIn, CborIn>([["x", 1]]) }), "attestation_unsupported"],
    ["no attested credential", register(a, { attested: false }), "credential_missing"],
    ["junk", { clientDataJSON: register(a).clientDataJSON, attestationObject: b64u("not cbor at all") }, "webauthn_malformed"],
  ])("refuses %s", (_, response, expectedCode) => {
    expect(code(() => verifyRegistration(response, expected))).toBe(expectedCode);
  });

  it("refuses a key that is not ES256/P-256 or RS256", () => {
    const odd = newSoftAuthenticator();
    odd.cose.set(3, -8); // EdDSA
    expect(code(() => verifyRegistration(register(odd), expected))).toBe("key_unsupported");
    const offCurve = newSoftAuthenticator();
    offCurve.cose.set(-3, new Uint8Array(32).fill(7));
    expect(code(() => verifyRegistration(register(offCurve), expected))).toBe("key_unsupported");
  });
});

describe("verifyAssertion", () => {
  it("accepts a signature by the registered key and returns the new counter; refuses a replayed counter", () => {
    const a = newSoftAuthenticator();
    const stored = verifyRegistration(register(a), expected);
    expect(verifyAssertion(assert(a, { counter: 5 }), stored, expected).signCount).toBe(5);
    expect(code(() => verifyAssertion(assert(a, { counter: 5 }), { ...stored, signCount: 5 }, expected))).toBe("counter_not_increased");
    // Authenticators that never count (always 0) are allowed.
    expect(() => verifyAssertion(assert(a, { counter: 0 }), { ...stored, signCount: 0 }, expected)).not.toThrow();
  });

  it("verifies RS256 assertions", () => {
    const a = newSoftAuthenticator("rsa");
    const stored = verifyRegistration(register(a), expected);
    expect(verifyAssertion(assert(a), stored, expected).signCount).toBe(1);
  });

  it.each<[string, (a: SoftAuthenticator) => ReturnType<typeof assert>, string]>([
    ["a tampered authenticator data", (a) => assert(a, { tamper: true }), "signature_invalid"],
    ["the registration type", (a) => assert(a, { clientData: { type: "webauthn.create" } }), "client_data_type_mismatch"],
    ["another challenge", (a) => assert(a, { clientData: { challenge: b64u("x") } }), "challenge_mismatch"],
    ["another RP id", (a) => assert(a, { rpId: "evil.example" }), "rp_id_mismatch"],
    ["no user verification", (a) => assert(a, { flags: 0x01 }), "user_not_verified"],
    ["a signature by another key", () => assert(newSoftAuthenticator()), "signature_invalid"],
  ])("refuses %s", (_, make, expectedCode) => {
    const a = newSoftAuthenticator();
    const stored = verifyRegistration(register(a), expected);
    expect(code(() => verifyAssertion(make(a), stored, expected))).toBe(expectedCode);
  });
});

describe("decodeCbor", () => {
  it("decodes integers, strings, bytes, maps with integer keys, and refuses trailing bytes, indefinite lengths and lying lengths", () => {
    const value = decodeCbor(
      encodeCbor(
        new Map<CborIn, CborIn>([
          [1, 2],
          [-1, "x"],
          ["k", Uint8Array.of(1, 2)],
          [3, 1000],
          [4, true],
        ]),
      ),
    );
    expect(value).toEqual(
      new Map<unknown, unknown>([
        [1, 2],
        [-1, "x"],
        ["k", Uint8Array.of(1, 2)],
        [3, 1000],
        [4, true],
      ]),
    );
    expect(() => decodeCbor(Uint8Array.of(0x01, 0x02))).toThrow(/Trailing/);
    expect(() => decodeCbor(Uint8Array.of(0x5f))).toThrow(/Indefinite/);
    expect(() => decodeCbor(Uint8Array.of(0x9a, 0xff, 0xff, 0xff, 0xff))).toThrow(/longer than the input/);
  });
});
