// What the app reads from Turnkey's answers, and how it reads a refusal. No `server-only`: the
// counterpart's tests (packages/counterparts/turnkey) validate its answers, in both variants, against these
// same schemas, and `fixtures/` holds the documentation's own examples they must accept.
//
// Answers reach the app through @turnkey/sdk-server, which returns an activity's result object
// (`activity.result.<resultKey>`) spread together with the activity, and a query's body as is.
// Only the members the app uses are required; everything else, known or not, is ignored.
// Types and optionality: @turnkey/sdk-types public_api.types (v1InitOtpResultV2,
// v1VerifyOtpResult, v1OtpLoginResult, v1OauthLoginResult, v1CreateSubOrganizationResultV7,
// v1GetSubOrgIdsResponse, v1GetWalletsResponse, v1GetWalletAccountsResponse, v1GetWhoamiResponse).
import { z } from "zod";

export const initOtpResultSchema = z.object({ otpId: z.string().min(1), otpEncryptionTargetBundle: z.string().min(1) });
export const verifyOtpResultSchema = z.object({ verificationToken: z.string().min(1) });
/** otp_login and oauth_login both answer a session JWT. */
export const loginResultSchema = z.object({ session: z.string().min(1) });
/** `wallet` and `rootUserIds` are optional in the API; the app needs neither. */
export const createSubOrganizationResultSchema = z.object({ subOrganizationId: z.string().min(1) });
export const subOrgIdsResponseSchema = z.object({ organizationIds: z.array(z.string()) });
export const walletsResponseSchema = z.object({ wallets: z.array(z.object({ walletId: z.string().min(1) })) });
/** `publicKey`, `walletDetails`, `name`, `caip2Prefix` are optional in the API; the app needs none. */
export const walletAccountsResponseSchema = z.object({ accounts: z.array(z.object({ address: z.string(), addressFormat: z.string() })) });
export const whoamiResponseSchema = z.object({
  organizationId: z.string().min(1),
  userId: z.string().min(1),
  organizationName: z.string().optional(),
  username: z.string().optional(),
});

/**
 * A refusal: grpc-gateway's `rpcStatus` body, `{ code, message, details[] }` (sdk-types
 * `rpcStatus`; `details` are `protobufAny`, each named by its `@type`). @turnkey/sdk-server and
 * @turnkey/http throw it as `TurnkeyRequestError` with the same `code` and `details`.
 * https://docs.turnkey.com/developer-reference/api-overview/errors
 */
export const rpcStatusSchema = z.object({
  code: z.number().int(),
  message: z.string().optional(),
  details: z.array(z.looseObject({ "@type": z.string().optional() })).nullish(),
});

/** Turnkey's own error detail: a `turnkeyErrorCode` naming the category of the error. */
export const TURNKEY_ERROR_DETAIL_TYPE = "type.googleapis.com/errors.v1.TurnkeyErrorDetail";
/** google.rpc.ErrorInfo: `reason`, `domain` and a string-to-string `metadata` map. */
export const ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo";

/** What the app reads from a refusal. Never the message: it is English prose, not a contract. */
export interface TurnkeyFailure {
  /** The gRPC status number (3 INVALID_ARGUMENT, 16 UNAUTHENTICATED, …). */
  grpcCode: number;
  /** From a TurnkeyErrorDetail, where Turnkey sends one ("not all errors currently include" it). */
  turnkeyErrorCode?: string;
  /** Attempts left on a one-time code, where a detail states it. */
  attemptsRemaining?: number;
}

const turnkeyErrorDetail = z.object({
  "@type": z.literal(TURNKEY_ERROR_DETAIL_TYPE),
  turnkeyErrorCode: z.string().regex(/^[A-Z0-9_]{1,64}$/),
});
/** A count as a JSON number or, as in ErrorInfo's string map, a decimal string. */
const count = z.union([
  z.number().int().min(0).max(99),
  z
    .string()
    .regex(/^\d{1,2}$/)
    .transform(Number),
]);
const attemptsDetail = z.union([
  z.object({ metadata: z.object({ attemptsRemaining: count }) }).transform((d) => d.metadata.attemptsRemaining),
  z.object({ attemptsRemaining: count }).transform((d) => d.attemptsRemaining),
]);

/**
 * Reads a refusal from what @turnkey/sdk-server threw (or from an error body). Details are found
 * by their `@type` (or, for the attempt count, by shape), wherever they stand in the list: their
 * order is not part of the contract. Anything without a numeric gRPC `code` did not come from
 * Turnkey's API (a network failure, a proxy's page) and reads as undefined.
 */
export function readTurnkeyFailure(error: unknown): TurnkeyFailure | undefined {
  const status = rpcStatusSchema.safeParse(error);
  if (!status.success) return undefined;
  const details = status.data.details ?? [];
  let turnkeyErrorCode: string | undefined;
  let attemptsRemaining: number | undefined;
  for (const detail of details) {
    const code = turnkeyErrorDetail.safeParse(detail);
    if (code.success) turnkeyErrorCode ??= code.data.turnkeyErrorCode;
    const attempts = attemptsDetail.safeParse(detail);
    if (attempts.success) attemptsRemaining ??= attempts.data;
  }
  return {
    grpcCode: status.data.code,
    ...(turnkeyErrorCode !== undefined ? { turnkeyErrorCode } : {}),
    ...(attemptsRemaining !== undefined ? { attemptsRemaining } : {}),
  };
}
