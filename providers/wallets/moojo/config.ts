// Moojo ID.
import { optionalString, optionalUrl } from "@/lib/config/fields";
import { ConfigError, defineConfigFragment } from "@/lib/config/fragment";

export const moojoConfig = defineConfigFragment({
  id: "moojo",
  variables: {
    /** Base URL, e.g. https://api.moojo.id (paths like /user/authenticate hang off it). */
    MOOJO_API_URL: optionalUrl,
    MOOJO_API_KEY: optionalString,
  },
  required: ["MOOJO_API_URL", "MOOJO_API_KEY"],
  load: (env, { loaded }) => {
    // Moojo accepts only Firebase ID tokens: without Firebase there is nothing to send it
    // (provider.json declares the dependency on providers/identity/firebase).
    if (!loaded.firebase)
      throw new ConfigError("FIREBASE_PROJECT_ID", "is required while MOOJO_API_URL is set (Moojo accepts only Firebase ID tokens).");
    return { apiUrl: env.MOOJO_API_URL!.replace(/\/$/, ""), apiKey: env.MOOJO_API_KEY! };
  },
});
