// The app's own user table: email + password, with the email proven by a one-time code.
import { z } from "zod";
import { ConfigError, defineConfigFragment } from "@/lib/config/fragment";

/** The issuer of identities from the app's own user table (not a URL: it must survive a change of AUTH_URL). */
export const PASSWORD_ISSUER = "app:password";

export const passwordConfig = defineConfigFragment({
  id: "password",
  variables: {
    AUTH_PASSWORD_ENABLED: z
      .enum(["true", "false"])
      .default("true")
      .transform((v) => v === "true"),
  },
  required: [],
  load: (env, { loaded }) => {
    if (!env.AUTH_PASSWORD_ENABLED) return undefined;
    // Sign-up proves email ownership with a code; without a way to send it, the email would
    // stay unverified forever and could never be used for a wallet.
    if (!loaded.mail)
      throw new ConfigError("MAIL_API_URL", "is required while AUTH_PASSWORD_ENABLED=true (sign-up emails a verification code).");
    return { enabled: true as const };
  },
  identityIssuer: () => PASSWORD_ISSUER,
});
