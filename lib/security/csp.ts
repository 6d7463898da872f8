// The Content-Security-Policy of every page, built per request with a fresh nonce (proxy.ts).
//
// What it guards: scripts. Only Next.js's own scripts (which carry the nonce) and what they load
// ('strict-dynamic') run, so injected markup cannot execute script. Plus the cheap wins: no
// plugins, no <base> hijack, no framing (clickjacking), forms post only to the app and the
// OpenID Provider it redirects to.
//
// What it deliberately leaves open: connect-src, frame-src and img-src. The browser talks to
// providers chosen by configuration (AIR Kit's SDK and its iframes, Firebase, Supabase), and a
// policy that lists today's hosts would break the moment someone points the app at the real
// services. Tightening those belongs to a deployment that knows its providers.

export interface CspOptions {
  nonce: string;
  /** `next dev` needs eval for React's debugging aids; production never does. */
  dev: boolean;
  /** Origins a form may submit (or be redirected) to besides the app, e.g. the OIDC issuer. */
  formActions: string[];
}

export function contentSecurityPolicy({ nonce, dev, formActions }: CspOptions): string {
  const directives = [
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    `form-action 'self'${formActions.map((origin) => ` ${origin}`).join("")}`,
  ];
  return directives.join("; ");
}

/** A nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
