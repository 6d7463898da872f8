import "server-only";
import { cookies } from "next/headers";
import { getToken } from "next-auth/jwt";
import { signOut } from "@/auth";
import { getConfig } from "@/lib/config";
import { REAUTH_COOKIE } from "@/lib/identity/reauth";
import { getIdentityProvider } from "@/providers/identity/registry";

export interface SignOutResult {
  /** Where the browser goes next: the identity provider's logout endpoint, or the sign-in page. */
  redirectTo: string;
  /** What was ended on the server's side ("app", "wallets", "identity_provider"). */
  ended: string[];
}

const REAUTH_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/**
 * Ends the app session (and, through Auth.js's signOut event, every wallet record), then the
 * identity provider's own session where it can be ended from here. Browser-held sessions
 * (Firebase, Supabase, wallet SDKs) were ended by the browser before it called this.
 *
 * Invariant: after this, signing in at this browser never lands silently on the previous
 * person's identity-provider session: either the provider's session is being ended
 * (RP-initiated logout), or the next redirect sign-in asks for credentials (prompt=login).
 */
export async function signOutEverywhere(request: Request): Promise<SignOutResult> {
  const config = await getConfig();
  const secure = config.appUrl.startsWith("https:");
  // The raw session token: the ID token kept for id_token_hint never goes to the browser's session JSON.
  const token = await getToken({ req: request, secret: config.env.AUTH_SECRET, secureCookie: secure });
  await signOut({ redirect: false });
  const ended = ["app", "wallets"];

  const providerId = token?.identity?.provider;
  const provider = providerId ? getIdentityProvider(providerId) : undefined;
  if (!provider?.logoutUrl || !provider.isConfigured(config)) {
    return { redirectTo: "/signin?reason=signed_out", ended };
  }
  // A redirect provider keeps its own session cookie at its own origin. Whatever happens at its
  // logout page (the person may decline), the next sign-in here asks for credentials again.
  (await cookies()).set(REAUTH_COOKIE, "1", { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: REAUTH_MAX_AGE_SECONDS });
  const logout = await provider.logoutUrl(config, {
    idToken: typeof token?.idToken === "string" ? token.idToken : undefined,
    postLogoutRedirectUri: `${config.appUrl}/signin`,
  });
  if (logout) return { redirectTo: logout, ended: [...ended, "identity_provider"] };
  return { redirectTo: "/signin?reason=signed_out_reauth", ended };
}
