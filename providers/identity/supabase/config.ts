// Supabase Auth.
import { optionalString, optionalUrl } from "@/lib/config/fields";
import { defineConfigFragment } from "@/lib/config/fragment";

export const supabaseConfig = defineConfigFragment({
  id: "supabase",
  variables: {
    SUPABASE_URL: optionalUrl,
    /** The publishable (anon) key: public by design, row-level security does the authorising. */
    SUPABASE_PUBLISHABLE_KEY: optionalString,
  },
  required: ["SUPABASE_URL", "SUPABASE_PUBLISHABLE_KEY"],
  load: (env) => ({ url: env.SUPABASE_URL!.replace(/\/$/, ""), publishableKey: env.SUPABASE_PUBLISHABLE_KEY! }),
});
