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

  it("signs otp_login's usage for its own key only, built from the token, as raw r‖s over SHA-256", async () => {
    const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
    const publicKey = await compressedPublicKeyHex(keys.publicKey);
    const token = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;
    const signature = await signLoginUsage(token({ id: "0b7c4a6e-1f2d-4e3a-9c8b-7a6d5e4f3a2b", public_key: publicKey, contact: "a@example.com" }), keys);
    expect(signature).toMatch(/^[0-9a-f]{128}$/);
    const expected = JSON.stringify({ login: { publicKey }, tokenId: "0b7c4a6e-1f2d-4e3a-9c8b-7a6d5e4f3a2b", type: "USAGE_TYPE_LOGIN" });
    const verify = (message: string) => p256.verify(hexToBytes(signature), new TextEncoder().encode(message), hexToBytes(publicKey), { prehash: true, lowS: false });
    expect(verify(expected)).toBe(true);
    expect(verify(expected.replace("0b7c", "0b7d"))).toBe(false);

    const other = await compressedPublicKeyHex((await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign"])).publicKey);
    await expect(signLoginUsage(token({ id: "t-1", public_key: other }), keys)).rejects.toThrow(/another key/);
    // A token id that would smuggle JSON into the signed bytes is refused.
    await expect(signLoginUsage(token({ id: 'x","organizationId":"o', public_key: publicKey }), keys)).rejects.toThrow(/usable id/);
    await expect(signLoginUsage("not a token", keys)).rejects.toThrow();
  });
});
