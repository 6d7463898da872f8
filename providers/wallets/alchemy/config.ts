// Alchemy Smart Wallets (authenticate with JWT).
import { z } from "zod";
import { optionalString, optionalUrl } from "@/lib/config/fields";
import { defineConfigFragment } from "@/lib/config/fragment";

export const alchemyConfig = defineConfigFragment({
  id: "alchemy",
  variables: {
    /** Base URL of the signer API, e.g. https://api.g.alchemy.com. */
    ALCHEMY_API_URL: optionalUrl,
    ALCHEMY_API_KEY: optionalString,
    /** The project id Alchemy gave you: the `aud` of the ID tokens the app mints for it. */
    ALCHEMY_AUDIENCE: optionalString,
    /** The `authProvider` name you registered with Alchemy. */
    ALCHEMY_AUTH_PROVIDER: z.string().default("byo-auth"),
  },
  required: ["ALCHEMY_API_URL", "ALCHEMY_API_KEY", "ALCHEMY_AUDIENCE"],
  load: (env) => ({
    apiUrl: env.ALCHEMY_API_URL!.replace(/\/$/, ""),
    apiKey: env.ALCHEMY_API_KEY!,
    audience: env.ALCHEMY_AUDIENCE!,
    authProvider: env.ALCHEMY_AUTH_PROVIDER,
  }),
});
