// Turnkey API stamps from a WebCrypto P-256 key, so the private key can stay non-extractable.
// Stamp: base64url(JSON{ publicKey: compressed hex, scheme, signature: hex DER ECDSA/SHA-256
// over the exact body }). WebCrypto returns r‖s; Turnkey wants DER.

export const STAMP_HEADER = "X-Stamp";

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** The compressed SEC1 encoding of a P-256 public key, as hex (what Turnkey calls publicKey). */
export async function compressedPublicKeyHex(publicKey: CryptoKey): Promise<string> {
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", publicKey)); // 0x04 ‖ x ‖ y
  const y = raw.subarray(33, 65);
  const prefix = (y[31]! & 1) === 0 ? 0x02 : 0x03;
  return hex(new Uint8Array([prefix, ...raw.subarray(1, 33)]));
}

/** DER-encodes one INTEGER: strip leading zeros, keep it positive. */
function derInteger(value: Uint8Array): number[] {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const body = Array.from(value.subarray(start));
  if ((body[0]! & 0x80) !== 0) body.unshift(0);
  return [0x02, body.length, ...body];
}

export function rawSignatureToDer(raw: Uint8Array): Uint8Array {
  if (raw.length !== 64) throw new Error("expected a 64-byte P-256 signature");
  const seq = [...derInteger(raw.subarray(0, 32)), ...derInteger(raw.subarray(32))];
  return new Uint8Array([0x30, seq.length, ...seq]);
}

export async function stamp(body: string, keys: CryptoKeyPair): Promise<string> {
  const signature = new Uint8Array(
    await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keys.privateKey, new TextEncoder().encode(body)),
  );
  const json = JSON.stringify({
    publicKey: await compressedPublicKeyHex(keys.publicKey),
    scheme: "SIGNATURE_SCHEME_TK_API_P256",
    signature: hex(rawSignatureToDer(signature)),
  });
  return btoa(json).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * otp_login's client signature: raw r‖s (hex) over SHA-256 of the login usage
 * `{"login":{"publicKey":…},"tokenId":…,"type":"USAGE_TYPE_LOGIN"}`, by the key the
 * verification token names. The browser builds that message itself, from the token, and only
 * for its own key: the same key signs API stamps (same curve, same hash), so it must never
 * sign bytes someone else chose.
 */
export async function signLoginUsage(verificationToken: string, keys: CryptoKeyPair): Promise<string> {
  const publicKey = await compressedPublicKeyHex(keys.publicKey);
  let claims: { id?: unknown; public_key?: unknown } | null;
  try {
    const payload = verificationToken.split(".")[1] ?? "";
    claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as typeof claims;
  } catch {
    claims = null;
  }
  if (claims?.public_key !== publicKey) throw new Error("refusing to sign a login for another key");
  if (typeof claims.id !== "string" || !/^[A-Za-z0-9-]{1,64}$/.test(claims.id)) throw new Error("the verification token has no usable id");
  const message = JSON.stringify({ login: { publicKey }, tokenId: claims.id, type: "USAGE_TYPE_LOGIN" });
  const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keys.privateKey, new TextEncoder().encode(message));
  return hex(new Uint8Array(signature));
}
