// OpenID Connect (Auth0, Okta, Keycloak, or the local OpenID Provider counterpart).
import { z } from "zod";
import { optionalString, optionalUrl } from "@/lib/config/fields";
import { defineConfigFragment } from "@/lib/config/fragment";

export const oidcConfig = defineConfigFragment({
  id: "oidc",
  variables: {
    /** The issuer URL; its /.well-known/openid-configuration is read at sign-in. */
    AUTH_OIDC_ISSUER: optionalUrl,
    AUTH_OIDC_ID: optionalString,
    AUTH_OIDC_SECRET: optionalString,
    /** The button's label on the sign-in page. */
    AUTH_OIDC_NAME: z.string().default("OpenID Connect"),
  },
  required: ["AUTH_OIDC_ISSUER", "AUTH_OIDC_ID", "AUTH_OIDC_SECRET"],
  load: (env) => ({
    issuer: env.AUTH_OIDC_ISSUER!,
    clientId: env.AUTH_OIDC_ID!,
    clientSecret: env.AUTH_OIDC_SECRET!,
    name: env.AUTH_OIDC_NAME,
  }),
  identityIssuer: (oidc) => oidc.issuer,
  // The sign-in button posts to the app, which redirects to the issuer's authorization endpoint.
  formActionOrigins: (oidc) => [new URL(oidc.issuer).origin],
});
