// WebAuthn registration and assertion checks against a software authenticator built here from
// the spec (authenticator data layout, CBOR attestation object, COSE key, DER signatures), so
// each refusal can be provoked by changing exactly one thing.
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeCbor } from "./cbor";
import { verifyAssertion, verifyRegistration, WebAuthnError, type ExpectedCeremony } from "./webauthn";

// --- a tiny CBOR encoder (test side only) ---------------------------------------------------
type Enc = number | string | Uint8Array | Map<Enc, Enc> | boolean;
function head(major: number, n: number): number[] {
  if (n < 24) return [(major << 5) | n];
  if (n < 256) return [(major << 5) | 24, n];
  if (n < 65536) return [(major << 5) | 25, n >> 8, n & 255];
  return [(major << 5) | 26, (n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255];
}
function cbor(v: Enc): Uint8Array {
  if (typeof v === "number") return Uint8Array.from(v >= 0 ? head(0, v) : head(1, -1 - v));
  if (typeof v === "boolean") return Uint8Array.of(v ? 0xf5 : 0xf4);
  if (typeof v === "string") {
    const b = new TextEncoder().encode(v);
    return Uint8Array.from([...head(3, b.length), ...b]);
  }
  if (v instanceof Uint8Array) return Uint8Array.from([...head(2, v.length), ...v]);
  const parts = [...v].flatMap(([k, x]) => [...cbor(k), ...cbor(x)]);
  return Uint8Array.from([...head(5, v.size), ...parts]);
}

const b64u = (b: Uint8Array | Buffer | string) => Buffer.from(b).toString("base64url");
const sha256 = (b: Uint8Array | string) => createHash("sha256").update(b).digest();

const RP_ID = "localhost";
const ORIGIN = "http://localhost:3000";
const CHALLENGE = b64u(Buffer.from("a-challenge-of-thirty-two-bytes!"));
const expected: ExpectedCeremony = { challenge: CHALLENGE, origins: [ORIGIN], rpId: RP_ID, requireUserVerification: true };

interface Authenticator {
  privateKey: KeyObject;
  cose: Map<Enc, Enc>;
  credentialId: Uint8Array;
  counter: number;
}

function newAuthenticator(kind: "ec" | "rsa" = "ec"): Authenticator {
  if (kind === "rsa") {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwk = publicKey.export({ format: "jwk" });
    return { privateKey, credentialId: Uint8Array.from(sha256("rsa-cred")), counter: 0, cose: new Map<Enc, Enc>([[1, 3], [3, -257], [-1, Buffer.from(jwk.n!, "base64url")], [-2, Buffer.from(jwk.e!, "base64url")]]) };
  }
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  return {
    privateKey,
    credentialId: Uint8Array.from(sha256(`cred-${Math.random()}`)),
    counter: 0,
    cose: new Map<Enc, Enc>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, "base64url")], [-3, Buffer.from(jwk.y!, "base64url")]]),
  };
}

function authData(a: Authenticator, opts: { flags?: number; rpId?: string; attested?: boolean; counter?: number } = {}): Uint8Array {
  const attested = opts.attested ?? false;
  const flags = (opts.flags ?? 0x05) | (attested ? 0x40 : 0);
  const counter = opts.counter ?? a.counter;
  const parts = [...sha256(opts.rpId ?? RP_ID), flags, (counter >>> 24) & 255, (counter >> 16) & 255, (counter >> 8) & 255, counter & 255];
  if (attested) parts.push(...new Uint8Array(16), a.credentialId.length >> 8, a.credentialId.length & 255, ...a.credentialId, ...cbor(a.cose));
  return Uint8Array.from(parts);
}

function clientData(type: string, over: Record<string, unknown> = {}): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ type, challenge: CHALLENGE, origin: ORIGIN, crossOrigin: false, ...over }));
}

function register(a: Authenticator, over: { clientData?: Record<string, unknown>; type?: string; fmt?: string; attStmt?: Map<Enc, Enc>; flags?: number; rpId?: string; attested?: boolean } = {}) {
  const attestationObject = cbor(
    new Map<Enc, Enc>([
      ["fmt", over.fmt ?? "none"],
      ["attStmt", over.attStmt ?? new Map()],
      ["authData", authData(a, { flags: over.flags, rpId: over.rpId, attested: over.attested ?? true })],
    ]),
  );
  return { clientDataJSON: b64u(clientData(over.type ?? "webauthn.create", over.clientData)), attestationObject: b64u(attestationObject) };
}

function assert(a: Authenticator, over: { counter?: number; flags?: number; tamper?: boolean; clientData?: Record<string, unknown> } = {}) {
  const data = authData(a, { counter: over.counter ?? a.counter + 1, flags: over.flags });
  const cd = clientData("webauthn.get", over.clientData);
  const signature = sign("sha256", Buffer.concat([data, sha256(cd)]), a.privateKey);
  if (over.tamper) data[data.length - 1]! ^= 1;
  return { clientDataJSON: b64u(cd), authenticatorData: b64u(data), signature: b64u(signature) };
}

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
    const a = newAuthenticator(kind);
    const credential = verifyRegistration(register(a), expected);
    expect(credential.credentialId).toBe(b64u(a.credentialId));
    expect(credential.publicKey.alg).toBe(kind === "ec" ? -7 : -257);
    expect(credential.flags).toMatchObject({ userPresent: true, userVerified: true });
    expect(credential.aaguid).toBe("0".repeat(32));
  });

  it("accepts a missing UV flag when user verification is not required", () => {
    const a = newAuthenticator();
    expect(() => verifyRegistration(register(a, { flags: 0x01 }), { ...expected, requireUserVerification: false })).not.toThrow();
  });

  const a = newAuthenticator();
  it.each<[string, ReturnType<typeof register>, string]>([
    ["the assertion type", register(a, { type: "webauthn.get" }), "client_data_type_mismatch"],
    ["another challenge", register(a, { clientData: { challenge: b64u("another challenge") } }), "challenge_mismatch"],
    ["another origin", register(a, { clientData: { origin: "https://evil.example" } }), "origin_not_allowed"],
    ["another RP id", register(a, { rpId: "evil.example" }), "rp_id_mismatch"],
    ["no user presence", register(a, { flags: 0x04 }), "user_not_present"],
    ["no user verification", register(a, { flags: 0x01 }), "user_not_verified"],
    ["a packed attestation", register(a, { fmt: "packed", attStmt: new Map<Enc, Enc>([["alg", -7]]) }), "attestation_unsupported"],
    ["'none' with a statement", register(a, { attStmt: new Map<Enc, Enc>([["x", 1]]) }), "attestation_unsupported"],
    ["no attested credential", register(a, { attested: false }), "credential_missing"],
    ["junk", { clientDataJSON: b64u(clientData("webauthn.create")), attestationObject: b64u("not cbor at all") }, "webauthn_malformed"],
  ])("refuses %s", (_, response, expectedCode) => {
    expect(code(() => verifyRegistration(response, expected))).toBe(expectedCode);
  });

  it("refuses a key that is not ES256/P-256 or RS256", () => {
    const odd = newAuthenticator();
    odd.cose.set(3, -8); // EdDSA
    expect(code(() => verifyRegistration(register(odd), expected))).toBe("key_unsupported");
    const offCurve = newAuthenticator();
    offCurve.cose.set(-3, new Uint8Array(32).fill(7));
    expect(code(() => verifyRegistration(register(offCurve), expected))).toBe("key_unsupported");
  });
});

describe("verifyAssertion", () => {
  it("accepts a signature by the registered key and returns the new counter; refuses a replayed counter", () => {
    const a = newAuthenticator();
    const stored = verifyRegistration(register(a), expected);
    const first = verifyAssertion(assert(a, { counter: 5 }), stored, expected);
    expect(first.signCount).toBe(5);
    expect(code(() => verifyAssertion(assert(a, { counter: 5 }), { ...stored, signCount: 5 }, expected))).toBe("counter_not_increased");
    // Authenticators that never count (always 0) are allowed.
    expect(() => verifyAssertion(assert(a, { counter: 0 }), { ...stored, signCount: 0 }, expected)).not.toThrow();
  });

  it("verifies RS256 assertions", () => {
    const a = newAuthenticator("rsa");
    const stored = verifyRegistration(register(a), expected);
    expect(verifyAssertion(assert(a, { counter: 1 }), stored, expected).signCount).toBe(1);
  });

  it.each<[string, (a: Authenticator) => ReturnType<typeof assert>, string]>([
    ["a tampered authenticator data", (a) => assert(a, { tamper: true }), "signature_invalid"],
    ["the registration type", (a) => assert(a, { clientData: { type: "webauthn.create" } }), "client_data_type_mismatch"],
    ["another challenge", (a) => assert(a, { clientData: { challenge: b64u("x") } }), "challenge_mismatch"],
    ["no user verification", (a) => assert(a, { flags: 0x01 }), "user_not_verified"],
  ])("refuses %s", (_, make, expectedCode) => {
    const a = newAuthenticator();
    const stored = verifyRegistration(register(a), expected);
    expect(code(() => verifyAssertion(make(a), stored, expected))).toBe(expectedCode);
  });

  it("refuses a signature by another key", () => {
    const a = newAuthenticator();
    const stored = verifyRegistration(register(a), expected);
    const other = newAuthenticator();
    expect(code(() => verifyAssertion(assert(other), stored, expected))).toBe("signature_invalid");
  });
});

describe("decodeCbor", () => {
  it("decodes integers, strings, bytes, maps with integer keys, and refuses trailing bytes and indefinite lengths", () => {
    const value = decodeCbor(cbor(new Map<Enc, Enc>([[1, 2], [-1, "x"], ["k", Uint8Array.of(1, 2)], [3, 1000], [4, true]])));
    expect(value).toEqual(new Map<unknown, unknown>([[1, 2], [-1, "x"], ["k", Uint8Array.of(1, 2)], [3, 1000], [4, true]]));
    expect(() => decodeCbor(Uint8Array.of(0x01, 0x02))).toThrow(/Trailing/);
    expect(() => decodeCbor(Uint8Array.of(0x5f))).toThrow(/Indefinite/);
    expect(() => decodeCbor(Uint8Array.of(0x9a, 0xff, 0xff, 0xff, 0xff))).toThrow(/longer than the input/);
  });
});
