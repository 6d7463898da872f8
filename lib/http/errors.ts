// Errors that reach a client: a stable `code`, an HTTP status, and a message written for
// people. Anything else becomes a generic 500 without details.

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: Record<string, string | number | boolean>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const errors = {
  unauthenticated: () => new AppError("unauthenticated", 401, "Your session has ended. Sign in again."),
  badOrigin: () => new AppError("bad_origin", 403, "This request did not come from this app's pages."),
  invalidRequest: (message = "The request is not valid.") => new AppError("invalid_request", 400, message),
  notFound: (what = "This resource") => new AppError("not_found", 404, `${what} does not exist.`),
  notConfigured: (what: string) => new AppError("provider_not_configured", 404, `${what} is not configured on this server.`),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError("rate_limited", 429, `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, { retryAfterSeconds }),
  upstreamUnavailable: (service: string) =>
    new AppError("upstream_unavailable", 502, `${service} did not answer. Check that it is running and try again.`),
};
