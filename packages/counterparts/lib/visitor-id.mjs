// The public demo's visitor id, shared by lib/visitor.ts (the counterparts, the launcher's front
// proxy) and lib/visitor-preload.mjs (loaded into the app process). Plain JavaScript so that the
// preload, which Node loads before anything can compile TypeScript, uses the same definition.
//
// A visitor id is a bearer secret: whoever presents it (as the front proxy's cookie, which
// becomes the `x-demo-visitor` request header) sees that visitor's mail. So it is random
// (newVisitorId: 32 bytes from the CSPRNG), never derived from anything, never shown in a page
// or an API answer, and parsed strictly wherever it is read.
import { randomBytes } from "node:crypto";

/** Set by the front proxy on every request it forwards (any client-sent copy deleted first). */
export const DEMO_VISITOR_HEADER = "x-demo-visitor";

/**
 * 22 to 43 base64url characters: at least 128 bits (22 characters) from whoever minted it, at
 * most the 256 bits newVisitorId uses. The alphabet is also exactly what a Resend tag value may
 * hold (letters, digits, `_`, `-`), so an id travels as a mail tag unchanged.
 */
export const VISITOR_ID_PATTERN = /^[A-Za-z0-9_-]{22,43}$/;

/**
 * The visitor id in `value`, or undefined unless it is a single well-formed id. A header sent
 * twice arrives as an array or joined with ", ", and neither is accepted.
 * @param {unknown} value
 * @returns {string | undefined}
 */
export function parseVisitorId(value) {
  return typeof value === "string" && VISITOR_ID_PATTERN.test(value) ? value : undefined;
}

/** A fresh visitor id: 32 random bytes, base64url (43 characters). */
export function newVisitorId() {
  return randomBytes(32).toString("base64url");
}
