// Any OpenID Connect provider: Auth0, Okta, Keycloak, or the local OpenID Provider.
// Auth.js discovers endpoints from the issuer and runs the code flow with PKCE, state and
// nonce; it verifies the ID token's signature, iss, aud, exp and nonce.
import "server-only";
import type { IdentityProvider } from "../types";

export const oidcProvider: IdentityProvider = {
  id: "oidc",
  label: (config) => config.oidc?.name ?? "OpenID Connect",
  signIn: "redirect",
  isConfigured: (config) => Boolean(config.oidc),
  authjs(config) {
    const oidc = config.oidc!;
    return {
      id: "oidc",
      name: oidc.name,
      type: "oidc",
      issuer: oidc.issuer,
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret,
      checks: ["pkce", "state", "nonce"],
      authorization: { params: { scope: "openid email profile" } },
    };
  },
  toVerifiedIdentity({ profile, account }) {
    // Auth.js has checked the ID token's iss against the configured issuer.
    if (typeof profile?.iss !== "string") throw new Error("the OpenID Provider's ID token has no iss");
    const subject = typeof profile.sub === "string" ? profile.sub : account.providerAccountId;
    const email = typeof profile?.email === "string" ? profile.email.toLowerCase() : null;
    return {
      provider: "oidc",
      issuer: profile.iss,
      subject,
      email,
      // Only an explicit boolean true counts; some providers send the string "true", which
      // we do not guess about.
      emailVerified: email !== null && profile?.email_verified === true,
      name: typeof profile?.name === "string" ? profile.name : null,
      profile: pick(profile ?? {}, ["iss", "sub", "email", "email_verified", "name", "given_name", "family_name", "updated_at"]),
    };
  },
};

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
}
