/**
 * Base58 (Bitcoin alphabet) and Base58Check encoding: Solana addresses and Turnkey credential
 * bundles. Encode only; nothing in the counterparts needs to decode.
 *
 * Base58Check appends the first 4 bytes of SHA-256(SHA-256(payload)) before encoding.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes } from "@noble/hashes/utils.js";

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

export function base58Encode(bytes: Uint8Array): string {
  // Each leading zero byte is written as a leading "1"; the rest is the number in base 58.
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  let value = 0n;
  for (const byte of bytes.subarray(zeros)) value = (value << 8n) | BigInt(byte);
  let out = "";
  while (value > 0n) {
    out = ALPHABET.charAt(Number(value % 58n)) + out;
    value /= 58n;
  }
  return "1".repeat(zeros) + out;
}

export function base58CheckEncode(payload: Uint8Array): string {
  const checksum = sha256(sha256(payload)).subarray(0, 4);
  return base58Encode(concatBytes(payload, checksum));
}
