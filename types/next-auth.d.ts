import type { Identity, VerifiedIdentity } from "@/lib/identity/types";

declare module "next-auth" {
  interface Session {
    identity?: Identity;
    /** When the session ends: sign-in time plus AUTH_SESSION_MAX_AGE (ms since epoch). */
    expiresAt?: number;
    /**
     * The app session's server-side record (app_sessions.id). Not a credential: only the sealed
     * cookie signs anyone in; this id lets the server check and revoke that cookie's session.
     */
    sid?: string;
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
