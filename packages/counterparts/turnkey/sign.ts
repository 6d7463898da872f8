/**
 * `sign_raw_payload` (ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2): signs a payload with a wallet
 * account's key, https://docs.turnkey.com/api-reference/activities/sign-raw-payload.
 *
 * - `signWith`: a wallet account address of the calling organization (compared without case
 *   for Ethereum addresses; Turnkey's docs also allow private key ids, which this counterpart has
 *   not got).
 * - `encoding` and `hashFunction`: ../lib/raw-payload.ts.
 * - Result `{ r, s, v }`: 64-hex r and s, and v the recovery id as two hex digits ("00"/"01"),
 *   as Turnkey answers (Alchemy's signer client adds 27 to it:
 *   https://github.com/alchemyplatform/aa-sdk account-kit/signer/src/client/base.ts).
 *
 * Invariant: the key is re-derived from the wallet seed for this one signature and never leaves
 * this module; only the organization's own users may sign (a parent organization has read-only
 * access to its sub-organizations, so its key cannot sign for them).
 */
import { hexToBytes } from "@noble/hashes/utils.js";
import { z } from "zod";
import { signDigest } from "../lib/ethereum-signing";
import { RawPayloadError, decodePayload, secp256k1Digest } from "../lib/raw-payload";
import { deriveSecp256k1 } from "../lib/wallet-keys";
import type { RequestScope, TurnkeyContext } from "./context";
import { invalid, notFound, unimplemented } from "./errors";

/** Generous for a message, small enough to keep hostile input cheap. */
const MAX_PAYLOAD_CHARS = 16 * 1024;

export const signRawPayloadParams = z.object({
  signWith: z.string().min(1).max(128),
  payload: z.string().max(MAX_PAYLOAD_CHARS),
  encoding: z.string().min(1).max(64),
  hashFunction: z.string().min(1).max(64),
});
export type SignRawPayloadParams = z.infer<typeof signRawPayloadParams>;

export interface SignRawPayloadResult {
  r: string;
  s: string;
  v: string;
}

export async function signRawPayload(
  ctx: TurnkeyContext,
  scope: RequestScope,
  params: SignRawPayloadParams,
): Promise<SignRawPayloadResult> {
  const { rows } = await ctx.db.query<{ curve: string; path: string; seed_hex: string }>(
    `SELECT a.curve, a.path, w.seed_hex FROM wallet_accounts a JOIN wallets w ON w.id = a.wallet_id
     WHERE a.organization_id = $1 AND (a.address = $2 OR (a.address_format = 'ADDRESS_FORMAT_ETHEREUM' AND lower(a.address) = lower($2)))
     ORDER BY a.seq LIMIT 1`,
    [scope.organization.id, params.signWith],
  );
  const account = rows[0];
  if (!account) throw notFound("wallet_account_not_found", "signWith names no wallet account of this organization");
  if (account.curve !== "CURVE_SECP256K1")
    throw unimplemented("curve_unsupported", "This counterpart signs raw payloads with secp256k1 accounts only");
  let digest: Uint8Array;
  try {
    digest = secp256k1Digest(decodePayload(params.payload, params.encoding), params.hashFunction);
  } catch (error) {
    if (!(error instanceof RawPayloadError)) throw error;
    throw error.code === "payload_encoding_unsupported" ? unimplemented(error.code, error.message) : invalid(error.code, error.message);
  }
  const key = deriveSecp256k1(hexToBytes(account.seed_hex), account.path);
  try {
    const signature = signDigest(key.privateKey, digest);
    return { r: signature.r, s: signature.s, v: signature.recovery.toString(16).padStart(2, "0") };
  } finally {
    key.privateKey.fill(0);
  }
}
