// The one credential this app defines with Moojo, and the values it issues. No `server-only`:
// tests check the bodies against the app's request schemas and the counterpart's validation.
import type { z } from "zod";
import type { addCredentialRequest, defineCredentialRequest } from "./schema";

/** The slug identifies the schema at Moojo; changing anything below needs a new slug (definitions cannot change). */
export const DEMO_CREDENTIAL_SLUG = "byo-auth-demo-sign-in";

export const DEMO_CREDENTIAL_DEFINITION: z.input<typeof defineCredentialRequest> = {
  slug: DEMO_CREDENTIAL_SLUG,
  name: "BYO-auth demo sign-in",
  description:
    "Issued by the bring-your-own-auth reference app when a user presses 'Issue a demo credential': the sign-in method they used and when the app issued it.",
  fieldDefinitions: [
    {
      name: "sign-in-method",
      type: "string",
      description: "The identity provider the app user signed in with (oidc, firebase, supabase, password)",
    },
    { name: "issued-at", type: "uint", description: "When the app issued the credential, in seconds since the Unix epoch" },
  ],
};

/** The values for a user: nothing personal, only facts the app itself knows. */
export function demoCredentialRequest(publicUserId: string, signInMethod: string, now: Date): z.input<typeof addCredentialRequest> {
  return {
    publicUserId,
    slug: DEMO_CREDENTIAL_SLUG,
    fields: { "sign-in-method": signInMethod, "issued-at": Math.floor(now.getTime() / 1000) },
  };
}
