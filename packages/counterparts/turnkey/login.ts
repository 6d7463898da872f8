/**
 * `otp_login` (ACTIVITY_TYPE_OTP_LOGIN_V2), `oauth_login` (ACTIVITY_TYPE_OAUTH_LOGIN) and
 * `stamp_login` (ACTIVITY_TYPE_STAMP_LOGIN): each one
 * register the client's P-256 `publicKey` as a read-write session key of one user and return a
 * session JWT (signer-keys.ts). The client then stamps requests with that key.
 *
 * Invariants:
 * - The session key is proven to belong to the client that authenticated:
 *   otp_login: the verification token names a key (`public_key`, sealed inside the encrypted
 *   OTP bundle), and `clientSignature` by that key must sign this exact usage
 *   `{"login":{"publicKey":<session key>},"tokenId":<token id>,"type":"USAGE_TYPE_LOGIN"}`.
 *   oauth_login: the ID token's `nonce` must be SHA-256(hex text of `publicKey`).
 *   stamp_login: the request itself is stamped by a credential of the user (a passkey, an API
 *   key, or a live session key, which is how the kit refreshes a session), so the new key is
 *   that user's (https://docs.turnkey.com/api-reference/activities/login-with-a-stamp).
 * - The user is found from verified facts only: the token's contact (an email whose code was
 *   proven) or the token's (iss, aud, sub) registered on a user of the target organization.
 *   No email-claim fallback for OIDC: an issuer asserting an email does not prove that the
 *   person controls the account that was registered with it.
 * - A verification token works once, consumed in the same transaction that registers the key.
 * - A key registered to another user is refused; the same user may refresh its own key.
 */
import { p256 } from "@noble/curves/nist.js";
import { hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import type { z } from "zod";
import type { Queryable } from "../lib/db";
import { nonceForPublicKey } from "../lib/oidc-token";
import { P256KeyError, parseP256PublicKey } from "../lib/p256-keys";
import { DEFAULT_SESSION_SECONDS, MAX_SESSION_SECONDS, MIN_SESSION_SECONDS, type RequestScope, type TurnkeyContext } from "./context";
import { GRPC, TurnkeyApiError, failedPrecondition, forbidden, invalid, notFound, unauthenticated } from "./errors";
import type { oauthLoginParams, otpLoginParams, stampLoginParams } from "./params";
import { signSessionJwt, verifyVerificationToken } from "./signer-keys";
import {
  CREDENTIAL_SESSION_KEY_P256,
  findPrincipal,
  findUserByEmail,
  getUserRow,
  insertApiKey,
  markEmailVerified,
  oauthProvidersForIssuer,
  type UserRow,
} from "./store";

export const CLIENT_SIGNATURE_SCHEME_API_P256 = "CLIENT_SIGNATURE_SCHEME_API_P256";

export async function otpLogin(
  ctx: TurnkeyContext,
  scope: RequestScope,
  params: z.infer<typeof otpLoginParams>,
): Promise<{ session: string }> {
  const sessionKey = sessionPublicKey(params.publicKey);
  const lifetime = sessionSeconds(params.expirationSeconds);
  const claims = await verifyVerificationToken(ctx.keys.otpSigner, params.verificationToken);
  if (!claims) throw unauthenticated("verification_token_invalid", "The verification token is not valid");
  const org = scope.organization;
  // The token was issued by init/verify_otp in the parent (or this) organization.
  if (claims.organization_id !== org.id && claims.organization_id !== org.parent_id) {
    throw forbidden("verification_token_organization_mismatch", "The verification token was issued for another organization");
  }
  checkClientSignature(params.clientSignature, { tokenId: claims.id, tokenPublicKey: claims.public_key, sessionKey: params.publicKey });

  const user = await findUserByEmail(ctx.db, org.id, claims.contact);
  if (!user) throw notFound("user_not_found", "No user of this organization has the verified contact");

  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const used = await tx.query<{ id: string }>(
      `UPDATE verification_tokens SET used_at = $2
       WHERE id = $1 AND used_at IS NULL AND expires_at > $2 RETURNING id`,
      [claims.id, now],
    );
    if (used.rows.length === 0) throw await explainTokenUnusable(tx, claims.id, now);
    await markEmailVerified(tx, user.id, now);
    return { session: await issueSession(ctx, tx, { user, sessionKey, lifetime, invalidateExisting: params.invalidateExisting ?? false }) };
  });
}

export async function oauthLogin(
  ctx: TurnkeyContext,
  scope: RequestScope,
  params: z.infer<typeof oauthLoginParams>,
): Promise<{ session: string }> {
  const sessionKey = sessionPublicKey(params.publicKey);
  const lifetime = sessionSeconds(params.expirationSeconds);
  const org = scope.organization;

  // Only issuers registered on a user of this organization are contacted at all.
  const issuer = ctx.oidc.peekIssuer(params.oidcToken);
  const providers = await oauthProvidersForIssuer(ctx.db, org.id, issuer);
  const verified = await ctx.oidc.verify(params.oidcToken, {
    issuerAllowed: () => providers.length > 0,
    audiences: [...new Set(providers.map((provider) => provider.audience))],
    nonce: nonceForPublicKey(params.publicKey),
  });
  const provider = providers.find((p) => p.subject === verified.subject && verified.matchedAudiences.includes(p.audience));
  if (!provider) throw notFound("oauth_user_not_found", "No user of this organization is linked to this OIDC identity");
  const user = await getUserRow(ctx.db, org.id, provider.user_id);
  if (!user) throw notFound("oauth_user_not_found", "No user of this organization is linked to this OIDC identity");

  return ctx.db.transaction(async (tx) => ({
    session: await issueSession(ctx, tx, { user, sessionKey, lifetime, invalidateExisting: params.invalidateExisting ?? false }),
  }));
}

export async function stampLogin(
  ctx: TurnkeyContext,
  scope: RequestScope,
  params: z.infer<typeof stampLoginParams>,
): Promise<{ session: string }> {
  const sessionKey = sessionPublicKey(params.publicKey);
  const lifetime = sessionSeconds(params.expirationSeconds);
  // The stamping credential's own user; the organization named was authorized to be its own or its parent.
  const user = await getUserRow(ctx.db, scope.principal.organizationId, scope.principal.userId);
  if (!user) throw notFound("user_not_found", "The stamping credential has no user");
  return ctx.db.transaction(async (tx) => ({
    session: await issueSession(ctx, tx, { user, sessionKey, lifetime, invalidateExisting: params.invalidateExisting ?? false }),
  }));
}

/** Registers (or refreshes) the session key of `user` and signs its session JWT. */
async function issueSession(
  ctx: TurnkeyContext,
  tx: Queryable,
  input: { user: UserRow; sessionKey: string; lifetime: number; invalidateExisting: boolean },
): Promise<string> {
  const now = ctx.now();
  const iat = Math.floor(now.getTime() / 1000);
  const cap = ctx.sessionCap();
  const exp = iat + (cap !== undefined ? Math.min(cap, input.lifetime) : input.lifetime);
  const expiresAt = new Date(exp * 1000);
  const holder = await findPrincipal(tx, input.sessionKey);
  if (holder && holder.userId !== input.user.id) {
    throw new TurnkeyApiError(GRPC.ALREADY_EXISTS, "public_key_in_use", "This public key is registered to another user");
  }
  if (holder) {
    await tx.query("UPDATE api_keys SET expires_at = $2, credential_type = $3, updated_at = $4 WHERE id = $1", [
      holder.apiKeyId,
      expiresAt,
      CREDENTIAL_SESSION_KEY_P256,
      now,
    ]);
  } else {
    await insertApiKey(tx, {
      userId: input.user.id,
      name: `Session key ${now.toISOString()}`,
      publicKey: input.sessionKey,
      credentialType: CREDENTIAL_SESSION_KEY_P256,
      expiresAt,
      now,
    });
  }
  if (input.invalidateExisting) {
    await tx.query("DELETE FROM api_keys WHERE user_id = $1 AND credential_type = $2 AND public_key <> $3", [
      input.user.id,
      CREDENTIAL_SESSION_KEY_P256,
      input.sessionKey,
    ]);
  }
  return signSessionJwt(ctx.keys.notarizer, {
    exp,
    iat,
    public_key: input.sessionKey,
    session_type: "SESSION_TYPE_READ_WRITE",
    user_id: input.user.id,
    organization_id: input.user.organization_id,
  });
}

function sessionPublicKey(hex: string): string {
  try {
    return parseP256PublicKey(hex, "compressed").compressedHex;
  } catch (error) {
    if (error instanceof P256KeyError) throw invalid("public_key_invalid", "publicKey must be a compressed P-256 key in hex");
    throw error;
  }
}

function sessionSeconds(requested: number | undefined): number {
  const seconds = requested ?? DEFAULT_SESSION_SECONDS;
  if (seconds < MIN_SESSION_SECONDS || seconds > MAX_SESSION_SECONDS) {
    throw invalid("expiration_invalid", `expirationSeconds must be in [${MIN_SESSION_SECONDS}, ${MAX_SESSION_SECONDS}]`);
  }
  return seconds;
}

/**
 * The client signature of otp_login: made by the key sealed into the verification token, over
 * the login usage naming this token and this session key. Raw r‖s (64 bytes, hex) over
 * SHA-256(message), as `@turnkey/core` and the Turnkey docs produce it.
 */
function checkClientSignature(
  signature: z.infer<typeof otpLoginParams>["clientSignature"],
  expected: { tokenId: string; tokenPublicKey: string; sessionKey: string },
): void {
  if (signature.scheme !== CLIENT_SIGNATURE_SCHEME_API_P256) {
    throw invalid("client_signature_scheme_unsupported", `clientSignature.scheme must be ${CLIENT_SIGNATURE_SCHEME_API_P256}`);
  }
  if (signature.publicKey.toLowerCase() !== expected.tokenPublicKey.toLowerCase()) {
    throw unauthenticated("client_signature_key_mismatch", "clientSignature.publicKey is not the key bound to the verification token");
  }
  let usage: unknown;
  try {
    usage = JSON.parse(signature.message);
  } catch {
    throw invalid("client_signature_message_invalid", "clientSignature.message must be the JSON login usage");
  }
  const u = usage as { type?: unknown; tokenId?: unknown; login?: { publicKey?: unknown } } | null;
  if (u?.type !== "USAGE_TYPE_LOGIN" || u.tokenId !== expected.tokenId || u.login?.publicKey !== expected.sessionKey) {
    throw unauthenticated("client_signature_message_mismatch", "clientSignature.message does not authorize this login");
  }
  let valid = false;
  if (/^[0-9a-fA-F]{128}$/.test(signature.signature)) {
    const key = parseP256PublicKey(expected.tokenPublicKey.toLowerCase(), "compressed").compressed;
    valid = p256.verify(hexToBytes(signature.signature), utf8ToBytes(signature.message), key, { prehash: true, lowS: false });
  }
  if (!valid) throw unauthenticated("client_signature_invalid", "clientSignature does not verify");
}

async function explainTokenUnusable(q: Queryable, tokenId: string, now: Date): Promise<TurnkeyApiError> {
  const row = (
    await q.query<{ used_at: Date | null; expires_at: Date }>("SELECT used_at, expires_at FROM verification_tokens WHERE id = $1", [
      tokenId,
    ])
  ).rows[0];
  if (!row) return unauthenticated("verification_token_invalid", "The verification token is not valid");
  if (row.used_at !== null) return failedPrecondition("verification_token_used", "This verification token has already been used");
  if (row.expires_at.getTime() <= now.getTime())
    return failedPrecondition("verification_token_expired", "This verification token has expired");
  return unauthenticated("verification_token_invalid", "The verification token is not valid");
}
