import type { Identity, VerifiedIdentity } from "@/lib/identity/types";

declare module "next-auth" {
  interface Session {
    identity?: Identity;
    /** When the session ends: sign-in time plus AUTH_SESSION_MAX_AGE (ms since epoch). */
    expiresAt?: number;
    // The session record's id (JWT `sid`) stays in the sealed cookie: the browser-readable
    // session object (/api/auth/session) has no use for it.
  }
  interface User {
    /** Set by credentials-style providers, whose authorize() does the verifying. */
    verifiedIdentity?: VerifiedIdentity;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    identity?: Identity;
    /** Seconds since epoch; the session ends AUTH_SESSION_MAX_AGE after it, however often it is renewed. */
    signedInAt?: number;
    /** A redirect provider's ID token, kept (encrypted, server-side only) as id_token_hint for its logout. */
    idToken?: string;
    /** The app session's server-side record: every read checks it is live (lib/identity/session.ts). */
    sid?: string;
  }
}
