import "server-only";
import { errors } from "@/lib/http/errors";

/**
 * CSRF guard for state-changing route handlers: the browser's `Origin` header must be this
 * app's origin. Browsers always send Origin on cross-origin POSTs and on same-origin
 * fetches with non-GET methods, so a missing header is refused too.
 */
export function assertSameOrigin(request: Request, appUrl: string): void {
  const origin = request.headers.get("origin");
  if (!origin || origin !== new URL(appUrl).origin) throw errors.badOrigin();
}
