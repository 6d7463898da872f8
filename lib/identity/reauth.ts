// After a sign-out, a redirect provider (OpenID Connect) may still hold its own session at its
// own origin. These two markers make sure the next sign-in at this browser is never silently
// the previous person's: the provider's logout returns with SIGNED_OUT_STATE, or, where its
// session could not be ended, REAUTH_COOKIE makes the next sign-in ask for credentials
// (prompt=login).

/** Set at sign-out when the provider's session could not be ended: the next sign-in asks for credentials. */
export const REAUTH_COOKIE = "byo.reauth";

/** The value of `state` on the way back from a provider's logout, so the sign-in page can say what was ended. */
export const SIGNED_OUT_STATE = "signed_out";
