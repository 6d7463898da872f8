import type { AppConfig } from "@/lib/config/load";
import { firebaseProvider } from "./providers/firebase";
import { oidcProvider } from "./providers/oidc";
import { passwordProvider } from "./providers/password";
import { supabaseProvider } from "./providers/supabase";
import type { IdentityProvider, IdentityProviderId } from "./types";

/** Every identity provider the app knows, in sign-in page order. */
export const identityProviders: readonly IdentityProvider[] = [oidcProvider, firebaseProvider, supabaseProvider, passwordProvider];

export function configuredIdentityProviders(config: AppConfig): IdentityProvider[] {
  return identityProviders.filter((p) => p.isConfigured(config));
}

export function getIdentityProvider(id: string): IdentityProvider | undefined {
  return identityProviders.find((p) => p.id === (id as IdentityProviderId));
}
