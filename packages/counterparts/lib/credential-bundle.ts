/**
 * Turnkey credential bundles: a P-256 private key handed to a client, encrypted to the client's
 * own P-256 key so that only the client can open it (`@turnkey/crypto` decryptCredentialBundle).
 *
 * Wire format (what @turnkey/crypto 2.x opens):
 *   base58check( compressed encapsulated key (33 bytes) || AES-256-GCM ciphertext+tag )
 * with HPKE base mode (see hpke.ts), key-schedule info "turnkey_hpke", and
 *   additional data = uncompressed encapsulated key (65) || uncompressed receiver key (65).
 * (The info string is not in Turnkey's prose docs; @turnkey/crypto bakes it into its
 * precomputed key-schedule constants, and the interop tests pin it.)
 * The plaintext is the raw 32-byte private key; the client gets it back as hex.
 *
 * Invariants:
 * - The target key is validated as a P-256 point before use (compressed or uncompressed hex,
 *   with or without `0x`).
 * - The private key is never logged or returned in any other form.
 */
import { p256 } from "@noble/curves/nist.js";
import { concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { base58CheckEncode } from "./base58";
import { hpkeSeal, type AdditionalData } from "./hpke";
import { parseP256PublicKey } from "./p256-keys";

/** Turnkey's HPKE `info`. */
export const TURNKEY_HPKE_INFO = utf8ToBytes("turnkey_hpke");

/** Turnkey's AAD: both public keys, uncompressed, sender first. */
export const TURNKEY_HPKE_AAD: AdditionalData = (encapsulatedKey, recipientPublicKey) => concatBytes(encapsulatedKey, recipientPublicKey);

export class CredentialBundleError extends Error {
  override readonly name = "CredentialBundleError";
  constructor(
    readonly code: "target_public_key_invalid" | "private_key_invalid",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Encrypts a P-256 private key (32 bytes) to `targetPublicKeyHex` and returns the bundle.
 */
export function encryptCredentialBundle(privateKey: Uint8Array, targetPublicKeyHex: string): string {
  if (!p256.utils.isValidSecretKey(privateKey)) {
    throw new CredentialBundleError("private_key_invalid", "Credential must be a P-256 private key");
  }
  let recipient: Uint8Array;
  try {
    recipient = parseP256PublicKey(targetPublicKeyHex.replace(/^0x/i, "")).uncompressed;
  } catch (cause) {
    throw new CredentialBundleError("target_public_key_invalid", "Target public key is not a P-256 key", { cause });
  }
  const { encapsulatedKey, ciphertext } = hpkeSeal({
    recipientPublicKey: recipient,
    plaintext: privateKey,
    info: TURNKEY_HPKE_INFO,
    additionalData: TURNKEY_HPKE_AAD,
  });
  const compressedEncapsulatedKey = p256.Point.fromBytes(encapsulatedKey).toBytes(true);
  return base58CheckEncode(concatBytes(compressedEncapsulatedKey, ciphertext));
}
