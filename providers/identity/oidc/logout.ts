import "server-only";
// RP-initiated logout for the OpenID Connect provider
// (https://openid.net/specs/openid-connect-rpinitiated-1_0.html): after the app's own sign-out
// the browser is sent to the provider's `end_session_endpoint` with the ID token as
// `id_token_hint`, so the next person at this computer is not signed straight back in as the
// previous one. Providers that publish no such endpoint get `prompt=login` on the next sign-in
// instead (see REAUTH_COOKIE).

import { SIGNED_OUT_STATE } from "@/lib/identity/reauth";

const discovery = new Map<string, { endSession: string | null; at: number }>();
const DISCOVERY_TTL_MS = 10 * 60_000;

/** The provider's end_session_endpoint, from its discovery document (cached briefly), or null. */
export async function endSessionEndpoint(issuer: string): Promise<string | null> {
  const cached = discovery.get(issuer);
  if (cached && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.endSession;
  let endSession: string | null = null;
  try {
    const response = await fetch(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(3000) });
    const doc = response.ok ? ((await response.json()) as { end_session_endpoint?: unknown }) : null;
    const candidate = doc?.end_session_endpoint;
    // Only an absolute https URL (or http on loopback, for the local provider) is followed.
    if (typeof candidate === "string" && URL.canParse(candidate)) {
      const url = new URL(candidate);
      const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
      if (url.protocol === "https:" || (url.protocol === "http:" && loopback)) endSession = url.href;
    }
  } catch {
    // Unreachable: fall back to prompt=login; do not cache a failure.
    return null;
  }
  discovery.set(issuer, { endSession, at: Date.now() });
  return endSession;
}

/** Where to send the browser to end the provider's session, or null when the provider offers no way. */
export async function oidcLogoutUrl(o: {
  issuer: string;
  clientId: string;
  idToken: string | undefined;
  postLogoutRedirectUri: string;
}): Promise<string | null> {
  const endpoint = await endSessionEndpoint(o.issuer);
  if (!endpoint) return null;
  const url = new URL(endpoint);
  if (o.idToken) url.searchParams.set("id_token_hint", o.idToken);
  // client_id as well: providers must accept it alongside the hint, and it lets the logout
  // work even when the hint has expired (RP-Initiated Logout §2).
  url.searchParams.set("client_id", o.clientId);
  url.searchParams.set("post_logout_redirect_uri", o.postLogoutRedirectUri);
  url.searchParams.set("state", SIGNED_OUT_STATE);
  return url.href;
}
