import { describe, expect, it } from "vitest";
import { verifyStamp } from "@/sandboxes/lib/turnkey-stamp";
import { compressedPublicKeyHex, rawSignatureToDer, stamp } from "./stamp";

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
});
