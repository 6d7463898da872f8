import type { AppConfig } from "@/lib/config/load";
import { firebaseProvider } from "./firebase";
import { oidcProvider } from "./oidc/index";
import { passwordProvider } from "./password";
import { supabaseProvider } from "./supabase";
import type { IdentityProvider, IdentityProviderId } from "@/lib/identity/types";

/** Every identity provider the app knows, in sign-in page order. */
export const identityProviders: readonly IdentityProvider[] = [oidcProvider, firebaseProvider, supabaseProvider, passwordProvider];

export function configuredIdentityProviders(config: AppConfig): IdentityProvider[] {
  return identityProviders.filter((p) => p.isConfigured(config));
}

export function getIdentityProvider(id: string): IdentityProvider | undefined {
  return identityProviders.find((p) => p.id === (id as IdentityProviderId));
}
