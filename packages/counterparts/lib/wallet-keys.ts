/**
 * Wallet account keys for the counterparts: hierarchical derivation from a wallet seed, as the
 * real providers do, so that an account is a function of (seed, path) and two accounts at the
 * same path are the same account.
 *
 * - secp256k1: BIP-32 (private derivation, hardened and normal steps).
 * - ed25519: SLIP-10 (hardened steps only; ed25519 has no public derivation).
 * - Ethereum address: EIP-55 over keccak-256 (ethereum-address.ts).
 * - Solana address: base58 of the 32-byte ed25519 public key.
 *
 * Counterpart-only caveat: the seed is random bytes, not a BIP-39 mnemonic (no word list here).
 * Invariant: derived private keys stay inside the counterpart; callers persist the seed and
 * publish public keys and addresses only.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE, numberToBytesBE } from "@noble/curves/utils.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { addressFromPublicKey } from "./ethereum-address";
import { base58Encode } from "./base58";

const HARDENED_OFFSET = 0x80000000;
/** BIP-32 allows up to 255 levels; real wallet paths have 5. */
const MAX_DEPTH = 16;
const SECP256K1_N = secp256k1.Point.CURVE().n;

export type WalletKeyErrorCode = "derivation_path_invalid" | "seed_invalid";

export class WalletKeyError extends Error {
  override readonly name = "WalletKeyError";
  constructor(
    readonly code: WalletKeyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface DerivedKey {
  readonly privateKey: Uint8Array;
  /** secp256k1: 33-byte compressed SEC1. ed25519: the 32-byte public key. */
  readonly publicKey: Uint8Array;
}

/** `m/44'/60'/0'/0/0` → indices, hardened ones offset by 2^31. */
export function parseDerivationPath(path: string): number[] {
  if (typeof path !== "string" || !/^m(\/[0-9]{1,10}'?)*$/.test(path)) {
    throw new WalletKeyError("derivation_path_invalid", "Path must look like m/44'/60'/0'/0/0");
  }
  const indices = path
    .split("/")
    .slice(1)
    .map((segment) => {
      const hardened = segment.endsWith("'");
      const index = Number(hardened ? segment.slice(0, -1) : segment);
      if (!Number.isSafeInteger(index) || index >= HARDENED_OFFSET) {
        throw new WalletKeyError("derivation_path_invalid", "Path index out of range");
      }
      return hardened ? index + HARDENED_OFFSET : index;
    });
  if (indices.length > MAX_DEPTH) throw new WalletKeyError("derivation_path_invalid", "Path is too deep");
  return indices;
}

export function deriveSecp256k1(seed: Uint8Array, path: string): DerivedKey {
  const indices = parseDerivationPath(path);
  checkSeed(seed);
  let { key, chainCode } = split(hmac(sha512, utf8ToBytes("Bitcoin seed"), seed));
  checkSecp256k1Scalar(bytesToNumberBE(key));
  for (const index of indices) {
    const data =
      index >= HARDENED_OFFSET
        ? concatBytes(new Uint8Array([0]), key, ser32(index))
        : concatBytes(secp256k1.getPublicKey(key, true), ser32(index));
    const child = split(hmac(sha512, chainCode, data));
    const tweak = bytesToNumberBE(child.key);
    // BIP-32: an IL >= n or a zero child key makes this index invalid (probability < 2^-127).
    if (tweak >= SECP256K1_N) throw new WalletKeyError("derivation_path_invalid", "Invalid child key at this index");
    const next = (tweak + bytesToNumberBE(key)) % SECP256K1_N;
    checkSecp256k1Scalar(next);
    key = numberToBytesBE(next, 32);
    chainCode = child.chainCode;
  }
  return { privateKey: key, publicKey: secp256k1.getPublicKey(key, true) };
}

export function deriveEd25519(seed: Uint8Array, path: string): DerivedKey {
  const indices = parseDerivationPath(path);
  checkSeed(seed);
  if (indices.some((index) => index < HARDENED_OFFSET)) {
    throw new WalletKeyError("derivation_path_invalid", "ed25519 paths must be hardened at every level (SLIP-10)");
  }
  let { key, chainCode } = split(hmac(sha512, utf8ToBytes("ed25519 seed"), seed));
  for (const index of indices) {
    ({ key, chainCode } = split(hmac(sha512, chainCode, concatBytes(new Uint8Array([0]), key, ser32(index)))));
  }
  return { privateKey: key, publicKey: ed25519.getPublicKey(key) };
}

/** EIP-55 address of a compressed (or uncompressed) secp256k1 public key. */
export function ethereumAddress(publicKey: Uint8Array): string {
  return addressFromPublicKey(secp256k1.Point.fromBytes(publicKey).toBytes(false));
}

export function solanaAddress(ed25519PublicKey: Uint8Array): string {
  if (ed25519PublicKey.length !== 32) throw new TypeError("ed25519 public keys are 32 bytes");
  return base58Encode(ed25519PublicKey);
}

function split(i: Uint8Array): { key: Uint8Array; chainCode: Uint8Array } {
  return { key: i.slice(0, 32), chainCode: i.slice(32) };
}

function ser32(index: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, index);
  return out;
}

function checkSeed(seed: Uint8Array): void {
  if (seed.length < 16 || seed.length > 64) throw new WalletKeyError("seed_invalid", "Seed must be 16 to 64 bytes");
}

function checkSecp256k1Scalar(value: bigint): void {
  if (value === 0n || value >= SECP256K1_N) throw new WalletKeyError("derivation_path_invalid", "Invalid key at this index");
}
