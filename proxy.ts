import { type NextRequest, NextResponse } from "next/server";
import { getConfig } from "@/lib/config";
import { contentSecurityPolicy, newNonce } from "@/lib/security/csp";

/**
 * Per-request security headers for pages: a nonce-based CSP (Next.js reads the nonce from the
 * request's CSP header and puts it on its scripts; pages are dynamically rendered, see the root
 * layout) and, when the app is served over https, HSTS.
 */
export async function proxy(request: NextRequest) {
  const config = await getConfig().catch(() => null);
  const formActions = config?.formActionOrigins ?? [];
  const csp = contentSecurityPolicy({ nonce: newNonce(), dev: process.env.NODE_ENV === "development", formActions });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  if (config?.appUrl.startsWith("https://")) response.headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  return response;
}

export const config = {
  matcher: [
    // Pages only: route handlers answer JSON, static assets need no policy, prefetches are not rendered documents.
    {
      source: "/((?!api|_next/static|_next/image|favicon.ico|\\.well-known).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
