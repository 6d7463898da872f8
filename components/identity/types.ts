import type { ComponentType } from "react";
import type { BrowserSignInProps } from "./use-app-sign-in";

export type ClientConfig = Record<string, string | null>;

/** What the dashboard passes to a provider's VerifyEmail. */
export interface EmailVerificationProps {
  config: ClientConfig;
  /** The signed-in identity's email. */
  email: string;
  /** The provider's own claim (`email_verified` in what it told the app), which the app may still not take. */
  providerSaysVerified: boolean;
}

/** An identity provider that signs in inside the page: its entry in the browser registry. */
export interface BrowserIdentity {
  /** Shown open (no SDK to defer) rather than as a "Continue with …" button. */
  open?: boolean;
  /** The sign-in form; its module (and the provider's SDK) should load only when the option is opened. */
  Form: ComponentType<BrowserSignInProps>;
  /** Ends the provider's own session in this browser, on sign-out. */
  endSession?(config: ClientConfig): Promise<void>;
  /**
   * Shown on the dashboard while the signed-in identity's email is unverified: how to verify it
   * with this provider (send the provider's email, then take its word).
   */
  VerifyEmail?: ComponentType<EmailVerificationProps>;
  /** Its Form supports `intent: "link"` (the server's IdentityProvider.verifyForLink decides what may be linked). */
  linkable?: boolean;
}
