/**
 * Data access for the Turnkey counterpart, and the reshaping of rows into Turnkey's API types.
 * Every function takes a `Queryable` so callers decide what runs inside one transaction.
 *
 * Invariant: nothing here ever selects `wallets.seed_hex` or an OTP's target private key into
 * an API object; those columns are read only by the code that needs them.
 */
import { randomUUID } from "node:crypto";
import type {
  externaldatav1Timestamp,
  v1ApiKey,
  v1Authenticator,
  v1AuthenticatorTransport,
  v1CredentialType,
  v1OauthProvider,
  v1User,
  v1Wallet,
  v1WalletAccount,
} from "@turnkey/sdk-types";
import type { Queryable } from "../lib/db";

export interface OrganizationRow {
  id: string;
  name: string;
  parent_id: string | null;
  created_at: Date;
}

export interface UserRow {
  id: string;
  organization_id: string;
  user_name: string;
  email: string | null;
  phone_number: string | null;
  email_verified_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface ApiKeyRow {
  id: string;
  user_id: string;
  name: string;
  public_key: string;
  credential_type: string;
  expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The credential behind a stamp (an API or session key, or a passkey), with its owner. */
export interface Principal {
  /** The api_keys row, or the authenticators row for a passkey. */
  readonly apiKeyId: string;
  /** The API key's public key; for a passkey, `webauthn:<credential id>`. */
  readonly publicKey: string;
  readonly kind?: "api_key" | "passkey";
  readonly userId: string;
  readonly userName: string;
  readonly organizationId: string;
  readonly expiresAt: Date | null;
}

export const CREDENTIAL_API_KEY_P256: v1CredentialType = "CREDENTIAL_TYPE_API_KEY_P256";
export const CREDENTIAL_SESSION_KEY_P256: v1CredentialType = "CREDENTIAL_TYPE_READ_WRITE_SESSION_KEY_P256";

export function timestamp(date: Date): externaldatav1Timestamp {
  const ms = date.getTime();
  return { seconds: String(Math.floor(ms / 1000)), nanos: String((ms % 1000) * 1_000_000) };
}

// ---- organizations ----

export async function getOrganization(q: Queryable, id: string): Promise<OrganizationRow | undefined> {
  return (await q.query<OrganizationRow>("SELECT * FROM organizations WHERE id = $1", [id])).rows[0];
}

export async function insertOrganization(
  q: Queryable,
  row: { id: string; name: string; parentId: string | null; now: Date },
): Promise<void> {
  await q.query("INSERT INTO organizations (id, name, parent_id, created_at) VALUES ($1, $2, $3, $4)", [
    row.id,
    row.name,
    row.parentId,
    row.now,
  ]);
}

/**
 * Makes the configured parent organization, its API user and its one API key exist. A changed
 * `parentApiPublicKey` replaces the old key, so a rotated-out key stops working at restart.
 */
export async function ensureParent(q: Queryable, input: { organizationId: string; publicKey: string; now: Date }): Promise<void> {
  const org = await getOrganization(q, input.organizationId);
  if (org && org.parent_id !== null) throw new Error("The configured parent organization id belongs to a sub-organization");
  if (!org) await insertOrganization(q, { id: input.organizationId, name: "Parent organization", parentId: null, now: input.now });
  let user = (await q.query<UserRow>("SELECT * FROM users WHERE organization_id = $1 ORDER BY created_at LIMIT 1", [input.organizationId]))
    .rows[0];
  if (!user) {
    const userId = randomUUID();
    await insertUser(q, { id: userId, organizationId: input.organizationId, userName: "Parent API user", now: input.now });
    user = (await q.query<UserRow>("SELECT * FROM users WHERE id = $1", [userId])).rows[0];
  }
  if (!user) throw new Error("parent API user vanished");
  const holder = await findPrincipal(q, input.publicKey);
  if (holder && holder.userId !== user.id) throw new Error("parentApiPublicKey is registered to another user");
  await q.query("DELETE FROM api_keys WHERE user_id = $1 AND public_key <> $2", [user.id, input.publicKey]);
  if (!holder) {
    await insertApiKey(q, {
      userId: user.id,
      name: "Parent API key",
      publicKey: input.publicKey,
      credentialType: CREDENTIAL_API_KEY_P256,
      expiresAt: null,
      now: input.now,
    });
  }
}

// ---- users and credentials ----

export async function insertUser(
  q: Queryable,
  row: { id: string; organizationId: string; userName: string; email?: string; phoneNumber?: string; now: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO users (id, organization_id, user_name, email, phone_number, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6)`,
    [row.id, row.organizationId, row.userName, row.email?.toLowerCase() ?? null, row.phoneNumber ?? null, row.now],
  );
}

export async function getUserRow(q: Queryable, organizationId: string, userId: string): Promise<UserRow | undefined> {
  return (await q.query<UserRow>("SELECT * FROM users WHERE id = $1 AND organization_id = $2", [userId, organizationId])).rows[0];
}

export async function findUserByEmail(q: Queryable, organizationId: string, email: string): Promise<UserRow | undefined> {
  const rows = (
    await q.query<UserRow>("SELECT * FROM users WHERE organization_id = $1 AND email = $2 ORDER BY created_at LIMIT 1", [
      organizationId,
      email.toLowerCase(),
    ])
  ).rows;
  return rows[0];
}

export async function markEmailVerified(q: Queryable, userId: string, now: Date): Promise<void> {
  await q.query("UPDATE users SET email_verified_at = COALESCE(email_verified_at, $2), updated_at = $2 WHERE id = $1", [userId, now]);
}

export async function insertApiKey(
  q: Queryable,
  row: { userId: string; name: string; publicKey: string; credentialType: v1CredentialType; expiresAt: Date | null; now: Date },
): Promise<string> {
  const id = randomUUID();
  await q.query(
    `INSERT INTO api_keys (id, user_id, name, public_key, credential_type, expires_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
    [id, row.userId, row.name, row.publicKey, row.credentialType, row.expiresAt, row.now],
  );
  return id;
}

export async function findPrincipal(q: Queryable, publicKey: string): Promise<Principal | undefined> {
  const row = (
    await q.query<{ id: string; public_key: string; user_id: string; user_name: string; organization_id: string; expires_at: Date | null }>(
      `SELECT k.id, k.public_key, k.user_id, u.user_name, u.organization_id, k.expires_at
       FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.public_key = $1`,
      [publicKey],
    )
  ).rows[0];
  if (!row) return undefined;
  return {
    apiKeyId: row.id,
    publicKey: row.public_key,
    userId: row.user_id,
    userName: row.user_name,
    organizationId: row.organization_id,
    expiresAt: row.expires_at,
  };
}

export async function insertAuthenticator(
  q: Queryable,
  row: {
    userId: string;
    name: string;
    credentialId: string;
    transports: readonly string[];
    publicKeyJwk: object;
    alg: number;
    rpId: string;
    aaguid: string;
    signCount: number;
    now: Date;
  },
): Promise<"inserted" | "exists"> {
  const inserted = await q.query(
    `INSERT INTO authenticators (id, user_id, name, credential_id, transports, public_key_jwk, alg, rp_id, aaguid, sign_count, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (credential_id) DO NOTHING RETURNING id`,
    [
      randomUUID(),
      row.userId,
      row.name,
      row.credentialId,
      JSON.stringify(row.transports),
      JSON.stringify(row.publicKeyJwk),
      row.alg,
      row.rpId,
      row.aaguid,
      row.signCount,
      row.now,
    ],
  );
  return inserted.rows.length > 0 ? "inserted" : "exists";
}

/** A registered passkey and its owner, for checking an X-Stamp-Webauthn stamp. */
export interface AuthenticatorCredential {
  readonly id: string;
  readonly credentialId: string;
  readonly publicKeyJwk: import("node:crypto").JsonWebKey;
  readonly alg: number;
  readonly rpId: string;
  readonly signCount: number;
  readonly userId: string;
  readonly userName: string;
  readonly organizationId: string;
}

export async function findAuthenticator(q: Queryable, credentialId: string): Promise<AuthenticatorCredential | undefined> {
  const row = (
    await q.query<{
      id: string;
      credential_id: string;
      public_key_jwk: object | null;
      alg: number | null;
      rp_id: string | null;
      sign_count: string | number;
      user_id: string;
      user_name: string;
      organization_id: string;
    }>(
      `SELECT a.id, a.credential_id, a.public_key_jwk, a.alg, a.rp_id, a.sign_count, a.user_id, u.user_name, u.organization_id
       FROM authenticators a JOIN users u ON u.id = a.user_id WHERE a.credential_id = $1`,
      [credentialId],
    )
  ).rows[0];
  // Rows from before migration 2 hold no key: they cannot stamp.
  if (!row || row.public_key_jwk === null || row.alg === null || row.rp_id === null) return undefined;
  return {
    id: row.id,
    credentialId: row.credential_id,
    publicKeyJwk: row.public_key_jwk as import("node:crypto").JsonWebKey,
    alg: row.alg,
    rpId: row.rp_id,
    signCount: Number(row.sign_count),
    userId: row.user_id,
    userName: row.user_name,
    organizationId: row.organization_id,
  };
}

/**
 * Moves the signature counter forward, only if it is still the value the assertion was checked
 * against: two concurrent stamps with the same counter cannot both succeed.
 */
export async function advanceSignCount(q: Queryable, id: string, from: number, to: number): Promise<boolean> {
  const updated = await q.query("UPDATE authenticators SET sign_count = $3 WHERE id = $1 AND sign_count = $2 RETURNING id", [id, from, to]);
  return updated.rows.length > 0;
}

export interface OauthProviderRow {
  id: string;
  user_id: string;
  organization_id: string;
  provider_name: string;
  issuer: string;
  audience: string;
  subject: string;
  created_at: Date;
}

export async function insertOauthProvider(
  q: Queryable,
  row: { userId: string; organizationId: string; providerName: string; issuer: string; audience: string; subject: string; now: Date },
): Promise<"inserted" | "exists"> {
  const inserted = await q.query(
    `INSERT INTO oauth_providers (id, user_id, organization_id, provider_name, issuer, audience, subject, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (issuer, audience, subject) DO NOTHING RETURNING id`,
    [randomUUID(), row.userId, row.organizationId, row.providerName, row.issuer, row.audience, row.subject, row.now],
  );
  return inserted.rows.length > 0 ? "inserted" : "exists";
}

export async function oauthProvidersForIssuer(
  q: Queryable,
  organizationId: string | undefined,
  issuer: string,
): Promise<OauthProviderRow[]> {
  return organizationId === undefined
    ? (await q.query<OauthProviderRow>("SELECT * FROM oauth_providers WHERE issuer = $1", [issuer])).rows
    : (
        await q.query<OauthProviderRow>("SELECT * FROM oauth_providers WHERE organization_id = $1 AND issuer = $2", [
          organizationId,
          issuer,
        ])
      ).rows;
}

export async function hasOauthIssuer(q: Queryable, parentId: string, issuer: string): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM oauth_providers p JOIN organizations o ON o.id = p.organization_id
     WHERE p.issuer = $1 AND (o.parent_id = $2 OR o.id = $2) LIMIT 1`,
    [issuer, parentId],
  );
  return rows.rows.length > 0;
}

/** The full `v1User` of a user, credentials included (public parts only). */
export async function loadUser(q: Queryable, user: UserRow): Promise<v1User> {
  const [keys, authenticators, providers] = await Promise.all([
    q.query<ApiKeyRow>("SELECT * FROM api_keys WHERE user_id = $1 ORDER BY created_at, id", [user.id]),
    q.query<{ id: string; name: string; credential_id: string; transports: string[]; created_at: Date }>(
      "SELECT * FROM authenticators WHERE user_id = $1 ORDER BY created_at, id",
      [user.id],
    ),
    q.query<OauthProviderRow>("SELECT * FROM oauth_providers WHERE user_id = $1 ORDER BY created_at, id", [user.id]),
  ]);
  return {
    userId: user.id,
    userName: user.user_name,
    ...(user.email !== null ? { userEmail: user.email } : {}),
    ...(user.phone_number !== null ? { userPhoneNumber: user.phone_number } : {}),
    apiKeys: keys.rows.map(toApiKey),
    authenticators: authenticators.rows.map((row): v1Authenticator => ({
      transports: row.transports as v1AuthenticatorTransport[],
      attestationType: "none",
      aaguid: "",
      credentialId: row.credential_id,
      model: "",
      credential: { publicKey: "", type: "CREDENTIAL_TYPE_WEBAUTHN_AUTHENTICATOR" },
      authenticatorId: row.id,
      authenticatorName: row.name,
      createdAt: timestamp(row.created_at),
      updatedAt: timestamp(row.created_at),
    })),
    userTags: [],
    oauthProviders: providers.rows.map((row): v1OauthProvider => ({
      providerId: row.id,
      providerName: row.provider_name,
      issuer: row.issuer,
      audience: row.audience,
      subject: row.subject,
      createdAt: timestamp(row.created_at),
      updatedAt: timestamp(row.created_at),
    })),
    createdAt: timestamp(user.created_at),
    updatedAt: timestamp(user.updated_at),
    mfaPolicies: [],
  };
}

function toApiKey(row: ApiKeyRow): v1ApiKey {
  return {
    credential: { publicKey: row.public_key, type: row.credential_type as v1CredentialType },
    apiKeyId: row.id,
    apiKeyName: row.name,
    createdAt: timestamp(row.created_at),
    updatedAt: timestamp(row.updated_at),
    ...(row.expires_at !== null
      ? { expirationSeconds: String(Math.max(0, Math.round((row.expires_at.getTime() - row.created_at.getTime()) / 1000))) }
      : {}),
  };
}

// ---- wallets ----

interface WalletRow {
  id: string;
  organization_id: string;
  name: string;
  created_at: Date;
}

interface WalletAccountRow {
  id: string;
  wallet_id: string;
  organization_id: string;
  curve: v1WalletAccount["curve"];
  path_format: v1WalletAccount["pathFormat"];
  path: string;
  address_format: v1WalletAccount["addressFormat"];
  address: string;
  public_key: string;
  name: string | null;
  created_at: Date;
}

export async function insertWallet(
  q: Queryable,
  row: { id: string; organizationId: string; name: string; seedHex: string; now: Date },
): Promise<void> {
  await q.query("INSERT INTO wallets (id, organization_id, name, seed_hex, created_at) VALUES ($1, $2, $3, $4, $5)", [
    row.id,
    row.organizationId,
    row.name,
    row.seedHex,
    row.now,
  ]);
}

export async function insertWalletAccount(q: Queryable, row: Omit<WalletAccountRow, "id" | "created_at"> & { now: Date }): Promise<void> {
  await q.query(
    `INSERT INTO wallet_accounts (id, wallet_id, organization_id, curve, path_format, path, address_format, address, public_key, name, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (wallet_id, curve, path, address_format) DO NOTHING`,
    [
      randomUUID(),
      row.wallet_id,
      row.organization_id,
      row.curve,
      row.path_format,
      row.path,
      row.address_format,
      row.address,
      row.public_key,
      row.name,
      row.now,
    ],
  );
}

function toWallet(row: WalletRow): v1Wallet {
  return {
    walletId: row.id,
    walletName: row.name,
    createdAt: timestamp(row.created_at),
    updatedAt: timestamp(row.created_at),
    exported: false,
    imported: false,
  };
}

export async function listWallets(q: Queryable, organizationId: string): Promise<v1Wallet[]> {
  const rows = await q.query<WalletRow>(
    "SELECT id, organization_id, name, created_at FROM wallets WHERE organization_id = $1 ORDER BY created_at, id",
    [organizationId],
  );
  return rows.rows.map(toWallet);
}

export async function getWallet(q: Queryable, organizationId: string, walletId: string): Promise<v1Wallet | undefined> {
  const row = (
    await q.query<WalletRow>("SELECT id, organization_id, name, created_at FROM wallets WHERE id = $1 AND organization_id = $2", [
      walletId,
      organizationId,
    ])
  ).rows[0];
  return row ? toWallet(row) : undefined;
}

/** Accounts in creation order, after the account `after` (Turnkey's cursor is an account id). */
export async function listWalletAccounts(
  q: Queryable,
  input: { organizationId: string; walletId?: string; after?: string; limit: number },
): Promise<v1WalletAccount[]> {
  const rows = await q.query<WalletAccountRow>(
    `SELECT id, wallet_id, organization_id, curve, path_format, path, address_format, address, public_key, name, created_at
     FROM wallet_accounts
     WHERE organization_id = $1
       AND ($2::text IS NULL OR wallet_id = $2)
       AND ($3::text IS NULL OR seq > (SELECT seq FROM wallet_accounts WHERE id = $3 AND organization_id = $1))
     ORDER BY seq LIMIT $4`,
    [input.organizationId, input.walletId ?? null, input.after ?? null, input.limit],
  );
  return rows.rows.map((row) => ({
    walletAccountId: row.id,
    organizationId: row.organization_id,
    walletId: row.wallet_id,
    curve: row.curve,
    pathFormat: row.path_format,
    path: row.path,
    addressFormat: row.address_format,
    address: row.address,
    publicKey: row.public_key,
    createdAt: timestamp(row.created_at),
    updatedAt: timestamp(row.created_at),
    ...(row.name !== null ? { name: row.name } : {}),
  }));
}

// ---- sub-organization lookups (parent only) ----

export async function subOrganizationIds(
  q: Queryable,
  parentId: string,
  filter:
    | { kind: "all" }
    | { kind: "email"; email: string; verifiedOnly: boolean }
    | { kind: "name"; name: string }
    | { kind: "username"; userName: string }
    | { kind: "public_key"; publicKey: string }
    | { kind: "address"; address: string }
    | { kind: "oidc"; issuer: string; subject: string; audiences: readonly string[] },
): Promise<string[]> {
  const base = "SELECT DISTINCT o.id, o.created_at FROM organizations o";
  const order = "ORDER BY o.created_at, o.id";
  let result: { rows: { id: string }[] };
  switch (filter.kind) {
    case "all":
      result = await q.query(`${base} WHERE o.parent_id = $1 ${order}`, [parentId]);
      break;
    case "email":
      result = await q.query(
        `${base} JOIN users u ON u.organization_id = o.id
         WHERE o.parent_id = $1 AND u.email = $2 AND ($3 = false OR u.email_verified_at IS NOT NULL) ${order}`,
        [parentId, filter.email.toLowerCase(), filter.verifiedOnly],
      );
      break;
    case "name":
      result = await q.query(`${base} WHERE o.parent_id = $1 AND o.name = $2 ${order}`, [parentId, filter.name]);
      break;
    case "username":
      result = await q.query(`${base} JOIN users u ON u.organization_id = o.id WHERE o.parent_id = $1 AND u.user_name = $2 ${order}`, [
        parentId,
        filter.userName,
      ]);
      break;
    case "public_key":
      result = await q.query(
        `${base} JOIN users u ON u.organization_id = o.id JOIN api_keys k ON k.user_id = u.id
         WHERE o.parent_id = $1 AND k.public_key = $2 ${order}`,
        [parentId, filter.publicKey.toLowerCase()],
      );
      break;
    case "address":
      result = await q.query(
        `${base} JOIN wallet_accounts a ON a.organization_id = o.id WHERE o.parent_id = $1 AND a.address = $2 ${order}`,
        [parentId, filter.address],
      );
      break;
    case "oidc":
      result = await q.query(
        `${base} JOIN oauth_providers p ON p.organization_id = o.id
         WHERE o.parent_id = $1 AND p.issuer = $2 AND p.subject = $3 AND p.audience = ANY($4::text[]) ${order}`,
        [parentId, filter.issuer, filter.subject, filter.audiences],
      );
      break;
  }
  return result.rows.map((row) => row.id);
}
