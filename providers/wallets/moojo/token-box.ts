import "server-only";
// Moojo's user token is a bearer credential for two hours ("Authenticate with JWT"): it stays on
// the server, and at rest it is sealed with AES-256-GCM under a key derived from AUTH_SECRET.
// The user id is the additional data, so a sealed token copied to another user's row does not
// open. A token that does not open (AUTH_SECRET rotated, row tampered) is simply gone: the user
// reconnects, which is what an expired token asks of them anyway.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";
const INFO = "byo-auth/moojo-user-token/v1";

function key(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.alloc(0), INFO, 32));
}

const aad = (userId: string) => Buffer.from(`moojo-user-token:${userId}`, "utf8");

export function sealUserToken(token: string, userId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(secret), iv);
  cipher.setAAD(aad(userId));
  const ciphertext = Buffer.concat([cipher.update(token, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${iv.toString("base64url")}.${ciphertext.toString("base64url")}`;
}

/** The token, or null when the box is not one this secret sealed for this user. */
export function openUserToken(sealed: string, userId: string, secret: string): string | null {
  const [version, ivText, bodyText] = sealed.split(".");
  if (version !== VERSION || !ivText || !bodyText) return null;
  const iv = Buffer.from(ivText, "base64url");
  const body = Buffer.from(bodyText, "base64url");
  if (iv.length !== 12 || body.length <= 16) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(secret), iv);
    decipher.setAAD(aad(userId));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
