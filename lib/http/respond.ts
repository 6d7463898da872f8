import "server-only";
import { ZodError } from "zod";
import { AppError } from "./errors";

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
  if (error instanceof ZodError) {
    const first = error.issues[0];
    const field = first?.path.join(".") || "body";
    return Response.json(
      { error: { code: "invalid_request", message: `${field}: ${first?.message ?? "invalid"}` } } satisfies ErrorBody,
      { status: 400 },
    );
  }
  console.error("[api] unexpected error", error);
  return Response.json({ error: { code: "internal_error", message: "Something went wrong on our side. Try again." } } satisfies ErrorBody, {
    status: 500,
  });
}

/** Reads a JSON body; a non-JSON body is a 400, not a 500. */
export async function readJson(request: Request): Promise<unknown> {
  if (!request.headers.get("content-type")?.includes("application/json")) {
    throw new AppError("invalid_request", 415, "Send the body as application/json.");
  }
  try {
    return await request.json();
  } catch {
    throw new AppError("invalid_json", 400, "The request body is not valid JSON.");
  }
}
