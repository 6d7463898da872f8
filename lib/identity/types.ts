import type { Account, Profile, User } from "next-auth";
import type { Provider } from "next-auth/providers";
import type { AppConfig } from "@/lib/config/load";
import type { IdentityProviderId, VerifiedIdentity } from "@/lib/store/types";

export type { IdentityProviderId, VerifiedIdentity } from "@/lib/store/types";

/**
 * What the rest of the app knows about the signed-in user, whichever provider they used.
 * Read it with `getIdentity()`; it comes from the server-side session only.
 */
export interface Identity {
  provider: IdentityProviderId;
  /** The provider's subject for this user. */
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  /** The app's own stable user id: what partner tokens carry as `partnerUserId` / `sub`. */
  userId: string;
}

/** What Auth.js hands the `jwt` callback at sign-in. */
export interface SignInEvent {
  account: Account;
  profile?: Profile;
  user: User;
}

/** One identity provider. Adding a provider means adding a module and one registry line. */
export interface IdentityProvider {
  id: IdentityProviderId;
  /** Shown on the sign-in page. */
  label(config: AppConfig): string;
  isConfigured(config: AppConfig): boolean;
  /** "redirect": a button that sends the browser to the provider (OIDC); "browser": a form on the sign-in page. */
  signIn: "redirect" | "browser";
  /** Public settings its browser sign-in needs (SDK config). */
  clientConfig?(config: AppConfig): Record<string, string | null>;
  /** The Auth.js provider that performs the sign-in. */
  authjs(config: AppConfig): Provider;
  /** Normalises a completed sign-in. Must only claim `emailVerified` when the provider vouches for it. */
  toVerifiedIdentity(event: SignInEvent): VerifiedIdentity;
  /**
   * Explicit account linking (POST /api/identity/link): verifies the same proof the provider's
   * sign-in accepts, with exactly the same checks, for a user who is already signed in. Only
   * providers whose proof is a credential the browser can hand over (an ID or access token)
   * implement it; the others cannot be linked, only signed in with.
   */
  verifyForLink?(config: AppConfig, credentials: Record<string, unknown>): Promise<VerifiedIdentity>;
  /**
   * Redirect providers: where to send the browser at sign-out to end the provider's own session
   * (RP-initiated logout), or null when it offers no way (the next sign-in then asks for
   * credentials). `idToken` is the ID token kept in the server-side session, if any.
   */
  logoutUrl?(config: AppConfig, o: { idToken: string | undefined; postLogoutRedirectUri: string }): Promise<string | null>;
  /** Whether this deployment lets it be linked at all (default: yes, if verifyForLink exists). */
  linkable?(config: AppConfig): boolean;
}
