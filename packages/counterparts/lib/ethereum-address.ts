/**
 * Ethereum account keys and addresses, shared by the wallet counterparts (AIR Kit, Turnkey, Alchemy).
 *
 * address = last 20 bytes of keccak-256(uncompressed public key without its 0x04 prefix),
 * rendered with the EIP-55 mixed-case checksum.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

export class AddressError extends Error {
  override readonly name = "AddressError";
  readonly code = "address_invalid";
}

/** A fresh secp256k1 key (CSPRNG) and its checksummed address. */
export function generateAccountKey(): { privateKey: Uint8Array; address: string } {
  const privateKey = secp256k1.utils.randomSecretKey();
  return { privateKey, address: addressFromPrivateKey(privateKey) };
}

export function addressFromPrivateKey(privateKey: Uint8Array): string {
  // `false`: uncompressed SEC1 encoding, 0x04 || X (32) || Y (32).
  return addressFromPublicKey(secp256k1.getPublicKey(privateKey, false));
}

export function addressFromPublicKey(uncompressedPublicKey: Uint8Array): string {
  if (uncompressedPublicKey.length !== 65 || uncompressedPublicKey[0] !== 0x04) {
    throw new AddressError("Expected a 65-byte uncompressed secp256k1 public key");
  }
  const digest = keccak_256(uncompressedPublicKey.subarray(1));
  return toChecksumAddress(bytesToHex(digest.subarray(12)));
}

/** EIP-55: upper-case each hex letter whose nibble in keccak-256(lowercase hex) is >= 8. */
export function toChecksumAddress(address: string): string {
  const hex = address.startsWith("0x") || address.startsWith("0X") ? address.slice(2) : address;
  if (!/^[0-9a-fA-F]{40}$/.test(hex)) throw new AddressError("Expected 20 bytes of hex");
  const lower = hex.toLowerCase();
  const hashHex = bytesToHex(keccak_256(utf8ToBytes(lower)));
  let out = "0x";
  for (let i = 0; i < lower.length; i++) {
    const char = lower.charAt(i);
    out += parseInt(hashHex.charAt(i), 16) >= 8 ? char.toUpperCase() : char;
  }
  return out;
}

/** True when `address` is `0x` + 40 hex digits whose letter case matches EIP-55 exactly. */
export function isChecksumAddress(address: string): boolean {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) return false;
  return toChecksumAddress(address) === address;
}
