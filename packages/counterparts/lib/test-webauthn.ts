/**
 * A software WebAuthn authenticator for tests, built from the spec (authenticator data layout,
 * CBOR attestation object with format "none", COSE key, DER ECDSA / PKCS#1 signatures), so a
 * test can produce valid ceremonies and break exactly one thing at a time. Used by tests only.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

export type CborIn = number | string | Uint8Array | Map<CborIn, CborIn> | boolean;

function head(major: number, n: number): number[] {
  if (n < 24) return [(major << 5) | n];
  if (n < 256) return [(major << 5) | 24, n];
  if (n < 65536) return [(major << 5) | 25, n >> 8, n & 255];
  return [(major << 5) | 26, (n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Encodes the few CBOR types WebAuthn needs (definite lengths only). */
export function encodeCbor(v: CborIn): Uint8Array {
  if (typeof v === "number") return Uint8Array.from(v >= 0 ? head(0, v) : head(1, -1 - v));
  if (typeof v === "boolean") return Uint8Array.of(v ? 0xf5 : 0xf4);
  if (typeof v === "string") {
    const b = new TextEncoder().encode(v);
    return Uint8Array.from([...head(3, b.length), ...b]);
  }
  if (v instanceof Uint8Array) return Uint8Array.from([...head(2, v.length), ...v]);
  const parts = [...v].flatMap(([k, x]) => [...encodeCbor(k), ...encodeCbor(x)]);
  return Uint8Array.from([...head(5, v.size), ...parts]);
}

export const b64u = (b: Uint8Array | Buffer | string) => Buffer.from(b).toString("base64url");
const sha256 = (b: Uint8Array | string) => createHash("sha256").update(b).digest();

export interface SoftAuthenticator {
  readonly privateKey: KeyObject;
  readonly cose: Map<CborIn, CborIn>;
  readonly credentialId: Uint8Array;
}

export function newSoftAuthenticator(kind: "ec" | "rsa" = "ec"): SoftAuthenticator {
  const credentialId = Uint8Array.from(randomBytes(32));
  if (kind === "rsa") {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwk = publicKey.export({ format: "jwk" });
    return {
      privateKey,
      credentialId,
      cose: new Map<CborIn, CborIn>([
        [1, 3],
        [3, -257],
        [-1, Buffer.from(jwk.n!, "base64url")],
        [-2, Buffer.from(jwk.e!, "base64url")],
      ]),
    };
  }
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  return {
    privateKey,
    credentialId,
    cose: new Map<CborIn, CborIn>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, "base64url")],
      [-3, Buffer.from(jwk.y!, "base64url")],
    ]),
  };
}

export interface CeremonyInput {
  readonly rpId: string;
  readonly origin: string;
  readonly challenge: string;
  /** Flags byte without AT (0x05 = UP | UV). */
  readonly flags?: number;
  readonly counter?: number;
  readonly clientData?: Record<string, unknown>;
}

function authenticatorData(a: SoftAuthenticator, input: CeremonyInput, attested: boolean): Uint8Array {
  const flags = (input.flags ?? 0x05) | (attested ? 0x40 : 0);
  const counter = input.counter ?? 0;
  const parts = [...sha256(input.rpId), flags, (counter >>> 24) & 255, (counter >> 16) & 255, (counter >> 8) & 255, counter & 255];
  if (attested)
    parts.push(...new Uint8Array(16), a.credentialId.length >> 8, a.credentialId.length & 255, ...a.credentialId, ...encodeCbor(a.cose));
  return Uint8Array.from(parts);
}

function clientDataJson(type: string, input: CeremonyInput): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify({ type, challenge: input.challenge, origin: input.origin, crossOrigin: false, ...input.clientData }),
  );
}

/** A `navigator.credentials.create()` response, base64url members. */
export function softRegistration(
  a: SoftAuthenticator,
  input: CeremonyInput & { type?: string; fmt?: string; attStmt?: Map<CborIn, CborIn>; attested?: boolean },
): { clientDataJSON: string; attestationObject: string } {
  const attestationObject = encodeCbor(
    new Map<CborIn, CborIn>([
      ["fmt", input.fmt ?? "none"],
      ["attStmt", input.attStmt ?? new Map()],
      ["authData", authenticatorData(a, input, input.attested ?? true)],
    ]),
  );
  return { clientDataJSON: b64u(clientDataJson(input.type ?? "webauthn.create", input)), attestationObject: b64u(attestationObject) };
}

/** A `navigator.credentials.get()` response, base64url members. */
export function softAssertion(
  a: SoftAuthenticator,
  input: CeremonyInput & { tamper?: boolean },
): { clientDataJSON: string; authenticatorData: string; signature: string } {
  const data = authenticatorData(a, input, false);
  const cd = clientDataJson("webauthn.get", input);
  const signature = sign("sha256", Buffer.concat([data, sha256(cd)]), a.privateKey);
  if (input.tamper) data[data.length - 1]! ^= 1;
  return { clientDataJSON: b64u(cd), authenticatorData: b64u(data), signature: b64u(signature) };
}
