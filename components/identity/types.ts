import type { ComponentType } from "react";
import type { BrowserSignInProps } from "./use-app-sign-in";

export type ClientConfig = Record<string, string | null>;

/** An identity provider that signs in inside the page: its entry in the browser registry. */
export interface BrowserIdentity {
  /** Shown open (no SDK to defer) rather than as a "Continue with …" button. */
  open?: boolean;
  /** The sign-in form; its module (and the provider's SDK) should load only when the option is opened. */
  Form: ComponentType<BrowserSignInProps>;
  /** Ends the provider's own session in this browser, on sign-out. */
  endSession?(config: ClientConfig): Promise<void>;
  /** Its Form supports `intent: "link"` (the server's IdentityProvider.verifyForLink decides what may be linked). */
  linkable?: boolean;
}
