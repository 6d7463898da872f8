/**
 * Local counterpart of Moca AIR Kit custom auth ("Partner JWT" / bring your own auth).
 *
 * Login: a partner's backend signs a JWT for its user; the browser hands it to AIR. AIR verifies
 * it against the partner's registered JWKS. The first time an email arrives through a partner,
 * AIR proves the user controls that email with a one-time code; later logins through that
 * partner are immediate.
 *
 * MFA ("User Management", https://docs.moca.network/airkit/usage/user-management): the account
 * address is returned in the login result, the user info and the token only once the user has
 * set up MFA, which is a passkey. Offline, `POST /v1/mfa/passkey/options` + `POST
 * /v1/mfa/passkey` enrol one with WebAuthn (mfa.ts); `POST /v1/auth/token` then hands out a
 * fresh token (the SDK's `getAccessToken()`), now with the address. Both variants follow this.
 *
 * Signing: `POST /v1/wallet/rpc` is this counterpart's stand-in for the wallet behind the SDK's
 * EIP-1193 provider (`airService.getProvider()`), which AIR serves from its own iframe and does
 * not document as HTTP. It takes one EIP-1193 request, `{ method: "personal_sign", params:
 * [data, address] }` (EIP-1474/MetaMask order: data as 0x-hex bytes, or text), authenticated
 * by the AIR session token, and answers `{ result: "0x…" }`, an EIP-191 signature (v = 27/28)
 * by the account's key. Like AIR, it signs only once MFA is set up (any wallet request needs
 * it, "User Management") and only for the session's own address.
 *
 * Design decision: "seamless" is per (email, partner). An email verified through partner A
 * does not let partner B obtain a session for that account without its own code check, so one
 * partner asserting an arbitrary email cannot take over accounts created through another.
 *
 * Variants (../lib/variant.ts), both legal per the docs:
 * - standard: tokens carry `partnerUserId` whenever the account has one, and a `typ`/`kid`
 *   header; user info has `partnerId`, `partnerUserId` and `email`.
 * - sparse: tokens carry only `sub`, `partnerId`, `abstractAccountAddress` (after MFA),
 *   `iat`, `exp` and unknown extra claims, with a header of `alg` alone; user info leaves out
 *   every member the SDK marks optional (`partnerId`, `partnerUserId`, `email`) and adds
 *   unknown fields; login results add unknown fields. AIR documents no maximum lengths, so none
 *   are exercised.
 */
import type { AirLoginResult, AirUserDetails } from "@mocanetwork/airkit";
import { z } from "zod";
import { openDatabase } from "../lib/db";
import type { SweepableService } from "../lib/counterpart";
import { sweepAirKit } from "./retention";
import { HttpError, bearerToken, createServer, mapErrors, parseBody, sendJson, serve, type RequestContext } from "../lib/http";
import { loadOrCreateSecret, loadOrCreateSigningKey, publicJwks } from "../lib/keys";
import { OtpHasher, isNumericCode } from "../lib/otp";
import { visitorOf, visitorTags } from "../lib/visitor";
import { MailDeliveryError, sendMail } from "../mailbox/client";
import { UNKNOWN_EXTRA_FIELDS, type CounterpartVariant } from "../lib/variant";
import { WebAuthnError } from "../lib/webauthn";
import { eip191Digest, toRsvHex } from "../lib/ethereum-signing";
import {
  ensureAccount,
  findLinkedAccountByEmail,
  findLinkedAccountById,
  signWithAccountKey,
  upsertPartnerLink,
  type LinkedAccount,
} from "./accounts";
import { ChallengeError, ChallengeStore, OTP_DIGITS, OTP_TTL_SECONDS } from "./challenges";
import { PartnerTokenError, createPartnerTokenVerifier, type PartnerTokenErrorCode } from "./partner-token";
import { AIRKIT_MIGRATIONS } from "./schema";
import { MfaEnrolment, MfaError } from "./mfa";
import { DEFAULT_SESSION_TTL_SECONDS, SessionError, SessionManager, type TokenShape } from "./sessions";

export interface AirKitPartner {
  readonly partnerId: string;
  /** Where the partner publishes its public keys. */
  readonly jwksUrl: string;
  /** Browser origins of the partner's app (CORS, and checked on login). */
  readonly allowedOrigins: readonly string[];
}

export interface AirKitOptions {
  readonly port: number;
  readonly host?: string;
  /** Directory for the database and keys, or `memory://`. */
  readonly dataDir: string;
  readonly partners: readonly AirKitPartner[];
  /** Resend-shaped mail API used to deliver one-time codes. */
  readonly mail: { readonly apiUrl: string; readonly apiKey: string; readonly from: string };
  readonly sessionTtlSeconds?: number;
  readonly jwksCacheMaxAgeMs?: number;
  readonly jwksCooldownMs?: number;
  /** Clock override for tests. */
  readonly now?: () => Date;
  /** Serves PUT /counterpart/v1/fault (lib/http.ts) so end-to-end tests can take this service down. */
  readonly faultInjection?: boolean;
  /** Which legal shapes to answer with (../lib/variant.ts). */
  readonly variant?: CounterpartVariant;
}

export class AirKitConfigError extends Error {
  override readonly name = "AirKitConfigError";
  readonly code = "airkit_config_invalid";
}

const SIGNING_KEY_FILE = "airkit-signing-key.private.jwk.json";
const OTP_SECRET_FILE = "airkit-otp-hmac.secret";
const MAX_SESSION_TTL_SECONDS = 7 * 24 * 3600;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const loginSchema = z.object({
  partnerId: z.string().min(1).max(128),
  authToken: z
    .string()
    .min(1)
    .max(16 * 1024),
});
const verifySchema = z.object({
  challengeId: z.string().min(1).max(64),
  code: z.string().max(32),
});
const b64url = z
  .string()
  .max(16 * 1024)
  .regex(/^[A-Za-z0-9_-]*$/);
const passkeySchema = z.object({
  challengeId: z.string().min(1).max(64),
  credential: z.object({
    id: b64url.min(1).max(1400),
    type: z.literal("public-key"),
    response: z.object({ clientDataJSON: b64url, attestationObject: b64url }),
  }),
});

/** An EIP-1193 request to the wallet; personal_sign is the only method served. */
const walletRpcSchema = z.object({
  method: z.string().min(1).max(64),
  params: z.array(z.unknown()).max(4).default([]),
});
const personalSignParams = z.tuple([z.string().max(16 * 1024), z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x address")]);

/** `jane.doe@example.com` → `j***@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "***";
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

const PARTNER_TOKEN_STATUS: Partial<Record<PartnerTokenErrorCode, number>> = {
  partner_unknown: 404,
  jwks_unreachable: 502,
  jwks_invalid: 502,
};

const CHALLENGE_STATUS: Record<ChallengeError["code"], number> = {
  otp_rate_limited: 429,
  challenge_not_found: 404,
  otp_invalid: 401,
  otp_attempts_exceeded: 429,
  otp_expired: 410,
  otp_used: 409,
};

function toHttpError(error: unknown): unknown {
  if (error instanceof PartnerTokenError) {
    const status = PARTNER_TOKEN_STATUS[error.code] ?? 401;
    if (status >= 500) console.error(`[airkit] partner token check failed upstream (${error.code})`, error.cause);
    return new HttpError(status, error.code, error.message, { cause: error });
  }
  if (error instanceof ChallengeError) {
    const { retryAfterSeconds, attemptsRemaining } = error.info;
    return new HttpError(CHALLENGE_STATUS[error.code], error.code, error.message, {
      details: attemptsRemaining !== undefined ? { attemptsRemaining } : {},
      headers: retryAfterSeconds !== undefined ? { "Retry-After": String(retryAfterSeconds) } : {},
    });
  }
  if (error instanceof MfaError) {
    const status = error.code === "mfa_challenge_not_found" ? 404 : error.code === "mfa_already_set_up" ? 409 : 400;
    return new HttpError(status, error.code, error.message, { cause: error });
  }
  if (error instanceof WebAuthnError) return new HttpError(400, error.code, error.message, { cause: error });
  if (error instanceof SessionError) {
    return new HttpError(401, error.code, error.message, { headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } });
  }
  return error;
}

function requireBearer(ctx: RequestContext): string {
  const token = bearerToken(ctx.req);
  if (token === undefined) {
    throw new HttpError(401, "session_invalid", "Authorization: Bearer <AIR token> is required", {
      headers: { "WWW-Authenticate": "Bearer" },
    });
  }
  return token;
}

function validateOptions(options: AirKitOptions): void {
  const ttl = options.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_SESSION_TTL_SECONDS) {
    throw new AirKitConfigError(`sessionTtlSeconds must be an integer in (0, ${MAX_SESSION_TTL_SECONDS}]`);
  }
  if (options.partners.length === 0) throw new AirKitConfigError("At least one partner must be registered");
  for (const partner of options.partners) {
    for (const origin of partner.allowedOrigins) {
      // Origins are compared exactly with the browser's Origin header: no paths, no slash.
      if (new URL(origin).origin !== origin) {
        throw new AirKitConfigError(`allowedOrigins entry ${origin} is not a bare origin`);
      }
    }
  }
}

export async function startAirKit(options: AirKitOptions): Promise<SweepableService> {
  validateOptions(options);
  const now = options.now ?? (() => new Date());
  const sessionTtlSeconds = options.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS;
  const partners = new Map(options.partners.map((partner) => [partner.partnerId, partner]));

  const verifier = createPartnerTokenVerifier({
    partners: options.partners,
    now,
    ...(options.jwksCacheMaxAgeMs !== undefined ? { jwksCacheMaxAgeMs: options.jwksCacheMaxAgeMs } : {}),
    ...(options.jwksCooldownMs !== undefined ? { jwksCooldownMs: options.jwksCooldownMs } : {}),
  });
  const db = await openDatabase(options.dataDir, AIRKIT_MIGRATIONS);
  const sparse = options.variant === "sparse";
  const tokenShape: TokenShape = sparse
    ? { partnerUserId: false, typAndKid: false, extraClaims: UNKNOWN_EXTRA_FIELDS }
    : { partnerUserId: true, typAndKid: true };

  try {
    const signingKey = await loadOrCreateSigningKey(options.dataDir, SIGNING_KEY_FILE);
    const otpHasher = new OtpHasher(await loadOrCreateSecret(options.dataDir, OTP_SECRET_FILE));
    const challenges = new ChallengeStore(db, otpHasher, now);
    const sessions = new SessionManager({ db, signingKey, ttlSeconds: sessionTtlSeconds, now });
    const mfa = new MfaEnrolment(db, now);

    const loginResult = (linked: LinkedAccount, token: string): AirLoginResult => {
      const isMFASetup = linked.account.mfaSetupAt !== null;
      return {
        ...(sparse ? UNKNOWN_EXTRA_FIELDS : {}),
        isLoggedIn: true,
        id: linked.account.id,
        ...(isMFASetup ? { abstractAccountAddress: linked.account.abstractAccountAddress } : {}),
        token,
        isMFASetup,
      };
    };

    const userDetails = (linked: LinkedAccount): AirUserDetails => {
      const isMFASetup = linked.account.mfaSetupAt !== null;
      const address = isMFASetup ? { abstractAccountAddress: linked.account.abstractAccountAddress } : {};
      if (sparse) return { ...UNKNOWN_EXTRA_FIELDS, user: { ...UNKNOWN_EXTRA_FIELDS, id: linked.account.id, ...address, isMFASetup } };
      return {
        partnerId: linked.partnerId,
        ...(linked.partnerUserId !== undefined ? { partnerUserId: linked.partnerUserId } : {}),
        user: { id: linked.account.id, ...address, email: linked.account.email, isMFASetup },
      };
    };

    /** The account and partner link behind a Bearer AIR token. */
    const currentLink = async (ctx: RequestContext): Promise<LinkedAccount> => {
      const session = await sessions.authenticate(requireBearer(ctx));
      const linked = await findLinkedAccountById(db, session.accountId, session.partnerId);
      if (!linked) throw new SessionError("session_invalid", "Session is not valid");
      return linked;
    };

    const login = async (ctx: RequestContext): Promise<void> => {
      const { partnerId, authToken } = parseBody(loginSchema, await ctx.readJson());
      const partner = partners.get(partnerId);
      const origin = ctx.req.headers.origin;
      // Browsers always send Origin on these POSTs; server-to-server callers may not.
      if (partner && origin !== undefined && !partner.allowedOrigins.includes(origin)) {
        throw new HttpError(403, "origin_not_allowed", "This origin is not registered for the partner");
      }
      const verified = await verifier.verify(partnerId, authToken);

      const existing = await findLinkedAccountByEmail(db, verified.email, partnerId);
      if (existing) {
        const result = await db.transaction(async (tx) => {
          const linked = await upsertPartnerLink(tx, existing.account, partnerId, verified.partnerUserId, now());
          return loginResult(linked, await sessions.issue(tx, linked, tokenShape));
        });
        sendJson(ctx.res, 200, { status: "authenticated", result });
        return;
      }

      const { challenge, code } = await challenges.create({
        email: verified.email,
        partnerId,
        ...(verified.partnerUserId !== undefined ? { partnerUserId: verified.partnerUserId } : {}),
      });
      try {
        await sendMail({
          apiUrl: options.mail.apiUrl,
          apiKey: options.mail.apiKey,
          from: options.mail.from,
          to: verified.email,
          subject: "Your AIR Kit verification code",
          text: [
            `Your AIR Kit verification code is ${code}.`,
            "",
            `Enter it to finish signing in to partner "${partnerId}" with AIR Kit.`,
            `It expires in ${OTP_TTL_SECONDS / 60} minutes and works once.`,
            "",
            "If you did not try to sign in, you can ignore this email.",
          ].join("\n"),
          // The public demo's mailbox shows the code only to the browser that asked (../lib/visitor.ts).
          tags: visitorTags(visitorOf(ctx.req)),
        });
      } catch (error) {
        await challenges.discard(challenge.id);
        if (error instanceof MailDeliveryError) {
          console.error(`[airkit] could not email a verification code (${error.code})`, error.cause ?? "");
          throw new HttpError(502, "mail_unavailable", "The verification email could not be sent");
        }
        throw error;
      }
      sendJson(ctx.res, 200, {
        status: "verification_required",
        challengeId: challenge.id,
        email: maskEmail(verified.email),
        expiresAt: challenge.expiresAt.toISOString(),
      });
    };

    const verify = async (ctx: RequestContext): Promise<void> => {
      const { challengeId, code } = parseBody(verifySchema, await ctx.readJson());
      if (!UUID.test(challengeId)) throw new ChallengeError("challenge_not_found", "No such verification challenge");
      if (!isNumericCode(code, OTP_DIGITS)) {
        throw new HttpError(400, "validation_error", `code: must be ${OTP_DIGITS} digits`);
      }
      const result = await challenges.verify(challengeId, code, async (challenge, tx) => {
        const account = await ensureAccount(tx, challenge.email, now());
        const linked = await upsertPartnerLink(tx, account, challenge.partnerId, challenge.partnerUserId, now());
        return loginResult(linked, await sessions.issue(tx, linked, tokenShape));
      });
      sendJson(ctx.res, 200, { status: "authenticated", result });
    };

    const user = async (ctx: RequestContext): Promise<void> => {
      sendJson(ctx.res, 200, userDetails(await currentLink(ctx)));
    };

    /** `getAccessToken()`: a fresh token for the same account and partner (after MFA, with the address). */
    const accessToken = async (ctx: RequestContext): Promise<void> => {
      const linked = await currentLink(ctx);
      sendJson(ctx.res, 200, { ...(sparse ? UNKNOWN_EXTRA_FIELDS : {}), token: await sessions.issue(db, linked, tokenShape) });
    };

    const passkeyOptions = async (ctx: RequestContext): Promise<void> => {
      const linked = await currentLink(ctx);
      const origin = ctx.req.headers.origin;
      // The passkey is bound to the page's origin, so only a registered origin of this partner may ask.
      if (origin === undefined || !partners.get(linked.partnerId)?.allowedOrigins.includes(origin)) {
        throw new HttpError(403, "origin_not_allowed", "MFA set-up must come from a registered origin of the partner");
      }
      sendJson(ctx.res, 200, await mfa.start(linked.account, origin));
    };

    const passkeyRegister = async (ctx: RequestContext): Promise<void> => {
      const linked = await currentLink(ctx);
      const { challengeId, credential } = parseBody(passkeySchema, await ctx.readJson());
      await mfa.finish(linked.account, challengeId, credential.id, credential.response);
      sendJson(ctx.res, 200, { isMFASetup: true });
    };

    /** The wallet's EIP-1193 `personal_sign` (see the header). */
    const walletRpc = async (ctx: RequestContext): Promise<void> => {
      const linked = await currentLink(ctx);
      const { method, params } = parseBody(walletRpcSchema, await ctx.readJson());
      if (method !== "personal_sign") throw new HttpError(400, "method_unsupported", "This wallet answers personal_sign only");
      const parsed = personalSignParams.safeParse(params);
      if (!parsed.success)
        throw new HttpError(400, "validation_error", "personal_sign takes [data, address]: data as 0x-hex or text, address as 0x + 40 hex");
      const [data, address] = parsed.data;
      if (linked.account.mfaSetupAt === null) throw new HttpError(403, "mfa_required", "Set up MFA (a passkey) before using the wallet");
      if (address.toLowerCase() !== linked.account.abstractAccountAddress.toLowerCase()) {
        throw new HttpError(403, "address_mismatch", "The address is not this session's account");
      }
      // As wallets read personal_sign data: 0x-hex is the bytes, anything else is UTF-8 text.
      const bytes = /^0x(?:[0-9a-fA-F]{2})*$/.test(data) ? Buffer.from(data.slice(2), "hex") : Buffer.from(data, "utf8");
      const signature = toRsvHex(await signWithAccountKey(db, linked.account.id, eip191Digest(bytes)));
      sendJson(ctx.res, 200, sparse ? { ...UNKNOWN_EXTRA_FIELDS, result: signature } : { result: signature });
    };

    const logout = async (ctx: RequestContext): Promise<void> => {
      await sessions.revoke(requireBearer(ctx));
      sendJson(ctx.res, 200, { ok: true });
    };

    const mapped = mapErrors(toHttpError);

    const server = createServer(
      [
        {
          method: "GET",
          path: "/.well-known/jwks.json",
          handler: (ctx) => sendJson(ctx.res, 200, publicJwks([signingKey]), { "Cache-Control": "public, max-age=300" }),
        },
        { method: "POST", path: "/v1/auth/login", handler: mapped(login) },
        { method: "POST", path: "/v1/auth/verify", handler: mapped(verify) },
        { method: "GET", path: "/v1/user", handler: mapped(user) },
        { method: "POST", path: "/v1/auth/token", handler: mapped(accessToken) },
        { method: "POST", path: "/v1/mfa/passkey/options", handler: mapped(passkeyOptions) },
        { method: "POST", path: "/v1/mfa/passkey", handler: mapped(passkeyRegister) },
        { method: "POST", path: "/v1/auth/logout", handler: mapped(logout) },
        { method: "POST", path: "/v1/wallet/rpc", handler: mapped(walletRpc) },
      ],
      {
        name: "airkit",
        cors: { allowedOrigins: [...new Set(options.partners.flatMap((partner) => partner.allowedOrigins))] },
        faultInjection: options.faultInjection,
      },
    );

    return { ...(await serve("airkit", server, db, options)), sweep: (createdBefore: Date) => sweepAirKit(db, createdBefore) };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
