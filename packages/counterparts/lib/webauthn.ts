/**
 * Server-side WebAuthn checks for the counterparts (W3C Web Authentication Level 2, §7.1
 * "Registering a New Credential" and §7.2 "Verifying an Authentication Assertion").
 *
 * - `verifyRegistration`: a `navigator.credentials.create()` result. Checks clientDataJSON
 *   (`type` = "webauthn.create", the challenge we issued, an allowed origin), the attestation
 *   object (format "none" only, which is what is asked for and what Chromium's virtual
 *   authenticator produces: no attestation statement to trust), authenticator data (rpIdHash =
 *   SHA-256 of our RP id, User Present, User Verified when required, attested credential data
 *   present) and the credential's COSE public key (ES256 on P-256, or RS256). Returns what to
 *   store for later assertions.
 * - `verifyAssertion`: a `navigator.credentials.get()` result against a stored credential. Same
 *   client data and authenticator data checks (type "webauthn.get"), then the signature over
 *   authenticatorData || SHA-256(clientDataJSON), and the signature counter (must grow when
 *   either side counts; a counter that does not grow suggests a cloned authenticator).
 *
 * Inputs are base64url strings, as browsers' `toJSON()` and our clients send them. Every
 * refusal is a `WebAuthnError` with a stable `code`.
 */
import { createHash, createPublicKey, timingSafeEqual, verify as verifySignature, type JsonWebKey, type KeyObject } from "node:crypto";
import { CborError, decodeCbor, decodeCborPrefix, type CborValue } from "./cbor";

export type WebAuthnErrorCode =
  | "webauthn_malformed"
  | "client_data_type_mismatch"
  | "challenge_mismatch"
  | "origin_not_allowed"
  | "rp_id_mismatch"
  | "user_not_present"
  | "user_not_verified"
  | "attestation_unsupported"
  | "credential_missing"
  | "key_unsupported"
  | "signature_invalid"
  | "counter_not_increased";

export class WebAuthnError extends Error {
  override readonly name = "WebAuthnError";
  constructor(
    readonly code: WebAuthnErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** COSE algorithm identifiers we accept (IANA COSE Algorithms): ES256 and RS256. */
export const COSE_ES256 = -7;
export const COSE_RS256 = -257;
export const SUPPORTED_COSE_ALGORITHMS = [COSE_ES256, COSE_RS256] as const;

export interface ExpectedCeremony {
  /** The base64url challenge we issued (compared as bytes, constant time). */
  readonly challenge: string;
  /** Origins the ceremony may come from (exact match with clientDataJSON.origin). */
  readonly origins: readonly string[];
  /** The RP id: authenticator data must carry its SHA-256. */
  readonly rpId: string;
  /** Require the UV flag (the authenticator verified the user: PIN, biometrics). */
  readonly requireUserVerification: boolean;
}

export interface RegistrationResponseJson {
  readonly clientDataJSON: string;
  readonly attestationObject: string;
}

export interface AssertionResponseJson {
  readonly clientDataJSON: string;
  readonly authenticatorData: string;
  readonly signature: string;
  readonly userHandle?: string | null;
}

export interface AuthenticatorFlags {
  readonly userPresent: boolean;
  readonly userVerified: boolean;
  readonly backupEligible: boolean;
  readonly backedUp: boolean;
  readonly attestedCredentialData: boolean;
  readonly extensionData: boolean;
}

export interface AuthenticatorData {
  readonly rpIdHash: Uint8Array;
  readonly flags: AuthenticatorFlags;
  readonly signCount: number;
  readonly attestedCredential?: {
    readonly aaguid: Uint8Array;
    readonly credentialId: Uint8Array;
    readonly publicKey: CoseKey;
  };
}

export interface CoseKey {
  readonly alg: (typeof SUPPORTED_COSE_ALGORITHMS)[number];
  /** The key as a JWK (public members only), for storage and `createPublicKey`. */
  readonly jwk: JsonWebKey;
}

/** What a relying party keeps after a registration. */
export interface RegisteredCredential {
  /** base64url of the raw credential id. */
  readonly credentialId: string;
  readonly publicKey: CoseKey;
  readonly signCount: number;
  readonly flags: AuthenticatorFlags;
  readonly aaguid: string;
}

const malformed = (what: string, cause?: unknown) => new WebAuthnError("webauthn_malformed", `Malformed WebAuthn data: ${what}`, { cause });

function fromBase64url(value: unknown, what: string): Uint8Array {
  if (typeof value !== "string" || !/^[A-Za-z0-9_-]*$/.test(value)) throw malformed(`${what} is not base64url`);
  return new Uint8Array(Buffer.from(value, "base64url"));
}

const sha256 = (data: Uint8Array) => new Uint8Array(createHash("sha256").update(data).digest());

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** §7.1 steps 5–12 / §7.2 steps 10–15: the client data the browser signed over. */
export function checkClientData(clientDataJSON: Uint8Array, type: "webauthn.create" | "webauthn.get", expected: ExpectedCeremony): void {
  let clientData: unknown;
  try {
    clientData = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(clientDataJSON));
  } catch (cause) {
    throw malformed("clientDataJSON is not JSON", cause);
  }
  if (typeof clientData !== "object" || clientData === null) throw malformed("clientDataJSON is not an object");
  const { type: actualType, challenge, origin } = clientData as Record<string, unknown>;
  if (actualType !== type) throw new WebAuthnError("client_data_type_mismatch", `clientDataJSON.type must be ${type}`);
  if (
    typeof challenge !== "string" ||
    !sameBytes(fromBase64url(challenge, "challenge"), fromBase64url(expected.challenge, "expected challenge"))
  ) {
    throw new WebAuthnError("challenge_mismatch", "clientDataJSON.challenge is not the challenge issued");
  }
  if (typeof origin !== "string" || !expected.origins.includes(origin)) {
    throw new WebAuthnError("origin_not_allowed", "clientDataJSON.origin is not an allowed origin");
  }
}

/** Parses authenticator data (§6.1), including attested credential data and its COSE key. */
export function parseAuthenticatorData(data: Uint8Array): AuthenticatorData {
  if (data.length < 37) throw malformed("authenticator data is shorter than 37 bytes");
  const flagsByte = data[32]!;
  const flags: AuthenticatorFlags = {
    userPresent: (flagsByte & 0x01) !== 0,
    userVerified: (flagsByte & 0x04) !== 0,
    backupEligible: (flagsByte & 0x08) !== 0,
    backedUp: (flagsByte & 0x10) !== 0,
    attestedCredentialData: (flagsByte & 0x40) !== 0,
    extensionData: (flagsByte & 0x80) !== 0,
  };
  const signCount = new DataView(data.buffer, data.byteOffset + 33, 4).getUint32(0);
  let offset = 37;
  let attestedCredential: AuthenticatorData["attestedCredential"];
  if (flags.attestedCredentialData) {
    if (data.length < offset + 18) throw malformed("attested credential data is truncated");
    const aaguid = data.slice(offset, offset + 16);
    const idLength = (data[offset + 16]! << 8) | data[offset + 17]!;
    offset += 18;
    if (idLength > 1023 || data.length < offset + idLength) throw malformed("credential id is truncated or too long");
    const credentialId = data.slice(offset, offset + idLength);
    offset += idLength;
    let decoded: { value: CborValue; end: number };
    try {
      decoded = decodeCborPrefix(data, offset);
    } catch (cause) {
      throw malformed("credential public key is not CBOR", cause);
    }
    offset = decoded.end;
    attestedCredential = { aaguid, credentialId, publicKey: coseKeyToJwk(decoded.value) };
  }
  if (flags.extensionData) {
    try {
      offset = decodeCborPrefix(data, offset).end;
    } catch (cause) {
      throw malformed("extension data is not CBOR", cause);
    }
  }
  if (offset !== data.length) throw malformed("trailing bytes in authenticator data");
  return { rpIdHash: data.slice(0, 32), flags, signCount, ...(attestedCredential ? { attestedCredential } : {}) };
}

/** A COSE_Key (RFC 9052 §7, RFC 9053 §7.1.1 EC2, RFC 8230 RSA) as a public JWK. */
export function coseKeyToJwk(cose: CborValue): CoseKey {
  if (!(cose instanceof Map)) throw new WebAuthnError("key_unsupported", "The credential public key is not a COSE map");
  const kty = cose.get(1);
  const alg = cose.get(3);
  const bytes = (label: number, length?: number): string => {
    const value = cose.get(label);
    if (!(value instanceof Uint8Array) || (length !== undefined && value.length !== length)) {
      throw new WebAuthnError("key_unsupported", `COSE key parameter ${label} is missing or the wrong size`);
    }
    return Buffer.from(value).toString("base64url");
  };
  let jwk: JsonWebKey;
  if (kty === 2 && alg === COSE_ES256) {
    if (cose.get(-1) !== 1) throw new WebAuthnError("key_unsupported", "ES256 keys must be on P-256 (crv 1)");
    jwk = { kty: "EC", crv: "P-256", x: bytes(-2, 32), y: bytes(-3, 32) };
  } else if (kty === 3 && alg === COSE_RS256) {
    jwk = { kty: "RSA", n: bytes(-1), e: bytes(-2) };
  } else {
    throw new WebAuthnError("key_unsupported", "Only ES256 (P-256) and RS256 credential keys are supported");
  }
  let key: KeyObject;
  try {
    // Refuses points off the curve and malformed RSA keys now, not at the first assertion.
    key = createPublicKey({ key: jwk, format: "jwk" });
  } catch (cause) {
    throw new WebAuthnError("key_unsupported", "The credential public key is not a valid key", { cause });
  }
  if (key.asymmetricKeyType === "rsa" && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw new WebAuthnError("key_unsupported", "RSA credential keys must have at least 2048 bits");
  }
  return { alg, jwk };
}

function checkAuthenticatorData(authData: AuthenticatorData, expected: ExpectedCeremony): void {
  if (!sameBytes(authData.rpIdHash, sha256(new TextEncoder().encode(expected.rpId)))) {
    throw new WebAuthnError("rp_id_mismatch", "The authenticator data is for another RP id");
  }
  if (!authData.flags.userPresent) throw new WebAuthnError("user_not_present", "The authenticator did not test user presence");
  if (expected.requireUserVerification && !authData.flags.userVerified) {
    throw new WebAuthnError("user_not_verified", "The authenticator did not verify the user");
  }
}

/** Verifies a registration ceremony (§7.1) with attestation format "none". */
export function verifyRegistration(response: RegistrationResponseJson, expected: ExpectedCeremony): RegisteredCredential {
  const clientDataJSON = fromBase64url(response.clientDataJSON, "clientDataJSON");
  checkClientData(clientDataJSON, "webauthn.create", expected);

  let attestation: CborValue;
  try {
    attestation = decodeCbor(fromBase64url(response.attestationObject, "attestationObject"));
  } catch (cause) {
    if (cause instanceof WebAuthnError) throw cause;
    throw malformed("attestationObject is not CBOR", cause instanceof CborError ? cause : undefined);
  }
  if (!(attestation instanceof Map)) throw malformed("attestationObject is not a map");
  const fmt = attestation.get("fmt");
  const attStmt = attestation.get("attStmt");
  const rawAuthData = attestation.get("authData");
  if (!(rawAuthData instanceof Uint8Array)) throw malformed("attestationObject has no authData");
  // "none": no statement, so nothing vouches for the authenticator's make; that is what the
  // ceremony asked for (attestation: "none"). Any other format is refused rather than trusted
  // without checking its statement.
  if (fmt !== "none" || !(attStmt instanceof Map) || attStmt.size !== 0) {
    throw new WebAuthnError("attestation_unsupported", 'Only attestation format "none" is accepted');
  }
  const authData = parseAuthenticatorData(rawAuthData);
  checkAuthenticatorData(authData, expected);
  const attested = authData.attestedCredential;
  if (!attested) throw new WebAuthnError("credential_missing", "The authenticator data carries no credential");
  return {
    credentialId: Buffer.from(attested.credentialId).toString("base64url"),
    publicKey: attested.publicKey,
    signCount: authData.signCount,
    flags: authData.flags,
    aaguid: Buffer.from(attested.aaguid).toString("hex"),
  };
}

/** Verifies an authentication assertion (§7.2) against a stored credential; returns the new counter. */
export function verifyAssertion(
  response: AssertionResponseJson,
  credential: { readonly publicKey: CoseKey; readonly signCount: number },
  expected: ExpectedCeremony,
): { signCount: number; flags: AuthenticatorFlags } {
  const clientDataJSON = fromBase64url(response.clientDataJSON, "clientDataJSON");
  checkClientData(clientDataJSON, "webauthn.get", expected);
  const rawAuthData = fromBase64url(response.authenticatorData, "authenticatorData");
  const authData = parseAuthenticatorData(rawAuthData);
  checkAuthenticatorData(authData, expected);

  const signed = Buffer.concat([rawAuthData, sha256(clientDataJSON)]);
  const signature = fromBase64url(response.signature, "signature");
  const key = createPublicKey({ key: credential.publicKey.jwk, format: "jwk" });
  // WebAuthn ES256 signatures are ASN.1 DER (unlike JWS's raw r||s).
  const ok =
    credential.publicKey.alg === COSE_ES256
      ? verifySignature("sha256", signed, { key, dsaEncoding: "der" }, signature)
      : verifySignature("sha256", signed, key, signature);
  if (!ok) throw new WebAuthnError("signature_invalid", "The assertion signature does not verify");

  if ((authData.signCount !== 0 || credential.signCount !== 0) && authData.signCount <= credential.signCount) {
    throw new WebAuthnError("counter_not_increased", "The signature counter did not increase (possibly a cloned authenticator)");
  }
  return { signCount: authData.signCount, flags: authData.flags };
}
