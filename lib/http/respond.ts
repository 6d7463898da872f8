import "server-only";
import { ZodError } from "zod";
import { IdentityTokenError } from "@/lib/identity/token-error";
import { readJsonLimited } from "./body";
import { AppError } from "./errors";

/** An identity token's verdicts that are not about the token: the provider could not be asked. */
const UNREACHABLE_TOKEN_CODES = new Set(["jwks_unreachable", "provider_unreachable"]);

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, string | number | boolean> };
}

/** Converts anything thrown in a route handler into a JSON error. Never sends a stack or an upstream message. */
export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const headers: HeadersInit = {};
    // rate_limited (429) and server_busy (503) say when to come back.
    if (error.details?.retryAfterSeconds) headers["Retry-After"] = String(error.details.retryAfterSeconds);
    return Response.json({ error: { code: error.code, message: error.message, details: error.details } } satisfies ErrorBody, {
      status: error.status,
      headers,
    });
  }
  if (error instanceof IdentityTokenError) {
    // A token the client sent (e.g. a Firebase ID token for Moojo) was refused: the client's
    // fault, a 4xx with the verdict as a stable reason. Only an unreachable key server is ours.
    if (UNREACHABLE_TOKEN_CODES.has(error.code)) {
      return Response.json(
        {
          error: { code: "upstream_unavailable", message: "The identity provider did not answer. Try again in a moment." },
        } satisfies ErrorBody,
        { status: 502 },
      );
    }
    return Response.json(
      {
        error: { code: "id_token_invalid", message: `${error.message} Sign in again and retry.`, details: { reason: error.code } },
      } satisfies ErrorBody,
      { status: 401 },
    );
  }
  if (error instanceof ZodError) {
    const first = error.issues[0];
    const field = first?.path.join(".") || "body";
    return Response.json({ error: { code: "invalid_request", message: `${field}: ${first?.message ?? "invalid"}` } } satisfies ErrorBody, {
      status: 400,
    });
  }
  console.error("[api] unexpected error", error);
  return Response.json({ error: { code: "internal_error", message: "Something went wrong on our side. Try again." } } satisfies ErrorBody, {
    status: 500,
  });
}

/** Reads a JSON body: 415 for another media type, 413 over the size limit, 400 for bad JSON; never a 500. */
export function readJson(request: Request): Promise<unknown> {
  return readJsonLimited(request);
}
