/**
 * Error responses in the exact shapes Supabase puts on the wire, so `@supabase/auth-js` turns
 * them into the same `AuthError` subclasses (with the same `code` and `status`) as it does
 * against the real service.
 *
 * Three producers exist in front of a real project, and each has its own body shape:
 *
 * - GoTrue itself (`AuthFailure`). The shape depends on the `X-Supabase-Api-Version` request
 *   header, exactly like GoTrue's `HandleResponseError`:
 *     - a valid date >= 2024-01-01 (auth-js always sends `2024-01-01`): the header is echoed
 *       and the body is `{ "code": "<error code>", "message": "..." }`. auth-js reads `code`
 *       only when the echoed header says so, which is why the echo is not optional.
 *     - absent, older or unparsable: legacy `{ "code": <status>, "error_code": "...", "msg": "..." }`.
 *   `weak_password` additionally carries `{ "weak_password": { "reasons": [...] } }`, and every
 *   coded error carries the `x-sb-error-code` response header, as GoTrue does.
 * - GoTrue's OAuth-style errors on `/token` (`OAuthFailure`): `{ "error", "error_description" }`,
 *   always 400, no error code (auth-js surfaces `code: undefined`).
 * - The API gateway (`GatewayFailure`), which checks the `apikey` before GoTrue sees the request:
 *   `{ "message", "hint" }` with no version header and no error code.
 *
 * Invariant: messages are fixed strings chosen here (or the user's own input echoed back by
 * nobody); internal details and stack traces never reach a response.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "../lib/http";

export const API_VERSION_HEADER = "X-Supabase-Api-Version";
export const API_VERSION_2024_01_01 = "2024-01-01";
const API_VERSION_2024_01_01_MS = Date.UTC(2024, 0, 1);

/** The GoTrue error codes this counterpart can produce (a subset of auth-js's `ErrorCode`). */
export type AuthErrorCode =
  | "bad_json"
  | "bad_jwt"
  | "email_not_confirmed"
  | "no_authorization"
  | "not_found"
  | "method_not_allowed"
  | "otp_disabled"
  | "otp_expired"
  | "over_email_send_rate_limit"
  | "over_request_rate_limit"
  | "phone_provider_disabled"
  | "refresh_token_already_used"
  | "refresh_token_not_found"
  | "session_not_found"
  | "unexpected_failure"
  | "user_not_found"
  | "validation_failed"
  | "weak_password"
  | "invalid_credentials";

export interface AuthFailureOptions {
  /** Only for `weak_password`: GoTrue's reasons (`length`, `characters`, `pwned`). */
  readonly weakPasswordReasons?: readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

/** An error GoTrue itself would answer with. */
export class AuthFailure extends Error {
  override readonly name = "AuthFailure";
  constructor(
    readonly status: number,
    readonly code: AuthErrorCode,
    message: string,
    readonly options: AuthFailureOptions = {},
  ) {
    super(message, { cause: options.cause });
  }
}

/** GoTrue's OAuth-style error (`/token` request problems): 400 `{ error, error_description }`. */
export class OAuthFailure extends Error {
  override readonly name = "OAuthFailure";
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description || error);
  }
}

/** An answer of the API gateway in front of GoTrue (missing or wrong `apikey`, unknown route). */
export class GatewayFailure extends Error {
  override readonly name = "GatewayFailure";
  constructor(
    readonly status: number,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/**
 * GoTrue's `DetermineClosestAPIVersion`: a strict `YYYY-MM-DD` calendar date; anything else is
 * treated as "no version" (legacy shape), exactly like GoTrue, which only logs a warning.
 */
export function negotiateApiVersion(header: string | string[] | undefined): typeof API_VERSION_2024_01_01 | undefined {
  if (typeof header !== "string") return undefined;
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(header);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  // Reject dates JavaScript would silently roll over (2024-02-30 → March), as Go's parser does.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return time >= API_VERSION_2024_01_01_MS ? API_VERSION_2024_01_01 : undefined;
}

/** Writes any error thrown by a handler. Unknown errors become GoTrue's generic 500. */
export function writeError(req: IncomingMessage, res: ServerResponse, error: unknown, log: (line: string, error: unknown) => void): void {
  if (error instanceof GatewayFailure) {
    sendJson(res, error.status, { message: error.message, ...(error.hint !== undefined ? { hint: error.hint } : {}) });
    return;
  }
  if (error instanceof OAuthFailure) {
    sendJson(res, 400, { error: error.error, error_description: error.description });
    return;
  }

  const failure =
    error instanceof AuthFailure
      ? error
      : new AuthFailure(500, "unexpected_failure", "Unexpected failure, please check server logs for more information");
  if (!(error instanceof AuthFailure) || failure.status >= 500) log(`${req.method} ${req.url?.split("?")[0]}`, error);

  const version = negotiateApiVersion(req.headers[API_VERSION_HEADER.toLowerCase()]);
  const headers: Record<string, string> = { ...failure.options.headers, "x-sb-error-code": failure.code };
  if (version !== undefined) headers[API_VERSION_HEADER] = version;

  const weak = failure.code === "weak_password" ? { weak_password: { reasons: [...(failure.options.weakPasswordReasons ?? [])] } } : {};
  const body =
    version !== undefined
      ? { code: failure.code, message: failure.message, ...weak }
      : { code: failure.status, error_code: failure.code, msg: failure.message, ...weak };
  sendJson(res, failure.status, body, headers);
}
