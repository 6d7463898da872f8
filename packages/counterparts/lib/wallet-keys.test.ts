import { bytesToHex } from "@noble/hashes/utils.js";
import { describe, expect, it } from "vitest";
import {
  deriveEd25519,
  deriveSecp256k1,
  ethereumAddress,
  parseDerivationPath,
  solanaAddress,
  type WalletKeyErrorCode,
} from "./wallet-keys";

const hex = (value: string) => new Uint8Array(Buffer.from(value, "hex"));
const VECTOR_1_SEED = hex("000102030405060708090a0b0c0d0e0f");
/** BIP-39 seed of "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about". */
const ABANDON_SEED = hex(
  "5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc19a5ac40b389cd370d086206dec8aa6c43daea6690f20ad3d8d48b2d2ce9e38e4",
);

describe("wallet key derivation", () => {
  // BIP-32 test vector 1.
  it.each([
    ["m", "e8f32e723decf4051aefac8e2c93c9c5b214313817cdb01a1494b917c8436b35"],
    ["m/0'", "edb2e14f9ee77d26dd93b4ecede8d16ed408ce149b6cd80b0715a2d911a0afea"],
    ["m/0'/1", "3c6cb8d0f6a264c91ea8b5030fadaa8e538b020f0a387421a12de9319dc93368"],
  ])("BIP-32 vector 1 %s", (path, privateKey) => {
    expect(bytesToHex(deriveSecp256k1(VECTOR_1_SEED, path).privateKey)).toBe(privateKey);
  });

  // SLIP-10 ed25519 test vector 1.
  it.each([
    ["m", "2b4be7f19ee27bbf30c667b642d5f4aa69fd169872f8fc3059c08ebae2eb19e7"],
    ["m/0'", "68e0fe46dfb67e368c75379acec591dad19df3cde26e63b93a8e704f1dade7a3"],
  ])("SLIP-10 ed25519 vector 1 %s", (path, privateKey) => {
    expect(bytesToHex(deriveEd25519(VECTOR_1_SEED, path).privateKey)).toBe(privateKey);
  });

  it("default Ethereum and Solana accounts of the well-known test mnemonic", () => {
    expect(ethereumAddress(deriveSecp256k1(ABANDON_SEED, "m/44'/60'/0'/0/0").publicKey)).toBe("0x9858EfFD232B4033E47d90003D41EC34EcaEda94");
    expect(solanaAddress(deriveEd25519(ABANDON_SEED, "m/44'/501'/0'/0'").publicKey)).toBe("HAgk14JpMQLgt6rVgv7cBQFJWFto5Dqxi472uT3DKpqk");
  });

  it("parses paths", () => {
    expect(parseDerivationPath("m/44'/60'/0'/0/0")).toEqual([0x8000002c, 0x8000003c, 0x80000000, 0, 0]);
    expect(parseDerivationPath("m")).toEqual([]);
  });

  it.each<[string, () => unknown, WalletKeyErrorCode]>([
    ["path without m", () => parseDerivationPath("44'/60'"), "derivation_path_invalid"],
    ["path with junk", () => parseDerivationPath("m/44'/x"), "derivation_path_invalid"],
    ["index ≥ 2^31", () => parseDerivationPath("m/2147483648"), "derivation_path_invalid"],
    ["too deep", () => parseDerivationPath(`m${"/0".repeat(17)}`), "derivation_path_invalid"],
    ["ed25519 non-hardened step", () => deriveEd25519(ABANDON_SEED, "m/44'/501'/0'/0"), "derivation_path_invalid"],
    ["seed too short", () => deriveSecp256k1(new Uint8Array(8), "m"), "seed_invalid"],
  ])("refuses %s", (_name, run, code) => {
    expect(run).toThrowError(expect.objectContaining({ code }));
  });
});
