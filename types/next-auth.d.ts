import type { Identity } from "@/lib/identity/types";

declare module "next-auth" {
  interface Session {
    identity?: Identity;
    /** When the session cookie's token expires (ms since epoch). */
    expiresAt?: number;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    identity?: Identity;
  }
}
