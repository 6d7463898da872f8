// Supabase Auth.
import { optionalString, optionalUrl } from "@/lib/config/fields";
import { defineConfigFragment } from "@/lib/config/fragment";

/** The `iss` of a project's access tokens. */
export const supabaseIssuer = (url: string) => `${url}/auth/v1`;

export const supabaseConfig = defineConfigFragment({
  id: "supabase",
  variables: {
    SUPABASE_URL: optionalUrl,
    /** The publishable (anon) key: public by design, row-level security does the authorising. */
    SUPABASE_PUBLISHABLE_KEY: optionalString,
  },
  required: ["SUPABASE_URL", "SUPABASE_PUBLISHABLE_KEY"],
  load: (env) => ({ url: env.SUPABASE_URL!.replace(/\/$/, ""), publishableKey: env.SUPABASE_PUBLISHABLE_KEY! }),
  identityIssuer: (supabase) => supabaseIssuer(supabase.url),
});
