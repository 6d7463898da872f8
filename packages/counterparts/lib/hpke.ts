/**
 * HPKE (RFC 9180) in base mode, single shot, for exactly one suite:
 * DHKEM(P-256, HKDF-SHA256) / HKDF-SHA256 / AES-256-GCM.
 * That is the suite and mode Turnkey uses for credential bundles and OTP bundles (with
 * `info = "turnkey_hpke"`, see credential-bundle.ts).
 *
 * Invariants:
 * - Every public key that enters ECDH is validated as a P-256 point first (p256-keys.ts).
 * - A fresh ephemeral key is drawn from the CSPRNG for every seal; one message per context, so
 *   the nonce is always `base_nonce` (sequence number 0) and is never reused under a key.
 * - `open` fails closed: any authentication failure throws `HpkeError("hpke_open_failed")`
 *   without saying which part was wrong.
 *
 * Written from RFC 9180 §4 (DHKEM), §5.1 (key schedule) and §7 (identifiers); the
 * AES-GCM step uses node:crypto.
 */
import { createCipheriv, createDecipheriv } from "node:crypto";
import { p256 } from "@noble/curves/nist.js";
import { expand, extract } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { parseP256PublicKey } from "./p256-keys";

const KEM_ID = 0x0010; // DHKEM(P-256, HKDF-SHA256)
const KDF_ID = 0x0001; // HKDF-SHA256
const AEAD_ID = 0x0002; // AES-256-GCM
const MODE_BASE = 0x00;
const N_SECRET = 32; // Nsecret of the KEM
const N_K = 32; // AES-256 key
const N_N = 12; // GCM nonce
const N_T = 16; // GCM tag

const VERSION_LABEL = utf8ToBytes("HPKE-v1");
const KEM_SUITE_ID = concatBytes(utf8ToBytes("KEM"), i2osp(KEM_ID, 2));
const HPKE_SUITE_ID = concatBytes(utf8ToBytes("HPKE"), i2osp(KEM_ID, 2), i2osp(KDF_ID, 2), i2osp(AEAD_ID, 2));
const EMPTY = new Uint8Array(0);

export class HpkeError extends Error {
  override readonly name = "HpkeError";
  constructor(
    readonly code: "hpke_open_failed" | "hpke_input_invalid",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Additional data for the AEAD; may depend on the encapsulated key (Turnkey binds both keys). */
export type AdditionalData = (encapsulatedKey: Uint8Array, recipientPublicKey: Uint8Array) => Uint8Array;

export interface SealResult {
  /** The encapsulated (ephemeral) public key, uncompressed SEC1, 65 bytes. */
  readonly encapsulatedKey: Uint8Array;
  /** AES-256-GCM ciphertext followed by its 16-byte tag. */
  readonly ciphertext: Uint8Array;
}

/** Encrypts `plaintext` to an uncompressed P-256 `recipientPublicKey`. */
export function hpkeSeal(input: {
  recipientPublicKey: Uint8Array;
  plaintext: Uint8Array;
  /** Key-schedule `info` (RFC 9180 §5.1); both sides must use the same. Default empty. */
  info?: Uint8Array;
  additionalData?: AdditionalData;
}): SealResult {
  const recipient = uncompressedPoint(input.recipientPublicKey);
  // Encap(pkR) with a fresh ephemeral key.
  const ephemeralSecret = p256.utils.randomSecretKey();
  const encapsulatedKey = p256.getPublicKey(ephemeralSecret, false);
  const dh = p256.getSharedSecret(ephemeralSecret, recipient, true).subarray(1);
  const { key, nonce } = keySchedule(sharedSecret(dh, encapsulatedKey, recipient), input.info ?? EMPTY);
  const aad = input.additionalData?.(encapsulatedKey, recipient) ?? EMPTY;

  const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: N_T });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(input.plaintext), cipher.final(), cipher.getAuthTag()]);
  return { encapsulatedKey, ciphertext: new Uint8Array(body) };
}

/** Decrypts what `hpkeSeal` (or any RFC 9180 sender of this suite) produced. */
export function hpkeOpen(input: {
  recipientPrivateKey: Uint8Array;
  encapsulatedKey: Uint8Array;
  ciphertext: Uint8Array;
  info?: Uint8Array;
  additionalData?: AdditionalData;
}): Uint8Array {
  if (!p256.utils.isValidSecretKey(input.recipientPrivateKey)) {
    throw new HpkeError("hpke_input_invalid", "Recipient private key is not a P-256 scalar");
  }
  if (input.ciphertext.length < N_T) throw new HpkeError("hpke_open_failed", "Ciphertext could not be opened");
  const encapsulatedKey = uncompressedPoint(input.encapsulatedKey);
  const recipient = p256.getPublicKey(input.recipientPrivateKey, false);
  const dh = p256.getSharedSecret(input.recipientPrivateKey, encapsulatedKey, true).subarray(1);
  const { key, nonce } = keySchedule(sharedSecret(dh, encapsulatedKey, recipient), input.info ?? EMPTY);
  const aad = input.additionalData?.(encapsulatedKey, recipient) ?? EMPTY;

  const tagStart = input.ciphertext.length - N_T;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: N_T });
    decipher.setAAD(aad);
    decipher.setAuthTag(input.ciphertext.subarray(tagStart));
    return new Uint8Array(Buffer.concat([decipher.update(input.ciphertext.subarray(0, tagStart)), decipher.final()]));
  } catch (cause) {
    throw new HpkeError("hpke_open_failed", "Ciphertext could not be opened", { cause });
  }
}

/** RFC 9180 §4.1 ExtractAndExpand with kem_context = enc || pkRm. */
function sharedSecret(dh: Uint8Array, encapsulatedKey: Uint8Array, recipient: Uint8Array): Uint8Array {
  const eaePrk = labeledExtract(KEM_SUITE_ID, EMPTY, "eae_prk", dh);
  return labeledExpand(KEM_SUITE_ID, eaePrk, "shared_secret", concatBytes(encapsulatedKey, recipient), N_SECRET);
}

/** RFC 9180 §5.1 KeySchedule for mode_base (empty psk and psk_id). */
function keySchedule(shared: Uint8Array, info: Uint8Array): { key: Uint8Array; nonce: Uint8Array } {
  const pskIdHash = labeledExtract(HPKE_SUITE_ID, EMPTY, "psk_id_hash", EMPTY);
  const infoHash = labeledExtract(HPKE_SUITE_ID, EMPTY, "info_hash", info);
  const context = concatBytes(new Uint8Array([MODE_BASE]), pskIdHash, infoHash);
  const secret = labeledExtract(HPKE_SUITE_ID, shared, "secret", EMPTY);
  return {
    key: labeledExpand(HPKE_SUITE_ID, secret, "key", context, N_K),
    nonce: labeledExpand(HPKE_SUITE_ID, secret, "base_nonce", context, N_N),
  };
}

function labeledExtract(suiteId: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array): Uint8Array {
  return extract(sha256, concatBytes(VERSION_LABEL, suiteId, utf8ToBytes(label), ikm), salt);
}

function labeledExpand(suiteId: Uint8Array, prk: Uint8Array, label: string, info: Uint8Array, length: number): Uint8Array {
  const labeledInfo = concatBytes(i2osp(length, 2), VERSION_LABEL, suiteId, utf8ToBytes(label), info);
  return expand(sha256, prk, labeledInfo, length);
}

function i2osp(value: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1, v = value; i >= 0; i--, v >>>= 8) out[i] = v & 0xff;
  return out;
}

/** Validates a P-256 public key (either encoding) and returns it uncompressed. */
function uncompressedPoint(bytes: Uint8Array): Uint8Array {
  try {
    return parseP256PublicKey(bytesToHex(bytes)).uncompressed;
  } catch (cause) {
    throw new HpkeError("hpke_input_invalid", "Not a P-256 public key", { cause });
  }
}
