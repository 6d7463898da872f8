import { generateP256KeyPair, hpkeDecrypt, hpkeEncrypt, uncompressRawPublicKey } from "@turnkey/crypto";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TURNKEY_HPKE_AAD, TURNKEY_HPKE_INFO } from "./credential-bundle";
import { HpkeError, hpkeOpen, hpkeSeal } from "./hpke";

const hex = (value: string) => new Uint8Array(Buffer.from(value, "hex"));

describe("HPKE base mode, DHKEM(P-256)/HKDF-SHA256/AES-256-GCM", () => {
  it("@turnkey/crypto opens what we seal", () => {
    const receiver = generateP256KeyPair();
    const plaintext = new Uint8Array(randomBytes(77));
    const sealed = hpkeSeal({
      recipientPublicKey: hex(receiver.publicKeyUncompressed),
      plaintext,
      info: TURNKEY_HPKE_INFO,
      additionalData: TURNKEY_HPKE_AAD,
    });
    expect(sealed.encapsulatedKey).toHaveLength(65);
    const opened = hpkeDecrypt({
      ciphertextBuf: sealed.ciphertext,
      encappedKeyBuf: sealed.encapsulatedKey,
      receiverPriv: receiver.privateKey,
    });
    expect(Buffer.from(opened).equals(Buffer.from(plaintext))).toBe(true);
  });

  it("we open what @turnkey/crypto seals", () => {
    const receiver = generateP256KeyPair();
    const plaintext = new TextEncoder().encode('{"otp_code":"ABC123"}');
    const sealed = hpkeEncrypt({ plainTextBuf: plaintext, targetKeyBuf: hex(receiver.publicKeyUncompressed) });
    const opened = hpkeOpen({
      recipientPrivateKey: hex(receiver.privateKey),
      encapsulatedKey: uncompressRawPublicKey(sealed.slice(0, 33)),
      ciphertext: sealed.slice(33),
      info: TURNKEY_HPKE_INFO,
      additionalData: TURNKEY_HPKE_AAD,
    });
    expect(new TextDecoder().decode(opened)).toBe('{"otp_code":"ABC123"}');
  });

  it("a fresh ephemeral key per message", () => {
    const receiver = generateP256KeyPair();
    const a = hpkeSeal({ recipientPublicKey: hex(receiver.publicKeyUncompressed), plaintext: new Uint8Array(8) });
    const b = hpkeSeal({ recipientPublicKey: hex(receiver.publicKeyUncompressed), plaintext: new Uint8Array(8) });
    expect(Buffer.from(a.encapsulatedKey).equals(Buffer.from(b.encapsulatedKey))).toBe(false);
  });

  type Tamper = (s: { encapsulatedKey: Uint8Array; ciphertext: Uint8Array }) => {
    encapsulatedKey: Uint8Array;
    ciphertext: Uint8Array;
    aad?: typeof TURNKEY_HPKE_AAD;
    info?: Uint8Array;
    key?: string;
  };
  const other = generateP256KeyPair();
  it.each<[string, Tamper, HpkeError["code"]]>([
    ["ciphertext bit flipped", (s) => ({ ...s, ciphertext: s.ciphertext.map((b, i) => (i === 3 ? b ^ 1 : b)) }), "hpke_open_failed"],
    ["tag cut off", (s) => ({ ...s, ciphertext: s.ciphertext.slice(0, -1) }), "hpke_open_failed"],
    ["shorter than a tag", (s) => ({ ...s, ciphertext: s.ciphertext.slice(0, 10) }), "hpke_open_failed"],
    ["different additional data", (s) => ({ ...s, aad: () => new Uint8Array([1]) }), "hpke_open_failed"],
    ["different info", (s) => ({ ...s, info: new Uint8Array() }), "hpke_open_failed"],
    ["another receiver key", (s) => ({ ...s, key: other.privateKey }), "hpke_open_failed"],
    [
      "encapsulated key not on the curve",
      (s) => ({ ...s, encapsulatedKey: new Uint8Array([4, ...new Uint8Array(64).fill(7)]) }),
      "hpke_input_invalid",
    ],
  ])("refuses: %s", (_name, tamper, code) => {
    const receiver = generateP256KeyPair();
    const sealed = hpkeSeal({
      recipientPublicKey: hex(receiver.publicKeyUncompressed),
      plaintext: new Uint8Array(32).fill(9),
      info: TURNKEY_HPKE_INFO,
      additionalData: TURNKEY_HPKE_AAD,
    });
    const t = tamper(sealed);
    expect(() =>
      hpkeOpen({
        recipientPrivateKey: hex(t.key ?? receiver.privateKey),
        encapsulatedKey: t.encapsulatedKey,
        ciphertext: t.ciphertext,
        info: t.info ?? TURNKEY_HPKE_INFO,
        additionalData: t.aad ?? TURNKEY_HPKE_AAD,
      }),
    ).toThrowError(expect.objectContaining({ code }));
  });
});
