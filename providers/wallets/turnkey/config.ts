// Turnkey (backend authentication).
import { z } from "zod";
import { optionalString, optionalUrl, p256PublicKeyHex } from "@/lib/config/fields";
import { defineConfigFragment } from "@/lib/config/fragment";

export const turnkeyConfig = defineConfigFragment({
  id: "turnkey",
  variables: {
    TURNKEY_API_URL: optionalUrl,
    /** Your parent organization id. */
    TURNKEY_ORGANIZATION_ID: optionalString,
    /** The app server's API key pair (P-256 hex), created in the Turnkey dashboard. */
    TURNKEY_API_PUBLIC_KEY: optionalString,
    TURNKEY_API_PRIVATE_KEY: optionalString,
    /** `aud` of the ID tokens the app mints for Turnkey's oauth_login. */
    TURNKEY_OIDC_AUDIENCE: z.string().default("turnkey"),
    /**
     * Lifetime of the browser's Turnkey sessions (expirationSeconds of every login), default 900
     * (Turnkey's own default). At least 70: the Embedded Wallet Kit refreshes a session one minute
     * before it ends, so a shorter session would be refreshed again the moment it starts.
     */
    TURNKEY_SESSION_SECONDS: z.coerce
      .number()
      .int()
      .min(70)
      .max(30 * 24 * 3600)
      .default(900),
    /**
     * Turnkey's signing keys, uncompressed P-256 hex. Leave unset for the real service:
     * `@turnkey/crypto` then uses Turnkey's production keys. Only a non-production Turnkey
     * (such as the local counterpart) needs them: the OTP signer signs init_otp's target
     * bundle and verify_otp's token, the notarizer signs session JWTs.
     */
    TURNKEY_OTP_SIGNER_PUBLIC_KEY: p256PublicKeyHex,
    TURNKEY_NOTARIZER_PUBLIC_KEY: p256PublicKeyHex,
  },
  required: ["TURNKEY_API_URL", "TURNKEY_ORGANIZATION_ID", "TURNKEY_API_PUBLIC_KEY", "TURNKEY_API_PRIVATE_KEY"],
  load: (env) => ({
    apiUrl: env.TURNKEY_API_URL!.replace(/\/$/, ""),
    organizationId: env.TURNKEY_ORGANIZATION_ID!,
    apiPublicKey: env.TURNKEY_API_PUBLIC_KEY!,
    apiPrivateKey: env.TURNKEY_API_PRIVATE_KEY!,
    oidcAudience: env.TURNKEY_OIDC_AUDIENCE,
    /** expirationSeconds of every Turnkey login (TURNKEY_SESSION_SECONDS). */
    sessionSeconds: env.TURNKEY_SESSION_SECONDS,
    /** Overrides of Turnkey's production signing keys (undefined = production keys). */
    otpSignerPublicKey: env.TURNKEY_OTP_SIGNER_PUBLIC_KEY?.toLowerCase(),
    notarizerPublicKey: env.TURNKEY_NOTARIZER_PUBLIC_KEY?.toLowerCase(),
  }),
});
