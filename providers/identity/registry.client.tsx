"use client";

// The identity providers that sign in inside the page, for the browser: the only client-side
// list of them (redirect-based ones, like OpenID Connect, are server-action buttons on the
// sign-in page). One import and one entry line per provider (`npm run prune` removes both).
import { ProviderCard } from "@/components/identity/provider-card";
import type { BrowserIdentity, ClientConfig, EmailVerificationProps } from "@/components/identity/types";
import type { BrowserSignInProps } from "@/components/identity/use-app-sign-in";
import { firebaseBrowser } from "./firebase/ui";
import { passwordBrowser } from "./password/ui";
import { supabaseBrowser } from "./supabase/ui";

const identities: Record<string, BrowserIdentity> = {
  password: passwordBrowser,
  firebase: firebaseBrowser,
  supabase: supabaseBrowser,
};

const browserIdentity = (provider: string) => (Object.hasOwn(identities, provider) ? identities[provider] : undefined);

export function BrowserSignIn({ provider, ...props }: BrowserSignInProps & { provider: string }) {
  const identity = browserIdentity(provider);
  if (!identity || (props.intent === "link" && !identity.linkable)) return null;
  return <identity.Form {...props} />;
}

/** Whether this browser form can link an account (intent "link"). */
export const canLinkInBrowser = (provider: string) => Boolean(browserIdentity(provider)?.linkable);

export async function endIdentitySession(provider: string, config: ClientConfig | null): Promise<void> {
  if (config)
    await browserIdentity(provider)
      ?.endSession?.(config)
      .catch(() => undefined);
}

/** How to verify the signed-in identity's email with its provider, if that provider offers a way. */
export function IdentityEmailVerification({ provider, ...props }: EmailVerificationProps & { provider: string }) {
  const VerifyEmail = browserIdentity(provider)?.VerifyEmail;
  return VerifyEmail ? <VerifyEmail {...props} /> : null;
}

/** A collapsed "Continue with …" card that opens the provider's form. */
export function CollapsedBrowserSignIn({ provider, label, ...props }: BrowserSignInProps & { provider: string; label: string }) {
  const form = () => <BrowserSignIn provider={provider} {...props} />;
  if (browserIdentity(provider)?.open) return <div className="card">{form()}</div>;
  return <ProviderCard label={label}>{form}</ProviderCard>;
}
