/**
 * Errors as Turnkey reports them: a gRPC-gateway `rpcStatus` body
 *
 *   { "code": <gRPC status number>, "message": "...", "details": [ google.rpc.ErrorInfo ] }
 *
 * with the HTTP status grpc-gateway uses for that gRPC code. `@turnkey/http` and
 * `@turnkey/sdk-server` read exactly `code`, `message` and `details` from a non-2xx answer and
 * throw `TurnkeyRequestError` ("Turnkey error <code>: <message> (Details: [...])"), so the
 * stable machine-readable code of this sandbox travels as `details[0].reason`.
 *
 * Invariant: messages are ours; upstream error text (jose, fetch, mail) never reaches a
 * response, only the server log.
 */
import type { ServerResponse } from "node:http";
import { ZodError } from "zod";
import { HttpError, sendJson } from "../lib/http";
import { OidcTokenError, UPSTREAM_OIDC_ERRORS } from "../lib/oidc-token";
import { StampError } from "../lib/turnkey-stamp";

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
export const ERROR_DOMAIN = "turnkey.sandbox.local";

export class TurnkeyApiError extends Error {
  override readonly name = "TurnkeyApiError";
  constructor(
    readonly grpcCode: GrpcCode,
    /** Stable snake_case code, sent as `details[0].reason`. */
    readonly reason: string,
    message: string,
    readonly extra: { metadata?: Readonly<Record<string, string>>; httpStatus?: number; headers?: Readonly<Record<string, string>>; cause?: unknown } = {},
  ) {
    super(message, { cause: extra.cause });
  }

  get httpStatus(): number {
    return this.extra.httpStatus ?? HTTP_STATUS[this.grpcCode];
  }
}

export interface RpcStatus {
  code: number;
  message: string;
  details: { "@type": string; reason: string; domain: string; metadata: Record<string, string> }[];
}

export function rpcStatus(error: TurnkeyApiError): RpcStatus {
  return {
    code: error.grpcCode,
    message: error.message,
    details: [{ "@type": ERROR_INFO_TYPE, reason: error.reason, domain: ERROR_DOMAIN, metadata: { ...error.extra.metadata } }],
  };
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

export function sendTurnkeyError(res: ServerResponse, error: TurnkeyApiError): void {
  if (error.httpStatus === 413) res.setHeader("Connection", "close");
  sendJson(res, error.httpStatus, rpcStatus(error), error.extra.headers);
}

/** Shorthands for the common kinds. */
export const invalid = (reason: string, message: string, metadata?: Record<string, string>) =>
  new TurnkeyApiError(GRPC.INVALID_ARGUMENT, reason, message, metadata ? { metadata } : {});
export const notFound = (reason: string, message: string) => new TurnkeyApiError(GRPC.NOT_FOUND, reason, message);
export const forbidden = (reason: string, message: string) => new TurnkeyApiError(GRPC.PERMISSION_DENIED, reason, message);
export const unauthenticated = (reason: string, message: string) => new TurnkeyApiError(GRPC.UNAUTHENTICATED, reason, message);
export const failedPrecondition = (reason: string, message: string) => new TurnkeyApiError(GRPC.FAILED_PRECONDITION, reason, message);
export const unimplemented = (reason: string, message: string) => new TurnkeyApiError(GRPC.UNIMPLEMENTED, reason, message);
