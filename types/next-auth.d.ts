import type { Identity, VerifiedIdentity } from "@/lib/identity/types";

declare module "next-auth" {
  interface Session {
    identity?: Identity;
    /** When the session ends: sign-in time plus AUTH_SESSION_MAX_AGE (ms since epoch). */
    expiresAt?: number;
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
  }
}
