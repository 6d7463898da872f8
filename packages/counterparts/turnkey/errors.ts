/**
 * Errors as Turnkey reports them: a gRPC-gateway `rpcStatus` body
 *
 *   { "code": <gRPC status number>, "message": "...", "details": [ ... ] }
 *
 * with the HTTP status grpc-gateway uses for that gRPC code. `@turnkey/http` and
 * `@turnkey/sdk-server` read exactly `code`, `message` and `details` from a non-2xx answer and
 * throw `TurnkeyRequestError` ("Turnkey error <code>: <message> (Details: [...])").
 *
 * `details` carries, each named by its `@type`:
 * - Turnkey's own `type.googleapis.com/errors.v1.TurnkeyErrorDetail` with a `turnkeyErrorCode`,
 *   only where one of the documented codes fits ("Not all errors currently include a
 *   turnkeyErrorCode": https://docs.turnkey.com/developer-reference/api-overview/errors; no
 *   code is documented for the one-time-code cases, so none is invented for them);
 * - a `google.rpc.ErrorInfo` with this counterpart's stable snake_case `reason` (what its tests
 *   assert on) and, for a wrong one-time code, `metadata.attemptsRemaining` (a decimal string,
 *   as ErrorInfo's metadata is a string map). Turnkey documents the limit ("3 retries max per
 *   code"), not this field: the app treats it as optional.
 *
 * Variants (../lib/variant.ts): `standard` sends [TurnkeyErrorDetail, ErrorInfo] and the
 * counterpart's English message; `sparse` puts a detail of an unknown `@type` first, the ErrorInfo
 * before the TurnkeyErrorDetail, and words every message differently, so a client that reads
 * `details[0]` or matches message text breaks here first.
 *
 * Invariant: messages are ours; upstream error text (jose, fetch, mail) never reaches a
 * response, only the server log.
 */
import type { ServerResponse } from "node:http";
import { ZodError } from "zod";
import { HttpError, sendJson } from "../lib/http";
import { OidcTokenError, UPSTREAM_OIDC_ERRORS } from "../lib/oidc-token";
import { StampError } from "../lib/turnkey-stamp";
import type { CounterpartVariant } from "../lib/variant";

export const GRPC = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;
export type GrpcCode = (typeof GRPC)[keyof typeof GRPC];

/** grpc-gateway's mapping (runtime/errors.go HTTPStatusFromCode). */
const HTTP_STATUS: Record<GrpcCode, number> = {
  3: 400,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  9: 400,
  12: 501,
  13: 500,
  14: 503,
  16: 401,
};

export const ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo";
export const TURNKEY_ERROR_DETAIL_TYPE = "type.googleapis.com/errors.v1.TurnkeyErrorDetail";
export const ERROR_DOMAIN = "turnkey.counterpart.local";
/** A detail type no client knows (sparse variant): clients must skip what they do not recognise. */
export const UNKNOWN_DETAIL_TYPE = "type.googleapis.com/counterpart.v1.UnknownDetail";

export class TurnkeyApiError extends Error {
  override readonly name = "TurnkeyApiError";
  constructor(
    readonly grpcCode: GrpcCode,
    /** Stable snake_case code, sent as the ErrorInfo's `reason`. */
    readonly reason: string,
    message: string,
    readonly extra: {
      metadata?: Readonly<Record<string, string>>;
      httpStatus?: number;
      headers?: Readonly<Record<string, string>>;
      /** The documented TurnkeyErrorCode, where the reason alone does not name it. */
      turnkeyErrorCode?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: extra.cause });
  }

  get httpStatus(): number {
    return this.extra.httpStatus ?? HTTP_STATUS[this.grpcCode];
  }
}

export interface ErrorInfoDetail {
  "@type": typeof ERROR_INFO_TYPE;
  reason: string;
  domain: string;
  metadata: Record<string, string>;
}
export type RpcStatusDetail = ErrorInfoDetail | { "@type": string; [member: string]: unknown };

export interface RpcStatus {
  code: number;
  message: string;
  details: RpcStatusDetail[];
}

/**
 * The documented TurnkeyErrorCode for a counterpart reason, where one fits; by gRPC status
 * otherwise; none for the cases Turnkey documents no code for.
 */
const TURNKEY_ERROR_CODES: Readonly<Record<string, string>> = {
  api_key_not_found: "PUBLIC_KEY_NOT_FOUND",
  api_key_expired: "API_KEY_EXPIRED",
  stamp_missing: "SIGNATURE_MISSING",
  stamp_signature_invalid: "SIGNATURE_INVALID",
  organization_not_found: "ORGANIZATION_NOT_FOUND",
  organization_forbidden: "REQUEST_NOT_AUTHORIZED",
  parent_organization_required: "INVALID_ACTIVITY_CALLER",
  otp_contact_invalid: "INVALID_EMAIL",
  otp_invalid: "UNAUTHENTICATED",
};
const TURNKEY_ERROR_CODES_BY_GRPC: Partial<Record<GrpcCode, string>> = {
  [GRPC.INVALID_ARGUMENT]: "REQUEST_INVALID",
  [GRPC.PERMISSION_DENIED]: "REQUEST_NOT_AUTHORIZED",
  [GRPC.INTERNAL]: "INTERNAL",
};
/** One-time-code refusals: Turnkey documents no TurnkeyErrorCode for them. */
const NO_DOCUMENTED_CODE = new Set([
  "otp_attempts_exceeded",
  "otp_expired",
  "otp_used",
  "otp_not_found",
  "otp_unusable",
  "otp_rate_limited",
  "otp_bundle_invalid",
]);

function turnkeyErrorCode(error: TurnkeyApiError): string | undefined {
  if (NO_DOCUMENTED_CODE.has(error.reason)) return undefined;
  if (error.extra.turnkeyErrorCode !== undefined) return error.extra.turnkeyErrorCode;
  if (error.reason.startsWith("stamp_")) return TURNKEY_ERROR_CODES[error.reason] ?? "UNAUTHENTICATED";
  return TURNKEY_ERROR_CODES[error.reason] ?? TURNKEY_ERROR_CODES_BY_GRPC[error.grpcCode];
}

export function rpcStatus(error: TurnkeyApiError, variant: CounterpartVariant = "standard"): RpcStatus {
  const info: ErrorInfoDetail = {
    "@type": ERROR_INFO_TYPE,
    reason: error.reason,
    domain: ERROR_DOMAIN,
    metadata: { ...error.extra.metadata },
  };
  const code = turnkeyErrorCode(error);
  const turnkeyDetail = code !== undefined ? [{ "@type": TURNKEY_ERROR_DETAIL_TYPE, turnkeyErrorCode: code }] : [];
  if (variant === "sparse") {
    return {
      code: error.grpcCode,
      // Deliberately not the standard wording: the message is prose, not a contract.
      message: `request refused by the counterpart (${error.reason.replace(/_/g, " ")}; see details)`,
      details: [{ "@type": UNKNOWN_DETAIL_TYPE, hint: "ignore me", futureFeature: { enabled: true } }, info, ...turnkeyDetail],
    };
  }
  return { code: error.grpcCode, message: error.message, details: [...turnkeyDetail, info] };
}

/** Turns the errors of shared helpers into Turnkey errors; anything else is a fault (500). */
export function toTurnkeyApiError(error: unknown): TurnkeyApiError | undefined {
  if (error instanceof TurnkeyApiError) return error;
  if (error instanceof StampError) {
    return new TurnkeyApiError(error.status === 401 ? GRPC.UNAUTHENTICATED : GRPC.INVALID_ARGUMENT, error.code, error.message, {
      cause: error,
    });
  }
  if (error instanceof OidcTokenError) {
    const upstream = UPSTREAM_OIDC_ERRORS.has(error.code);
    return new TurnkeyApiError(upstream ? GRPC.UNAVAILABLE : GRPC.UNAUTHENTICATED, error.code, `OIDC token rejected: ${error.message}`, {
      ...(upstream ? {} : { turnkeyErrorCode: "INVALID_OIDC_TOKEN" }),
      cause: error,
    });
  }
  if (error instanceof HttpError) {
    // Body-level refusals from the shared reader (413, 415, invalid JSON) keep their status.
    return new TurnkeyApiError(GRPC.INVALID_ARGUMENT, error.code, error.message, { httpStatus: error.status, cause: error });
  }
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const path = issue?.path.join(".") || "body";
    return new TurnkeyApiError(GRPC.INVALID_ARGUMENT, "invalid_request", `${path}: ${issue?.message ?? "invalid"}`, {
      metadata: { field: path },
      cause: error,
    });
  }
  return undefined;
}

export function sendTurnkeyError(res: ServerResponse, error: TurnkeyApiError, variant: CounterpartVariant = "standard"): void {
  if (error.httpStatus === 413) res.setHeader("Connection", "close");
  sendJson(res, error.httpStatus, rpcStatus(error, variant), error.extra.headers);
}

/** Shorthands for the common kinds. */
export const invalid = (reason: string, message: string, metadata?: Record<string, string>) =>
  new TurnkeyApiError(GRPC.INVALID_ARGUMENT, reason, message, metadata ? { metadata } : {});
export const notFound = (reason: string, message: string) => new TurnkeyApiError(GRPC.NOT_FOUND, reason, message);
export const forbidden = (reason: string, message: string) => new TurnkeyApiError(GRPC.PERMISSION_DENIED, reason, message);
export const unauthenticated = (reason: string, message: string) => new TurnkeyApiError(GRPC.UNAUTHENTICATED, reason, message);
export const failedPrecondition = (reason: string, message: string) => new TurnkeyApiError(GRPC.FAILED_PRECONDITION, reason, message);
export const unimplemented = (reason: string, message: string) => new TurnkeyApiError(GRPC.UNIMPLEMENTED, reason, message);
