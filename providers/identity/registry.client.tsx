"use client";

import dynamic from "next/dynamic";
import type { ComponentType } from "react";
import { PasswordForm } from "./password/form";
import { ProviderCard } from "@/components/identity/provider-card";
import type { BrowserSignInProps } from "@/components/identity/use-app-sign-in";

type ClientConfig = Record<string, string | null>;
type FormProps = BrowserSignInProps;

interface BrowserIdentity {
  /** Shown open (no SDK to defer) rather than as a "Continue with …" button. */
  open?: boolean;
  /** The sign-in form; its module (and the provider's SDK) loads only when the option is opened. */
  Form: ComponentType<FormProps>;
  /** Ends the provider's own session in this browser, on sign-out. */
  endSession?(config: ClientConfig): Promise<void>;
  /** Its Form supports `intent: "link"` (the server's IdentityProvider.verifyForLink decides what may be linked). */
  linkable?: boolean;
}

// One line per identity provider that signs in inside the page (redirect-based ones, like
// OpenID Connect, are server-action buttons on the sign-in page).
const identities: Record<string, BrowserIdentity> = {
  password: { open: true, Form: ({ mailboxUrl }) => <PasswordForm mailboxUrl={mailboxUrl} /> },
  firebase: {
    linkable: true,
    Form: dynamic(() => import("./firebase/sign-in")),
    endSession: async (config) => (await import("./firebase/sign-in")).endFirebaseSession(config),
  },
  supabase: {
    linkable: true,
    // No browser session to end: the Supabase session lives in memory only (providers/identity/supabase/browser.ts).
    Form: dynamic(() => import("./supabase/sign-in")),
  },
};

export function BrowserSignIn({ provider, ...props }: FormProps & { provider: string }) {
  const identity = identities[provider];
  if (!identity || (props.intent === "link" && !identity.linkable)) return null;
  return <identity.Form {...props} />;
}

/** Whether this browser form can link an account (intent "link"). */
export const canLinkInBrowser = (provider: string) => Boolean(identities[provider]?.linkable);

export async function endIdentitySession(provider: string, config: ClientConfig | null): Promise<void> {
  if (config) await identities[provider]?.endSession?.(config).catch(() => undefined);
}

/** A collapsed "Continue with …" card that opens the provider's form. */
export function CollapsedBrowserSignIn({ provider, label, ...props }: FormProps & { provider: string; label: string }) {
  const form = () => <BrowserSignIn provider={provider} {...props} />;
  if (identities[provider]?.open) return <div className="card">{form()}</div>;
  return <ProviderCard label={label}>{form}</ProviderCard>;
}
