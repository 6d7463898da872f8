/**
 * Turnkey's passkey stamps (`X-Stamp-Webauthn`), as `@turnkey/webauthn-stamper` makes them:
 *
 *   X-Stamp-Webauthn: JSON { authenticatorData, clientDataJson, credentialId, signature }
 *
 * (plain JSON, not base64url like `X-Stamp`; every member base64url). The WebAuthn challenge the
 * browser signed is the UTF-8 bytes of the lowercase hex SHA-256 of the exact request body
 * (`getChallengeFromPayload` in the stamper; https://docs.turnkey.com/developer-reference/api-overview/stamps
 * "WebAuthn": "Compute the webauthn challenge by hashing the POST body bytes … with SHA256").
 * So `clientDataJSON.challenge` is base64url(hex(sha256(body))), and a stamp over one body does
 * not verify over another.
 *
 * This module parses the header and computes the expected challenge; the assertion itself
 * (origin, RP id, flags, signature, counter) is checked by ./webauthn.ts against the stored key.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { StampError } from "./turnkey-stamp";

export const WEBAUTHN_STAMP_HEADER_NAME = "X-Stamp-Webauthn";
/** Real stamps are ~1 KB (authenticator data and signature are small; client data ~250 bytes). */
const MAX_WEBAUTHN_STAMP_LENGTH = 8 * 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface WebAuthnStamp {
  /** base64url of the raw credential id. */
  readonly credentialId: string;
  readonly clientDataJSON: string;
  readonly authenticatorData: string;
  readonly signature: string;
}

/** Parses the header value; a value that is not one such JSON object is malformed. */
export function parseWebAuthnStamp(header: string | readonly string[] | undefined): WebAuthnStamp {
  if (header === undefined || header === "") throw new StampError("stamp_missing", `${WEBAUTHN_STAMP_HEADER_NAME} header is required`);
  if (typeof header !== "string" || header.length > MAX_WEBAUTHN_STAMP_LENGTH) {
    throw new StampError("stamp_malformed", `${WEBAUTHN_STAMP_HEADER_NAME} must be one JSON stamp`);
  }
  let stamp: unknown;
  try {
    stamp = JSON.parse(header);
  } catch (cause) {
    throw new StampError("stamp_malformed", `${WEBAUTHN_STAMP_HEADER_NAME} is not JSON`, { cause });
  }
  if (typeof stamp !== "object" || stamp === null || Array.isArray(stamp))
    throw new StampError("stamp_malformed", "WebAuthn stamp must be a JSON object");
  const { credentialId, clientDataJson, authenticatorData, signature } = stamp as Record<string, unknown>;
  for (const value of [credentialId, clientDataJson, authenticatorData, signature]) {
    if (typeof value !== "string" || !BASE64URL.test(value)) {
      throw new StampError(
        "stamp_malformed",
        "WebAuthn stamp needs base64url credentialId, clientDataJson, authenticatorData and signature",
      );
    }
  }
  return {
    credentialId: credentialId as string,
    clientDataJSON: clientDataJson as string,
    authenticatorData: authenticatorData as string,
    signature: signature as string,
  };
}

/** The challenge a passkey stamp over `body` must carry, as clientDataJSON encodes it (base64url). */
export function webAuthnChallengeForBody(body: Uint8Array): string {
  return Buffer.from(bytesToHex(sha256(body)), "utf8").toString("base64url");
}
