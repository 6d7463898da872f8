/**
 * Email one-time codes, in Turnkey's current (encrypted) flow, as sdk-server 8.x drives it:
 *
 * 1. `init_otp` (ACTIVITY_TYPE_INIT_OTP_V3): emails a code and returns `otpId` plus
 *    `otpEncryptionTargetBundle`, a signed bundle naming a fresh per-OTP P-256 key.
 * 2. The client encrypts `{ otp_code, public_key }` to that key (`encryptOtpCodeToBundle`).
 * 3. `verify_otp` (ACTIVITY_TYPE_VERIFY_OTP_V2): decrypts, checks the code, and returns a
 *    `verificationToken` bound to the client's `public_key` (consumed by `otp_login`).
 *
 * Invariants, each enforced by a single SQL statement so concurrent requests cannot break it:
 * - At most `OTP_RATE_LIMIT_MAX` codes per contact per window (insert guarded by a count).
 * - At most `OTP_MAX_ATTEMPTS` bundles are ever checked per OTP: an attempt is consumed
 *   atomically *before* decrypting and comparing, so parallel guesses get no extra tries, and
 *   an undecryptable bundle costs an attempt too.
 * - An OTP succeeds at most once (`UPDATE … WHERE used_at IS NULL RETURNING`), in the same
 *   transaction that records the verification token; its target key is erased then.
 * - Only `HMAC(secret, otpId NUL code)` is stored (lib/otp.ts); codes come from a CSPRNG.
 */
import { randomInt, randomUUID } from "node:crypto";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { z } from "zod";
import { TURNKEY_HPKE_AAD, TURNKEY_HPKE_INFO } from "../lib/credential-bundle";
import type { Queryable } from "../lib/db";
import { HpkeError, hpkeOpen } from "../lib/hpke";
import { generateNumericCode } from "../lib/otp";
import { P256KeyError, generateP256KeyPair, parseP256PublicKey } from "../lib/p256-keys";
import { visitorTags } from "../lib/visitor";
import { MailDeliveryError, sendMail } from "../mailbox/client";
import type { TurnkeyContext } from "./context";
import { GRPC, TurnkeyApiError, failedPrecondition, invalid, notFound, unauthenticated, unimplemented } from "./errors";
import type { initOtpParams, verifyOtpParams } from "./params";
import { signEnclaveBundle, signVerificationToken } from "./signer-keys";

export const OTP_TYPE_EMAIL = "OTP_TYPE_EMAIL";
export const DEFAULT_OTP_LENGTH = 9;
export const MIN_OTP_LENGTH = 6;
export const MAX_OTP_LENGTH = 9;
export const DEFAULT_OTP_SECONDS = 300;
export const MAX_OTP_SECONDS = 600;
export const OTP_MAX_ATTEMPTS = 3;
export const OTP_RATE_LIMIT_MAX = 5;
export const OTP_RATE_LIMIT_WINDOW_SECONDS = 10 * 60;
export const DEFAULT_VERIFICATION_TOKEN_SECONDS = 3600;
export const MAX_VERIFICATION_TOKEN_SECONDS = 24 * 3600;
/** Crockford's Base32 alphabet (no I, L, O, U), as Turnkey's alphanumeric codes use. */
const CROCKFORD_BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

const emailSchema = z.email().max(254);
const bundleSchema = z.object({
  encappedPublic: z.string().regex(/^04[0-9a-fA-F]{128}$/),
  ciphertext: z.string().regex(/^(?:[0-9a-fA-F]{2}){16,1024}$/),
});
const plaintextSchema = z.object({ otp_code: z.string().min(1).max(32), public_key: z.string().max(256) });

interface OtpRow {
  id: string;
  organization_id: string;
  contact: string;
  otp_type: string;
  alphanumeric: boolean;
  code_hash: string;
  target_private_key_hex: string | null;
  attempts: number;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

export function generateOtpCode(length: number, alphanumeric: boolean): string {
  if (!alphanumeric) return generateNumericCode(length);
  let code = "";
  for (let i = 0; i < length; i++) code += CROCKFORD_BASE32.charAt(randomInt(0, CROCKFORD_BASE32.length));
  return code;
}

export async function initOtp(
  ctx: TurnkeyContext,
  organizationId: string,
  params: z.infer<typeof initOtpParams>,
  /** The public demo's visitor who asked (RequestScope.visitor): the mail is tagged for them. */
  visitor?: string,
): Promise<{ otpId: string; otpEncryptionTargetBundle: string }> {
  if (params.otpType !== OTP_TYPE_EMAIL) {
    throw unimplemented("otp_type_unsupported", "This counterpart sends OTP_TYPE_EMAIL codes only");
  }
  if (!emailSchema.safeParse(params.contact).success) throw invalid("otp_contact_invalid", "contact must be an email address");
  const length = params.otpLength ?? DEFAULT_OTP_LENGTH;
  if (!Number.isInteger(length) || length < MIN_OTP_LENGTH || length > MAX_OTP_LENGTH) {
    throw invalid("otp_length_invalid", `otpLength must be in [${MIN_OTP_LENGTH}, ${MAX_OTP_LENGTH}]`);
  }
  const ttl = params.expirationSeconds ?? DEFAULT_OTP_SECONDS;
  if (ttl < 1 || ttl > MAX_OTP_SECONDS) throw invalid("otp_expiration_invalid", `expirationSeconds must be in [1, ${MAX_OTP_SECONDS}]`);
  const alphanumeric = params.alphanumeric ?? true;
  const contact = params.contact.toLowerCase();

  const now = ctx.now();
  const otpId = randomUUID();
  const code = generateOtpCode(length, alphanumeric);
  const target = generateP256KeyPair();
  const windowStart = new Date(now.getTime() - OTP_RATE_LIMIT_WINDOW_SECONDS * 1000);
  // Count and insert in one statement: no window for two requests to both see "4 so far".
  const inserted = await ctx.db.query(
    `INSERT INTO otps (id, organization_id, contact, otp_type, alphanumeric, code_hash, target_private_key_hex, created_at, expires_at)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
     WHERE (SELECT count(*) FROM otps WHERE contact = $3 AND created_at > $10) < $11
     RETURNING id`,
    [
      otpId,
      organizationId,
      contact,
      OTP_TYPE_EMAIL,
      alphanumeric,
      ctx.otpHasher.hash(otpId, code),
      bytesToHex(target.privateKey),
      now,
      new Date(now.getTime() + ttl * 1000),
      windowStart,
      OTP_RATE_LIMIT_MAX,
    ],
  );
  if (inserted.rows.length === 0) {
    throw new TurnkeyApiError(GRPC.RESOURCE_EXHAUSTED, "otp_rate_limited", "Too many codes requested for this contact; try again later", {
      headers: { "Retry-After": String(OTP_RATE_LIMIT_WINDOW_SECONDS) },
    });
  }

  try {
    await sendMail({
      ...ctx.mail,
      to: contact,
      subject: `Your ${params.appName} verification code`,
      text: [
        `Your ${params.appName} verification code is ${code}.`,
        "",
        `It expires in ${Math.ceil(ttl / 60)} minute(s) and works once.`,
        "If you did not ask for it, you can ignore this email.",
      ].join("\n"),
      tags: visitorTags(visitor),
    });
  } catch (error) {
    // The code was never delivered: drop it so it neither counts nor lingers.
    await ctx.db.query("DELETE FROM otps WHERE id = $1", [otpId]);
    if (error instanceof MailDeliveryError) {
      console.error(`[turnkey] could not email a one-time code (${error.code})`, error.cause ?? "");
      throw new TurnkeyApiError(GRPC.UNAVAILABLE, "mail_unavailable", "The one-time code could not be sent");
    }
    throw error;
  }

  const otpEncryptionTargetBundle = await signEnclaveBundle(ctx.keys.otpSigner, {
    targetPublic: bytesToHex(target.publicKey.uncompressed),
    organizationId,
    otpId,
  });
  return { otpId, otpEncryptionTargetBundle };
}

export async function verifyOtp(
  ctx: TurnkeyContext,
  organizationId: string,
  params: z.infer<typeof verifyOtpParams>,
): Promise<{ verificationToken: string }> {
  const tokenSeconds = params.expirationSeconds ?? DEFAULT_VERIFICATION_TOKEN_SECONDS;
  if (tokenSeconds < 1 || tokenSeconds > MAX_VERIFICATION_TOKEN_SECONDS) {
    throw invalid("verification_token_expiration_invalid", `expirationSeconds must be in [1, ${MAX_VERIFICATION_TOKEN_SECONDS}]`);
  }
  const now = ctx.now();
  const consumed = await ctx.db.query<OtpRow>(
    `UPDATE otps SET attempts = attempts + 1
     WHERE id = $1 AND organization_id = $2 AND used_at IS NULL AND expires_at > $3 AND attempts < $4
     RETURNING *`,
    [params.otpId, organizationId, now, OTP_MAX_ATTEMPTS],
  );
  const otp = consumed.rows[0];
  if (!otp || otp.target_private_key_hex === null) throw await explainUnusable(ctx.db, params.otpId, organizationId, now);
  const attemptsRemaining = String(Math.max(0, OTP_MAX_ATTEMPTS - otp.attempts));

  const { code, publicKey } = openOtpBundle(params.encryptedOtpBundle, otp.target_private_key_hex);
  const normalized = otp.alphanumeric ? code.toUpperCase() : code;
  if (!ctx.otpHasher.matches(otp.id, normalized, otp.code_hash)) {
    throw new TurnkeyApiError(GRPC.UNAUTHENTICATED, "otp_invalid", "The code is not correct", { metadata: { attemptsRemaining } });
  }

  const tokenId = randomUUID();
  const expiresAt = new Date(now.getTime() + tokenSeconds * 1000);
  await ctx.db.transaction(async (tx) => {
    const used = await tx.query(
      `UPDATE otps SET used_at = $2, target_private_key_hex = NULL
       WHERE id = $1 AND used_at IS NULL AND expires_at > $2 RETURNING id`,
      [otp.id, now],
    );
    // Another request with the right code won the race (or the OTP expired meanwhile).
    if (used.rows.length === 0) throw await explainUnusable(tx, otp.id, organizationId, now);
    await tx.query(
      `INSERT INTO verification_tokens (id, otp_id, organization_id, contact, public_key, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [tokenId, otp.id, organizationId, otp.contact, publicKey, expiresAt],
    );
  });
  const verificationToken = await signVerificationToken(ctx.keys.otpSigner, {
    id: tokenId,
    verification_type: otp.otp_type,
    contact: otp.contact,
    organization_id: organizationId,
    public_key: publicKey,
    exp: String(expiresAt.getTime()),
  });
  return { verificationToken };
}

/** Decrypts `{ encappedPublic, ciphertext }` (formatHpkeBuf) to `{ otp_code, public_key }`. */
function openOtpBundle(bundle: string, targetPrivateKeyHex: string): { code: string; publicKey: string } {
  const refuse = () => invalid("otp_bundle_invalid", "encryptedOtpBundle cannot be opened with this OTP's key");
  try {
    const envelope = bundleSchema.parse(JSON.parse(bundle));
    const plaintext = hpkeOpen({
      recipientPrivateKey: hexToBytes(targetPrivateKeyHex),
      encapsulatedKey: hexToBytes(envelope.encappedPublic),
      ciphertext: hexToBytes(envelope.ciphertext),
      info: TURNKEY_HPKE_INFO,
      additionalData: TURNKEY_HPKE_AAD,
    });
    const content = plaintextSchema.parse(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(plaintext)));
    return { code: content.otp_code, publicKey: parseP256PublicKey(content.public_key, "compressed").compressedHex };
  } catch (error) {
    if (
      error instanceof SyntaxError ||
      error instanceof z.ZodError ||
      error instanceof HpkeError ||
      error instanceof P256KeyError ||
      error instanceof TypeError
    ) {
      throw refuse();
    }
    throw error;
  }
}

/** Why an OTP cannot take an attempt. The checks mirror the guarded UPDATE. */
async function explainUnusable(q: Queryable, otpId: string, organizationId: string, now: Date): Promise<TurnkeyApiError> {
  const row = (await q.query<OtpRow>("SELECT * FROM otps WHERE id = $1 AND organization_id = $2", [otpId, organizationId])).rows[0];
  if (!row) return notFound("otp_not_found", "No such OTP");
  if (row.used_at !== null) return failedPrecondition("otp_used", "This code has already been used");
  if (row.attempts >= OTP_MAX_ATTEMPTS) {
    return new TurnkeyApiError(GRPC.RESOURCE_EXHAUSTED, "otp_attempts_exceeded", "Too many attempts; request a new code", {
      metadata: { attemptsRemaining: "0" },
    });
  }
  if (row.expires_at.getTime() <= now.getTime()) return failedPrecondition("otp_expired", "This code has expired");
  // State only moves towards used/exhausted/expired, all handled above.
  return unauthenticated("otp_unusable", "This code cannot be used");
}
