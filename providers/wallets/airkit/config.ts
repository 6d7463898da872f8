// Moca AIR Kit.
import { z } from "zod";
import { optionalString, optionalUrl } from "@/lib/config/fields";
import { defineConfigFragment } from "@/lib/config/fragment";

/** Where AIR publishes the keys of its login tokens (https://docs.moca.network/airkit/usage/user-authentication). */
export const AIRKIT_JWKS_URL_DEFAULT = "https://static.air3.com/.well-known/jwks.json";

export const airkitConfig = defineConfigFragment({
  id: "airkit",
  variables: {
    AIRKIT_PARTNER_ID: optionalString,
    /** Base URL of an AIR Kit-compatible HTTP API. Unset: the browser uses @mocanetwork/airkit. */
    AIRKIT_API_URL: optionalUrl,
    /**
     * Where AIR publishes the keys that sign its session tokens. Default: AIRKIT_API_URL's
     * /.well-known/jwks.json, or AIR's documented https://static.air3.com/.well-known/jwks.json.
     */
    AIRKIT_JWKS_URL: optionalUrl,
    /** Optional: an `iss` to require in AIR session tokens. AIR documents none, so unset by default. */
    AIRKIT_TOKEN_ISSUER: optionalString,
    /** @mocanetwork/airkit build environment when AIRKIT_API_URL is unset. */
    AIRKIT_BUILD_ENV: z.enum(["sandbox", "staging", "production"]).default("sandbox"),
    /** Algorithm of the partner JWT (AIR accepts RS256 and ES256). */
    AIRKIT_SIGNING_ALG: z.enum(["ES256", "RS256"]).optional(),
  },
  required: ["AIRKIT_PARTNER_ID"],
  load: (env) => ({
    partnerId: env.AIRKIT_PARTNER_ID!,
    apiUrl: env.AIRKIT_API_URL,
    // An AIR-compatible API publishes its keys beside it; the real service (the SDK, no
    // AIRKIT_API_URL) at the URL "User Login & Sessions" documents.
    jwksUrl:
      env.AIRKIT_JWKS_URL ??
      (env.AIRKIT_API_URL ? new URL("/.well-known/jwks.json", env.AIRKIT_API_URL).toString() : AIRKIT_JWKS_URL_DEFAULT),
    tokenIssuer: env.AIRKIT_TOKEN_ISSUER,
    buildEnv: env.AIRKIT_BUILD_ENV,
    signingAlg: env.AIRKIT_SIGNING_ALG ?? env.TOKEN_SIGNING_ALG,
  }),
});
