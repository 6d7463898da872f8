import { decodeJwt, decodeProtectedHeader } from "jose";

/** Header and claims of a token, for display. The signature is dropped: a decoded token is not a credential. */
export function decodeForDisplay(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  return { header: { ...decodeProtectedHeader(token) }, claims: { ...decodeJwt(token) } };
}
