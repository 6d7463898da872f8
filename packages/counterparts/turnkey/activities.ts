/**
 * The endpoints this counterpart serves, as data: one line per activity (with the activity type
 * strings and intent/result keys of `@turnkey/sdk-server` 8.x) and per query.
 *
 * Activities answer `{ activity }` with `status: "ACTIVITY_STATUS_COMPLETED"` and the result
 * under its versioned key (`result.createSubOrganizationResultV8`, …): sdk-server spreads that
 * key into its return value, and polls `get_activity` only for non-terminal statuses (which
 * this counterpart never returns, since it runs activities synchronously).
 */
import { randomUUID } from "node:crypto";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import type { z } from "zod";
import type { Queryable } from "../lib/db";
import type { RequestScope, TurnkeyContext } from "./context";
import { oauthLogin, otpLogin, stampLogin } from "./login";
import { initOtp, verifyOtp } from "./otp";
import {
  createSubOrganizationParams,
  getActivityQuery,
  getUserQuery,
  initOtpParams,
  listSubOrgsQuery,
  listWalletAccountsQuery,
  oauthLoginParams,
  otpLoginParams,
  queryEnvelope,
  stampLoginParams,
  verifyOtpParams,
} from "./params";
import { getActivity, getSubOrgIds, getUser, getWalletAccounts, getWallets, whoami } from "./queries";
import { signRawPayload, signRawPayloadParams } from "./sign";
import { timestamp } from "./store";
import { createSubOrganization } from "./sub-organizations";

/**
 * Which organizations a request may name:
 * - "parent": only the parent organization (and so only the parent's key);
 * - "organization": the caller's own organization, or any sub-org when the caller is the parent;
 * - "whoami": as "organization", plus a sub-org user naming the parent (Turnkey resolves it);
 * - "member": the caller's own organization only (signing: the parent's access to its
 *   sub-organizations is read-only).
 */
export type Scope = "parent" | "organization" | "whoami" | "member";

export interface ActivitySpec {
  readonly name: string;
  readonly scope: Scope;
  readonly versions: Readonly<Record<string, { readonly intentKey: string; readonly resultKey: string }>>;
  run(ctx: TurnkeyContext, scope: RequestScope, parameters: Record<string, unknown>): Promise<object>;
}

export interface QuerySpec {
  readonly name: string;
  readonly scope: Scope;
  run(ctx: TurnkeyContext, scope: RequestScope, body: unknown): Promise<object>;
}

function query<S extends z.ZodType>(
  name: string,
  scope: Scope,
  schema: S,
  run: (ctx: TurnkeyContext, scope: RequestScope, body: z.infer<S>) => Promise<object>,
): QuerySpec {
  return { name, scope, run: (ctx, requestScope, body) => run(ctx, requestScope, schema.parse(body)) };
}

export const ACTIVITIES: readonly ActivitySpec[] = [
  {
    name: "create_sub_organization",
    scope: "parent",
    versions: {
      ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V7: { intentKey: "createSubOrganizationIntentV7", resultKey: "createSubOrganizationResultV7" },
      ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8: { intentKey: "createSubOrganizationIntentV8", resultKey: "createSubOrganizationResultV8" },
    },
    run: (ctx, scope, p) => createSubOrganization(ctx, scope.organization.id, createSubOrganizationParams.parse(p)),
  },
  {
    name: "init_otp",
    scope: "parent",
    versions: { ACTIVITY_TYPE_INIT_OTP_V3: { intentKey: "initOtpIntentV3", resultKey: "initOtpResultV2" } },
    run: (ctx, scope, p) => initOtp(ctx, scope.organization.id, initOtpParams.parse(p), scope.visitor),
  },
  {
    name: "verify_otp",
    scope: "parent",
    versions: { ACTIVITY_TYPE_VERIFY_OTP_V2: { intentKey: "verifyOtpIntentV2", resultKey: "verifyOtpResult" } },
    run: (ctx, scope, p) => verifyOtp(ctx, scope.organization.id, verifyOtpParams.parse(p)),
  },
  {
    name: "otp_login",
    scope: "organization",
    versions: { ACTIVITY_TYPE_OTP_LOGIN_V2: { intentKey: "otpLoginIntentV2", resultKey: "otpLoginResult" } },
    run: (ctx, scope, p) => otpLogin(ctx, scope, otpLoginParams.parse(p)),
  },
  {
    name: "oauth_login",
    scope: "organization",
    versions: { ACTIVITY_TYPE_OAUTH_LOGIN: { intentKey: "oauthLoginIntent", resultKey: "oauthLoginResult" } },
    run: (ctx, scope, p) => oauthLogin(ctx, scope, oauthLoginParams.parse(p)),
  },
  {
    // Stamped by the user's own credential; the body may name the parent organization (the kit's
    // passkey login does, before it knows the sub-organization), resolved like whoami.
    name: "stamp_login",
    scope: "whoami",
    versions: { ACTIVITY_TYPE_STAMP_LOGIN: { intentKey: "stampLoginIntent", resultKey: "stampLoginResult" } },
    run: (ctx, scope, p) => stampLogin(ctx, scope, stampLoginParams.parse(p)),
  },
  {
    name: "sign_raw_payload",
    scope: "member",
    versions: { ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2: { intentKey: "signRawPayloadIntentV2", resultKey: "signRawPayloadResult" } },
    run: (ctx, scope, p) => signRawPayload(ctx, scope, signRawPayloadParams.parse(p)),
  },
];

/** Query paths are Turnkey's (sdk method names differ: getWallets → list_wallets, …). */
export const QUERIES: readonly QuerySpec[] = [
  query("whoami", "whoami", queryEnvelope, (ctx, scope) => whoami(ctx, scope)),
  query("get_user", "organization", getUserQuery, getUser),
  query("list_wallets", "organization", queryEnvelope, (ctx, scope) => getWallets(ctx, scope)),
  query("list_wallet_accounts", "organization", listWalletAccountsQuery, getWalletAccounts),
  query("list_suborgs", "parent", listSubOrgsQuery, (ctx, scope, body) => getSubOrgIds(ctx, scope, body, false)),
  query("list_verified_suborgs", "parent", listSubOrgsQuery, (ctx, scope, body) => getSubOrgIds(ctx, scope, body, true)),
  query("get_activity", "organization", getActivityQuery, getActivity),
];

/** `sha256:<hex>` of the exact request bytes, as @turnkey/crypto computeActivityFingerprint. */
export function activityFingerprint(body: Uint8Array): string {
  return `sha256:${bytesToHex(sha256(body))}`;
}

export async function findRecordedActivity(q: Queryable, organizationId: string, fingerprint: string): Promise<object | undefined> {
  const row = (
    await q.query<{ record: object }>("SELECT record FROM activities WHERE organization_id = $1 AND fingerprint = $2", [
      organizationId,
      fingerprint,
    ])
  ).rows[0];
  return row?.record;
}

/** Builds the completed v1Activity and records it (first writer wins on a duplicate fingerprint). */
export async function recordActivity(
  q: Queryable,
  input: {
    organizationId: string;
    type: string;
    intentKey: string;
    resultKey: string;
    parameters: Record<string, unknown>;
    result: object;
    fingerprint: string;
    now: Date;
  },
): Promise<object> {
  const at = timestamp(input.now);
  const record = {
    id: randomUUID(),
    organizationId: input.organizationId,
    status: "ACTIVITY_STATUS_COMPLETED",
    type: input.type,
    intent: { [input.intentKey]: redactSecrets(input.parameters) },
    result: { [input.resultKey]: input.result },
    votes: [],
    fingerprint: input.fingerprint,
    canApprove: false,
    canReject: false,
    createdAt: at,
    updatedAt: at,
  };
  await q.query(
    `INSERT INTO activities (id, organization_id, type, fingerprint, record, created_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (organization_id, fingerprint) DO NOTHING`,
    [record.id, input.organizationId, input.type, input.fingerprint, JSON.stringify(record), input.now],
  );
  return record;
}

/**
 * Bearer-like inputs are not kept in the activity log: an ID token could be replayed at other
 * relying parties, and a verification token or OTP bundle has no use after the activity.
 */
const SECRET_MEMBERS = new Set(["oidcToken", "verificationToken", "encryptedOtpBundle"]);

function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, member]) => [
      key,
      SECRET_MEMBERS.has(key) && typeof member === "string" ? "<redacted>" : redactSecrets(member),
    ]),
  );
}
