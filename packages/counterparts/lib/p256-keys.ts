/**
 * P-256 public keys as Turnkey writes them: hex SEC1, compressed (33 bytes, `02`/`03` prefix) for
 * API and session keys, compressed or uncompressed (65 bytes, `04` prefix) for encryption targets.
 *
 * Invariants:
 * - A key is accepted only if it decodes to a point on the curve (noble's `Point.fromBytes`
 *   checks this), so an invalid-curve point can never reach ECDH or signature verification.
 * - Hex output is lowercase: keys are stored and compared as text.
 */
import { p256 } from "@noble/curves/nist.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";

export class P256KeyError extends Error {
  override readonly name = "P256KeyError";
  readonly code = "public_key_invalid";
}

export type P256KeyEncoding = "compressed" | "uncompressed" | "any";

export interface P256PublicKey {
  readonly compressed: Uint8Array;
  readonly uncompressed: Uint8Array;
  /** Lowercase hex of the compressed form: the canonical text of the key. */
  readonly compressedHex: string;
}

const HEX = /^[0-9a-fA-F]*$/;

/** Parses a hex P-256 public key (no `0x`), refusing anything that is not a curve point. */
export function parseP256PublicKey(hex: string, encoding: P256KeyEncoding = "any"): P256PublicKey {
  const lengths = encoding === "compressed" ? [66] : encoding === "uncompressed" ? [130] : [66, 130];
  if (typeof hex !== "string" || !lengths.includes(hex.length) || !HEX.test(hex)) {
    throw new P256KeyError(`Expected a ${encoding === "any" ? "" : `${encoding} `}P-256 public key in hex`);
  }
  try {
    const point = p256.Point.fromBytes(hexToBytes(hex));
    const compressed = point.toBytes(true);
    return { compressed, uncompressed: point.toBytes(false), compressedHex: bytesToHex(compressed) };
  } catch (cause) {
    throw new P256KeyError("Not a point on P-256", { cause });
  }
}

/** A fresh P-256 key pair (CSPRNG). */
export function generateP256KeyPair(): { privateKey: Uint8Array; publicKey: P256PublicKey } {
  const privateKey = p256.utils.randomSecretKey();
  return { privateKey, publicKey: publicKeyOf(privateKey) };
}

export function publicKeyOf(privateKey: Uint8Array): P256PublicKey {
  return parseP256PublicKey(bytesToHex(p256.getPublicKey(privateKey, true)), "compressed");
}
