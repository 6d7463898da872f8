/**
 * secp256k1 signing for the wallet counterparts (Turnkey, Alchemy, AIR Kit): ECDSA over a
 * 32-byte digest with RFC 6979 nonces and low-s (noble's defaults), plus the recovery id, and
 * EIP-191 ("personal_sign") hashing. The counterparts sign with the same key their reported
 * address is derived from (ethereum-address.ts), so a wrong derivation or a wrong hash shows
 * up as a signature that recovers some other address.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";

export interface RecoverableSignature {
  /** 64 lowercase hex characters, no 0x. */
  readonly r: string;
  readonly s: string;
  /** The recovery id (y parity of R): 0 or 1. */
  readonly recovery: 0 | 1;
}

export function signDigest(privateKey: Uint8Array, digest: Uint8Array): RecoverableSignature {
  if (digest.length !== 32) throw new TypeError("A secp256k1 signature is over a 32-byte digest");
  // `prehash: false`: the digest is already the message hash; "recovered" puts the recovery id first.
  const bytes = secp256k1.sign(digest, privateKey, { prehash: false, format: "recovered" });
  const recovery = bytes[0];
  if (recovery !== 0 && recovery !== 1) throw new Error("unexpected recovery id");
  return { recovery, r: bytesToHex(bytes.subarray(1, 33)), s: bytesToHex(bytes.subarray(33, 65)) };
}

/** EIP-191 version 0x45: keccak256("\x19Ethereum Signed Message:\n" + byte length + message). */
export function eip191Digest(message: Uint8Array): Uint8Array {
  return keccak_256(concatBytes(utf8ToBytes(`\x19Ethereum Signed Message:\n${message.length}`), message));
}

/** The 65-byte r‖s‖v form wallets return from personal_sign (v = 27 + recovery id), 0x-hex. */
export function toRsvHex(signature: RecoverableSignature): `0x${string}` {
  return `0x${signature.r}${signature.s}${(27 + signature.recovery).toString(16)}`;
}
