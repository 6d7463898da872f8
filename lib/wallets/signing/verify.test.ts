import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { checkSignature } from "./verify";

// Hardhat/Anvil's first development key: public, never holds funds.
const KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const OTHER_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const account = privateKeyToAccount(KEY);
const other = privateKeyToAccount(OTHER_KEY);
const MESSAGE =
  "127.0.0.1 wants you to sign with your Ethereum account:\n" + account.address + "\n\nNonce: 0123456789abcdef0123456789abcdef";

describe("checkSignature (EIP-191 with viem)", () => {
  it("matches viem's documented vector for 'hello world' by the Hardhat key (https://viem.sh/docs/actions/wallet/signMessage)", async () => {
    const signature = await account.signMessage({ message: "hello world" });
    expect(signature).toBe(
      "0xa461f509887bd19e312c0c58467ce8ff8e300d3c1a90b608a760c5b80318eaf15fe57c96f9175d6cd4daad4663763baa7e78836e067d0163e9a2ccf2ff753f5b1b",
    );
    expect(await checkSignature("hello world", signature, account.address)).toEqual({ ok: true, address: account.address });
  });

  it("accepts the signer's own signature, whatever the case of the address on record", async () => {
    const signature = await account.signMessage({ message: MESSAGE });
    expect(await checkSignature(MESSAGE, signature, account.address.toLowerCase())).toEqual({ ok: true, address: account.address });
  });

  it("accepts v as a recovery id (0/1) as well as 27/28", async () => {
    const signature = await account.signMessage({ message: MESSAGE });
    const v = Number.parseInt(signature.slice(130), 16) - 27;
    const compactV = `${signature.slice(0, 130)}${v.toString(16).padStart(2, "0")}`;
    expect((await checkSignature(MESSAGE, compactV, account.address)).ok).toBe(true);
  });

  it("refuses a signature by another key and names who signed", async () => {
    const signature = await other.signMessage({ message: MESSAGE });
    expect(await checkSignature(MESSAGE, signature, account.address)).toEqual({
      ok: false,
      reason: "wrong_signer",
      recovered: other.address,
    });
  });

  it("refuses a tampered message (the signature recovers someone else)", async () => {
    const signature = await account.signMessage({ message: MESSAGE });
    const result = await checkSignature(MESSAGE.replace("0123", "0124"), signature, account.address);
    expect(result).toMatchObject({ ok: false, reason: "wrong_signer" });
  });

  it("refuses a signature over the raw text without the EIP-191 prefix", async () => {
    // A signer that hashes keccak256(message) without "\x19Ethereum Signed Message:\n<len>".
    const { keccak256, toHex } = await import("viem");
    const raw = await account.sign({ hash: keccak256(toHex(MESSAGE)) });
    expect(await checkSignature(MESSAGE, raw, account.address)).toMatchObject({ ok: false, reason: "wrong_signer" });
  });

  it.each([
    ["empty", ""],
    ["no 0x", "a".repeat(130)],
    ["64 bytes", `0x${"a".repeat(128)}`],
    ["not hex", `0x${"z".repeat(130)}`],
    ["v = 29", `0x${"11".repeat(64)}1d`],
    ["r = 0, s = 0", `0x${"00".repeat(64)}1b`],
  ])("refuses a malformed signature (%s)", async (_name, signature) => {
    expect(await checkSignature(MESSAGE, signature, account.address)).toEqual({ ok: false, reason: "malformed" });
  });
});
