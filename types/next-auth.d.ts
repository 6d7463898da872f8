import type { Identity, VerifiedIdentity } from "@/lib/identity/types";

declare module "next-auth" {
  interface Session {
    identity?: Identity;
    /** When the session cookie's token expires (ms since epoch). */
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
  }
}
