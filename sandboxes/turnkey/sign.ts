/**
 * `sign_raw_payload` (ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2): signs a payload with a wallet
 * account's key, https://docs.turnkey.com/api-reference/activities/sign-raw-payload.
 *
 * - `signWith`: a wallet account address of the calling organization (compared without case
 *   for Ethereum addresses; Turnkey's docs also allow private key ids, which this sandbox has
 *   not got).
 * - `encoding`: PAYLOAD_ENCODING_HEXADECIMAL (with or without 0x, as @turnkey/core sends "0x…")
 *   or PAYLOAD_ENCODING_TEXT_UTF8.
 * - `hashFunction` for secp256k1 (https://docs.turnkey.com/api-reference/overview/raw-payload-signing):
 *   HASH_FUNCTION_KECCAK256 and HASH_FUNCTION_SHA256 hash the decoded bytes; HASH_FUNCTION_NO_OP
 *   takes them as the 32-byte digest; HASH_FUNCTION_NOT_APPLICABLE is for Ed25519 and refused.
 * - Result `{ r, s, v }`: 64-hex r and s, and v the recovery id as two hex digits ("00"/"01"),
 *   as Turnkey answers (Alchemy's signer client adds 27 to it:
 *   https://github.com/alchemyplatform/aa-sdk account-kit/signer/src/client/base.ts).
 *
 * Invariant: the key is re-derived from the wallet seed for this one signature and never leaves
 * this module; only the organization's own users may sign (a parent organization has read-only
 * access to its sub-organizations, so its key cannot sign for them).
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { z } from "zod";
import { signDigest } from "../lib/ethereum-signing";
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

function decodePayload(payload: string, encoding: string): Uint8Array {
  if (encoding === "PAYLOAD_ENCODING_TEXT_UTF8") return utf8ToBytes(payload);
  if (encoding === "PAYLOAD_ENCODING_HEXADECIMAL") {
    const hex = payload.startsWith("0x") ? payload.slice(2) : payload;
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw invalid("payload_invalid", "payload must be hexadecimal (an even number of hex digits) for PAYLOAD_ENCODING_HEXADECIMAL");
    return hexToBytes(hex.toLowerCase());
  }
  throw unimplemented("payload_encoding_unsupported", "This sandbox signs PAYLOAD_ENCODING_HEXADECIMAL and PAYLOAD_ENCODING_TEXT_UTF8 payloads");
}

function digestFor(bytes: Uint8Array, hashFunction: string): Uint8Array {
  switch (hashFunction) {
    case "HASH_FUNCTION_KECCAK256":
      return keccak_256(bytes);
    case "HASH_FUNCTION_SHA256":
      return sha256(bytes);
    case "HASH_FUNCTION_NO_OP":
      if (bytes.length !== 32) throw invalid("payload_invalid", "With HASH_FUNCTION_NO_OP the payload must be the 32-byte digest to sign");
      return bytes;
    case "HASH_FUNCTION_NOT_APPLICABLE":
      throw invalid("hash_function_invalid", "HASH_FUNCTION_NOT_APPLICABLE is for Ed25519 keys; secp256k1 needs KECCAK256, SHA256 or NO_OP");
    default:
      throw invalid("hash_function_invalid", "hashFunction must be HASH_FUNCTION_KECCAK256, HASH_FUNCTION_SHA256 or HASH_FUNCTION_NO_OP");
  }
}

export async function signRawPayload(ctx: TurnkeyContext, scope: RequestScope, params: SignRawPayloadParams): Promise<SignRawPayloadResult> {
  const { rows } = await ctx.db.query<{ curve: string; path: string; seed_hex: string }>(
    `SELECT a.curve, a.path, w.seed_hex FROM wallet_accounts a JOIN wallets w ON w.id = a.wallet_id
     WHERE a.organization_id = $1 AND (a.address = $2 OR (a.address_format = 'ADDRESS_FORMAT_ETHEREUM' AND lower(a.address) = lower($2)))
     ORDER BY a.seq LIMIT 1`,
    [scope.organization.id, params.signWith],
  );
  const account = rows[0];
  if (!account) throw notFound("wallet_account_not_found", "signWith names no wallet account of this organization");
  if (account.curve !== "CURVE_SECP256K1") throw unimplemented("curve_unsupported", "This sandbox signs raw payloads with secp256k1 accounts only");
  const digest = digestFor(decodePayload(params.payload, params.encoding), params.hashFunction);
  const key = deriveSecp256k1(hexToBytes(account.seed_hex), account.path);
  try {
    const signature = signDigest(key.privateKey, digest);
    return { r: signature.r, s: signature.s, v: signature.recovery.toString(16).padStart(2, "0") };
  } finally {
    key.privateKey.fill(0);
  }
}
