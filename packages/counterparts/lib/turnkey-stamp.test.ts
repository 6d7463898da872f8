import { p256 } from "@noble/curves/nist.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { ApiKeyStamper } from "@turnkey/api-key-stamper";
import { generateP256KeyPair } from "@turnkey/crypto";
import { describe, expect, it } from "vitest";
import { STAMP_HEADER_NAME, verifyStamp, type StampErrorCode } from "./turnkey-stamp";

const BODY = JSON.stringify({ organizationId: "org-1", type: "ACTIVITY_TYPE_X", timestampMs: "1", parameters: { a: "é" } });
const bytes = (text: string) => new TextEncoder().encode(text);
const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
const decode = (header: string) => JSON.parse(Buffer.from(header, "base64url").toString()) as Record<string, string>;

const key = generateP256KeyPair();
const other = generateP256KeyPair();

async function stamp(body = BODY, k = key, runtimeOverride?: "node" | "purejs"): Promise<string> {
  const s = await new ApiKeyStamper({ apiPublicKey: k.publicKey, apiPrivateKey: k.privateKey, runtimeOverride }).stamp(body);
  expect(s.stampHeaderName).toBe(STAMP_HEADER_NAME);
  return s.stampHeaderValue;
}

/** Re-encodes a stamp with some fields replaced. */
async function restamp(fields: Record<string, unknown>): Promise<string> {
  return b64({ ...decode(await stamp()), ...fields });
}

describe("Turnkey stamp verification", () => {
  it.each(["node", "purejs"] as const)("accepts @turnkey/api-key-stamper stamps (%s runtime)", async (runtime) => {
    expect(verifyStamp(await stamp(BODY, key, runtime), bytes(BODY))).toEqual({ publicKey: key.publicKey });
  });

  it("accepts padded base64url and upper-case hex, returning the canonical key", async () => {
    const s = decode(await stamp());
    const header = Buffer.from(JSON.stringify({ ...s, publicKey: s.publicKey!.toUpperCase() })).toString("base64");
    const padded = header.replace(/\+/g, "-").replace(/\//g, "_");
    expect(verifyStamp(padded, bytes(BODY)).publicKey).toBe(key.publicKey);
  });

  it("accepts high-S signatures (OpenSSL-style signers produce them)", async () => {
    const secret = Buffer.from(key.privateKey, "hex");
    const low = p256.Signature.fromBytes(p256.sign(bytes(BODY), secret));
    const high = new p256.Signature(low.r, p256.Point.CURVE().n - low.s);
    const header = await restamp({ signature: bytesToHex(high.toBytes("der")) });
    expect(verifyStamp(header, bytes(BODY)).publicKey).toBe(key.publicKey);
  });

  type Case = [name: string, header: () => Promise<string | string[] | undefined>, body: string, code: StampErrorCode];
  const cases: Case[] = [
    ["missing header", async () => undefined, BODY, "stamp_missing"],
    ["empty header", async () => "", BODY, "stamp_missing"],
    ["repeated header", async () => [await stamp(), await stamp()], BODY, "stamp_malformed"],
    ["repeated header joined by Node", async () => `${await stamp()}, ${await stamp()}`, BODY, "stamp_malformed"],
    ["not base64url", async () => "not a stamp!", BODY, "stamp_malformed"],
    ["base64url of non-JSON", async () => b64("hello"), BODY, "stamp_malformed"],
    ["JSON array", async () => b64([1, 2]), BODY, "stamp_malformed"],
    ["signature missing", async () => restamp({ signature: undefined }), BODY, "stamp_malformed"],
    ["publicKey not a string", async () => restamp({ publicKey: 42 }), BODY, "stamp_malformed"],
    ["too long", async () => "A".repeat(4096), BODY, "stamp_malformed"],
    ["wrong scheme", async () => restamp({ scheme: "SIGNATURE_SCHEME_TK_API_SECP256K1" }), BODY, "stamp_scheme_unsupported"],
    ["WebAuthn scheme", async () => restamp({ scheme: "SIGNATURE_SCHEME_TK_API_WEBAUTHN" }), BODY, "stamp_scheme_unsupported"],
    ["uncompressed public key", async () => restamp({ publicKey: key.publicKeyUncompressed }), BODY, "stamp_public_key_invalid"],
    ["public key not on the curve", async () => restamp({ publicKey: `02${"ff".repeat(32)}` }), BODY, "stamp_public_key_invalid"],
    ["signature not hex", async () => restamp({ signature: "zz" }), BODY, "stamp_signature_malformed"],
    ["raw r||s instead of DER", async () => restamp({ signature: "11".repeat(64) }), BODY, "stamp_signature_malformed"],
    [
      "DER with trailing bytes",
      async () => restamp({ signature: `${decode(await stamp()).signature}00` }),
      BODY,
      "stamp_signature_malformed",
    ],
    ["body changed after stamping", () => stamp(), BODY.replace("org-1", "org-2"), "stamp_signature_invalid"],
    ["body re-serialized (whitespace)", () => stamp(), JSON.stringify(JSON.parse(BODY), null, 1), "stamp_signature_invalid"],
    [
      "signature flipped",
      async () => {
        const s = decode(await stamp());
        // Byte 10 lies inside r's value, so the DER structure stays valid.
        const sig = Buffer.from(s.signature!, "hex");
        sig[10] = (sig[10] ?? 0) ^ 0x01;
        return b64({ ...s, signature: sig.toString("hex") });
      },
      BODY,
      "stamp_signature_invalid",
    ],
    [
      "signed by another key",
      async () => restamp({ signature: decode(await stamp(BODY, other)).signature }),
      BODY,
      "stamp_signature_invalid",
    ],
  ];

  it.each(cases)("%s → %s", async (_name, header, body, code) => {
    const h = await header();
    expect(() => verifyStamp(h, bytes(body))).toThrowError(expect.objectContaining({ code }));
  });
});
