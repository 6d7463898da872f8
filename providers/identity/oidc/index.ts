// Any OpenID Connect provider: Auth0, Okta, Keycloak, or the local OpenID Provider.
// Auth.js discovers endpoints from the issuer and runs the code flow with PKCE, state and
// nonce; it verifies the ID token's signature, iss, aud, exp and nonce.
import "server-only";
import { decodeJwt } from "jose";
import type { IdentityProvider } from "@/lib/identity/types";
import { oidcLogoutUrl } from "./logout";

export const oidcProvider: IdentityProvider = {
  id: "oidc",
  label: (config) => config.oidc?.name ?? "OpenID Connect",
  signIn: "redirect",
  isConfigured: (config) => Boolean(config.oidc),
  logoutUrl: (config, o) => oidcLogoutUrl({ issuer: config.oidc!.issuer, clientId: config.oidc!.clientId, ...o }),
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
      // The profile comes from the UserInfo endpoint, after Auth.js has validated the ID token
      // (and checked that UserInfo's `sub` is the ID token's). With the code flow an access
      // token is issued, and then OpenID Connect Core §5.4 promises the email and profile
      // scopes' claims at UserInfo only: a conforming provider may leave them out of the ID
      // token. Auth0 puts them in both; Keycloak and oidc-provider's defaults do not.
      // https://openid.net/specs/openid-connect-core-1_0.html#ScopeClaims
      idToken: false,
    };
  },
  toVerifiedIdentity({ profile, account }) {
    // UserInfo has no `iss`: take it from the ID token, whose iss Auth.js has checked against
    // the configured issuer (and whose signature, aud, exp and nonce it has verified).
    const idTokenIssuer = typeof account.id_token === "string" ? decodeJwt(account.id_token).iss : undefined;
    const issuer = idTokenIssuer ?? (typeof profile?.iss === "string" ? profile.iss : undefined);
    if (!issuer) throw new Error("the OpenID Provider's ID token has no iss");
    const subject = typeof profile?.sub === "string" ? profile.sub : account.providerAccountId;
    const email = typeof profile?.email === "string" ? profile.email.toLowerCase() : null;
    return {
      provider: "oidc",
      issuer,
      subject,
      email,
      // Only an explicit boolean true counts; some providers send the string "true", which
      // we do not guess about. An absent claim means "not verified".
      emailVerified: email !== null && profile?.email_verified === true,
      name: typeof profile?.name === "string" ? profile.name : null,
      profile: {
        iss: issuer,
        ...pick(profile ?? {}, ["sub", "email", "email_verified", "name", "given_name", "family_name", "updated_at"]),
      },
    };
  },
};

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
}
