// The identity providers present, in sign-in page order: the only server-side list of them.
// One import and one entry line per provider (`npm run prune` removes both).
import type { AppConfig } from "@/lib/config/load";
import type { IdentityProvider } from "@/lib/identity/types";
import { firebaseProvider } from "./firebase";
import { oidcProvider } from "./oidc";
import { passwordProvider } from "./password";
import { supabaseProvider } from "./supabase";

const registry: Record<string, IdentityProvider> = {
  oidc: oidcProvider,
  firebase: firebaseProvider,
  supabase: supabaseProvider,
  password: passwordProvider,
};

/** Every identity provider the app knows, in sign-in page order. */
export const identityProviders: readonly IdentityProvider[] = Object.values(registry);

export function configuredIdentityProviders(config: AppConfig): IdentityProvider[] {
  return identityProviders.filter((p) => p.isConfigured(config));
}

/** The provider with this id, or undefined: ids from requests are checked here, nowhere else. */
export function getIdentityProvider(id: string): IdentityProvider | undefined {
  return Object.hasOwn(registry, id) ? registry[id] : undefined;
}
