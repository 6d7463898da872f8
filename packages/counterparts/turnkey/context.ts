/**
 * What activity and query handlers get: the service's state, and the authenticated caller.
 */
import type { PGlite } from "@electric-sql/pglite";
import type { OidcTokenVerifier } from "../lib/oidc-token";
import type { OtpHasher } from "../lib/otp";
import type { SignerKeys } from "./signer-keys";
import type { OrganizationRow, Principal } from "./store";

export interface TurnkeyContext {
  readonly db: PGlite;
  readonly now: () => Date;
  readonly parentOrganizationId: string;
  readonly keys: SignerKeys;
  readonly oidc: OidcTokenVerifier;
  readonly otpHasher: OtpHasher;
  readonly mail: { readonly apiUrl: string; readonly apiKey: string; readonly from: string };
  /** Browser origins passkeys may be registered and used from; each one's host name is an RP id. */
  readonly allowedOrigins: readonly string[];
  /** Counterpart only: the longest session issued (seconds), whatever is asked; see service.ts. */
  readonly sessionCap: () => number | undefined;
}

/** An authenticated, authorized request: who stamped it, and the organization it acts on. */
export interface RequestScope {
  readonly principal: Principal;
  readonly organization: OrganizationRow;
  /**
   * The public demo's visitor whose request this is (`x-demo-visitor`, ../lib/visitor.ts): the
   * app server forwards it (../lib/visitor-preload.mjs) so mailed codes reach only that browser.
   */
  readonly visitor?: string;
}

/** Session and API-key lifetimes accepted in `expirationSeconds`. */
export const DEFAULT_SESSION_SECONDS = 15 * 60;
export const MIN_SESSION_SECONDS = 60;
export const MAX_SESSION_SECONDS = 30 * 24 * 3600;
