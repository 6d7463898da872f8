import { describe, expect, it } from "vitest";
import { verifyStamp } from "@/sandboxes/lib/turnkey-stamp";
import { p256 } from "@noble/curves/nist.js";
import { hexToBytes } from "@noble/hashes/utils.js";
import { compressedPublicKeyHex, rawSignatureToDer, signLoginUsage, stamp } from "./stamp";

describe("browser Turnkey stamps", () => {
  it("verify with the stamp checker the Turnkey counterpart uses, and fail once the body changes", async () => {
    const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
    for (let i = 0; i < 20; i++) {
      const body = JSON.stringify({ organizationId: `org-${i}` });
      const header = await stamp(body, keys);
      expect(verifyStamp(header, new TextEncoder().encode(body)).publicKey).toBe(await compressedPublicKeyHex(keys.publicKey));
      expect(() => verifyStamp(header, new TextEncoder().encode(body.replace("org", "gro")))).toThrow();
    }
  });

  it("DER-encodes high-bit and leading-zero integers", () => {
    const raw = new Uint8Array(64);
    raw[0] = 0x80; // r needs a 0x00 pad
    raw[33] = 0x01; // s has a leading zero to strip
    const der = rawSignatureToDer(raw);
    expect(der[0]).toBe(0x30);
    expect(Array.from(der.subarray(2, 5))).toEqual([0x02, 33, 0x00]);
    expect(der[2 + 2 + 33]).toBe(0x02);
    expect(der[2 + 2 + 33 + 1]).toBe(31);
  });

  it("signs otp_login's usage for its own key only, as raw r‖s over SHA-256 of the message", async () => {
    const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
    const publicKey = await compressedPublicKeyHex(keys.publicKey);
    const message = JSON.stringify({ login: { publicKey }, tokenId: "t-1", type: "USAGE_TYPE_LOGIN" });
    const signature = await signLoginUsage(message, keys);
    expect(signature).toMatch(/^[0-9a-f]{128}$/);
    const bytes = new TextEncoder().encode(message);
    expect(p256.verify(hexToBytes(signature), bytes, hexToBytes(publicKey), { prehash: true, lowS: false })).toBe(true);
    expect(p256.verify(hexToBytes(signature), new TextEncoder().encode(message.replace("t-1", "t-2")), hexToBytes(publicKey), { prehash: true, lowS: false })).toBe(false);

    const other = await compressedPublicKeyHex((await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign"])).publicKey);
    await expect(signLoginUsage(message.replace(publicKey, other), keys)).rejects.toThrow(/another key/);
    await expect(signLoginUsage(JSON.stringify({ login: { publicKey }, tokenId: "t-1", type: "USAGE_TYPE_SIGNUP" }), keys)).rejects.toThrow();
    await expect(signLoginUsage("not json", keys)).rejects.toThrow();
  });
});
