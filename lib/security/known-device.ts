// "Device cookies" (OWASP's answer to account lock-out): a browser where someone signed in with
// the right password gets an HttpOnly cookie bound to that email. A sign-in for that email from
// that browser is exempt from the per-email ceiling of failed attempts, so a distributed
// attacker who exhausts the ceiling locks out only browsers that never proved the password;
// the owner's own browser still signs in. It exempts nothing else: the per-(email, client)
// delays still apply, and the password is still checked.
//   https://owasp.org/www-community/Slow_Down_Online_Guessing_Attacks_with_Device_Cookies
import { createHmac, randomBytes } from "node:crypto";
import { constantEquals } from "./constant-equals";

const VERSION = "v1";
export const KNOWN_DEVICE_MAX_AGE_SECONDS = 180 * 24 * 3600;

/** The cookie's name: `__Host-` prefixed (Secure, host-only, Path=/) when the app is served over https. */
export const knownDeviceCookieName = (secure: boolean) => (secure ? "__Host-byo.device" : "byo.device");

const mac = (secret: string, nonce: string, email: string) =>
  createHmac("sha256", secret).update(`known-device:${VERSION}:${nonce}:${email.toLowerCase()}`).digest("base64url");

/** A fresh cookie value for `email`. The email itself is not in it: only a MAC over it. */
export function knownDeviceToken(secret: string, email: string): string {
  const nonce = randomBytes(16).toString("base64url");
  return `${VERSION}.${nonce}.${mac(secret, nonce, email)}`;
}

/** Whether `value` was issued by this server for `email`. */
export function isKnownDevice(secret: string, email: string, value: string | undefined): boolean {
  if (!value || value.length > 200) return false;
  const [version, nonce, tag, ...rest] = value.split(".");
  if (version !== VERSION || !nonce || !tag || rest.length > 0) return false;
  return constantEquals(tag, mac(secret, nonce, email));
}

/** One cookie's value from a Cookie header (no decoding: our values are base64url). */
export function readCookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
