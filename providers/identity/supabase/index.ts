// Supabase Auth: the browser signs in with @supabase/ssr's browser client and hands the app
// its access token; the server verifies the token against the project's JWKS, then asks
// Supabase for the user, which is authoritative for email confirmation and also fails for a
// session that was signed out since the token was issued.
import "server-only";
import { z } from "zod";
import type { AppConfig } from "@/lib/config/load";
import { errors } from "@/lib/http/errors";
import { remoteJwks } from "@/lib/keys/remote-jwks";
import { credentialsProvider, identityFromCredentials } from "@/lib/identity/credentials";
import { IdentityTokenError } from "@/lib/identity/token-error";
import type { IdentityProvider, VerifiedIdentity } from "@/lib/identity/types";
import { supabaseIssuer, verifySupabaseAccessToken } from "./verify-access-token";

const input = z.object({ accessToken: z.string().min(20).max(8192) });

/**
 * The Supabase sign-in's verification, shared by the Auth.js sign-in and by account linking so
 * that a link accepts exactly what a sign-in accepts.
 */
export async function verifySupabaseSignIn(config: AppConfig, credentials: Record<string, unknown>): Promise<VerifiedIdentity> {
  if (!config.supabase) throw errors.notConfigured("Supabase");
  const { url, publishableKey } = config.supabase;
  const { accessToken } = input.parse(credentials);
  const claims = await verifySupabaseAccessToken(accessToken, { url, keys: remoteJwks(`${url}/auth/v1/.well-known/jwks.json`) });
  const { createSupabaseServerClient } = await import("@/providers/identity/supabase/server");
  const supabase = await createSupabaseServerClient(url, publishableKey);
  const { data, error } = await supabase.auth.getUser(accessToken);
  if (error || !data.user) {
    throw new IdentityTokenError(
      error?.status && error.status < 500 ? "session_revoked" : "provider_unreachable",
      "Supabase did not confirm the session.",
    );
  }
  if (data.user.id !== claims.sub) throw new IdentityTokenError("sub_invalid", "The token and the user do not match.");
  const email = data.user.email?.toLowerCase() ?? null;
  return {
    provider: "supabase",
    issuer: supabaseIssuer(url), // verifySupabaseAccessToken required exactly this iss
    subject: data.user.id,
    email,
    emailVerified: email !== null && Boolean(data.user.email_confirmed_at),
    name: typeof data.user.user_metadata?.name === "string" ? data.user.user_metadata.name : null,
    profile: {
      iss: claims.iss,
      sub: claims.sub,
      email: data.user.email,
      email_confirmed_at: data.user.email_confirmed_at,
      aal: claims.aal,
      amr: claims.amr,
      session_id: claims.session_id,
    },
  };
}

export const supabaseProvider: IdentityProvider = {
  id: "supabase",
  label: () => "Supabase",
  signIn: "browser",
  isConfigured: (config) => Boolean(config.supabase),
  clientConfig: (config) => ({ url: config.supabase!.url, publishableKey: config.supabase!.publishableKey }),
  authjs: (config) =>
    credentialsProvider("supabase", "Supabase", { accessToken: { type: "text" } }, (credentials) =>
      verifySupabaseSignIn(config, credentials),
    ),
  verifyForLink: verifySupabaseSignIn,
  toVerifiedIdentity: identityFromCredentials,
};
