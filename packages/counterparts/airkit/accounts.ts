/**
 * AIR accounts (one per lower-cased email) and their links to partners.
 */
import { randomUUID } from "node:crypto";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import type { Queryable } from "../lib/db";
import { generateAccountKey } from "../lib/ethereum-address";
import { signDigest, type RecoverableSignature } from "../lib/ethereum-signing";

export interface Account {
  readonly id: string;
  readonly email: string;
  /** Exists from the start; AIR hands it out only once MFA is set up ("User Management"). */
  readonly abstractAccountAddress: string;
  readonly createdAt: Date;
  /** When the account enrolled a passkey as MFA; null before. */
  readonly mfaSetupAt: Date | null;
}

export interface LinkedAccount {
  readonly account: Account;
  readonly partnerId: string;
  readonly partnerUserId?: string;
}

interface AccountRow {
  id: string;
  email: string;
  abstract_account_address: string;
  created_at: Date;
  mfa_setup_at: Date | null;
}

interface LinkedRow extends AccountRow {
  partner_id: string;
  partner_user_id: string | null;
}

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    email: row.email,
    abstractAccountAddress: row.abstract_account_address,
    createdAt: row.created_at,
    mfaSetupAt: row.mfa_setup_at,
  };
}

function toLinked(row: LinkedRow): LinkedAccount {
  return {
    account: toAccount(row),
    partnerId: row.partner_id,
    ...(row.partner_user_id !== null ? { partnerUserId: row.partner_user_id } : {}),
  };
}

const LINKED_SELECT = `
  SELECT a.id, a.email, a.abstract_account_address, a.created_at, a.mfa_setup_at, l.partner_id, l.partner_user_id
  FROM accounts a JOIN partner_links l ON l.account_id = a.id`;

/** The account for `email`, if this partner has already had that email verified. */
export async function findLinkedAccountByEmail(q: Queryable, email: string, partnerId: string): Promise<LinkedAccount | undefined> {
  const result = await q.query<LinkedRow>(`${LINKED_SELECT} WHERE a.email = $1 AND l.partner_id = $2`, [email, partnerId]);
  const row = result.rows[0];
  return row ? toLinked(row) : undefined;
}

export async function findLinkedAccountById(q: Queryable, accountId: string, partnerId: string): Promise<LinkedAccount | undefined> {
  const result = await q.query<LinkedRow>(`${LINKED_SELECT} WHERE a.id = $1 AND l.partner_id = $2`, [accountId, partnerId]);
  const row = result.rows[0];
  return row ? toLinked(row) : undefined;
}

/**
 * The account for `email`, created with a fresh secp256k1 key if there is none. Safe under
 * concurrency: the unique email decides which insert wins, and everyone reads the winner.
 */
export async function ensureAccount(q: Queryable, email: string, now: Date): Promise<Account> {
  const { privateKey, address } = generateAccountKey();
  await q.query(
    `INSERT INTO accounts (id, email, private_key_hex, abstract_account_address, created_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (email) DO NOTHING`,
    [randomUUID(), email, bytesToHex(privateKey), address, now],
  );
  privateKey.fill(0);
  const result = await q.query<AccountRow>(
    "SELECT id, email, abstract_account_address, created_at, mfa_setup_at FROM accounts WHERE email = $1",
    [email],
  );
  const row = result.rows[0];
  if (!row) throw new Error("Account vanished right after insertion");
  return toAccount(row);
}

/**
 * Records that `partnerId` knows this account. `partnerUserId` replaces the stored one when
 * given; a token without it keeps the previous value. Returns the link as stored.
 */
export async function upsertPartnerLink(
  q: Queryable,
  account: Account,
  partnerId: string,
  partnerUserId: string | undefined,
  now: Date,
): Promise<LinkedAccount> {
  const result = await q.query<{ partner_user_id: string | null }>(
    `INSERT INTO partner_links (account_id, partner_id, partner_user_id, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $4)
     ON CONFLICT (account_id, partner_id) DO UPDATE
       SET partner_user_id = COALESCE(EXCLUDED.partner_user_id, partner_links.partner_user_id),
           updated_at = EXCLUDED.updated_at
     RETURNING partner_user_id`,
    [account.id, partnerId, partnerUserId ?? null, now],
  );
  const stored = result.rows[0]?.partner_user_id ?? null;
  return { account, partnerId, ...(stored !== null ? { partnerUserId: stored } : {}) };
}

/**
 * Signs a 32-byte digest with the account's key: the key `abstract_account_address` was derived
 * from at creation. The key never leaves this function.
 */
export async function signWithAccountKey(q: Queryable, accountId: string, digest: Uint8Array): Promise<RecoverableSignature> {
  const row = (await q.query<{ private_key_hex: string }>("SELECT private_key_hex FROM accounts WHERE id = $1", [accountId])).rows[0];
  if (!row) throw new Error("Account vanished");
  const key = hexToBytes(row.private_key_hex);
  try {
    return signDigest(key, digest);
  } finally {
    key.fill(0);
  }
}
