import "server-only";
// Turnkey, backend authentication. The server finds or creates the user's sub-organization
// (client.ts) and logs the browser's session key in, in one of two ways:
//
// - OIDC (`oauth-login`): an ID token minted by the app, its nonce bound to the browser's
//   public key, sent to oauth_login.
// - Email code (`otp-init` → `otp-verify` → `otp-login`): init_otp mails a code to the
//   session's email; the browser encrypts the code and its public key to the bundle init_otp
//   returned; verify_otp answers a verification token bound to that key; otp_login needs the
//   token plus the key's signature over the login, so the token alone is not a credential.
//
// - Passkey (`passkey-precheck` → `passkey-signup`, then `session`): sign-up creates the
//   sub-organization with the browser's new passkey (its attestation, made by the kit's
//   createPasskey) and a 60-second API key the browser then stamps stamp_login with; a later
//   login is the browser's own passkey-stamped stamp_login. The browser hands the session JWT
//   it got to `session`.
// - Refresh (`session` with `via: "refresh"`): the Embedded Wallet Kit renews the session a
//   minute before it ends (a stamp_login by the live session key); the new JWT is recorded.
//
// Either way the session JWT is checked against Turnkey's notarizer key and must name the
// browser's key and the user's sub-organization, and the browser's stamped whoami, relayed by
// the server, proves it holds that key before the wallet is recorded. The subject and the email
// always come from the server session, never from a request body.
import { randomBytes } from "node:crypto";
import { verifyOtpVerificationToken, verifySessionJwtSignature } from "@turnkey/crypto";
import { decodeJwt } from "jose";
import { z } from "zod";
import { AppError } from "@/lib/http/errors";
import type { Identity } from "@/lib/identity/types";
import type { AppStore } from "@/lib/store/types";
import { decodeForDisplay } from "@/lib/tokens/decode";
import { nonceForPublicKey } from "@/lib/tokens/id-token";
import { walletIdToken } from "@/lib/wallets/id-token";
import { signMessageActions } from "@/lib/wallets/signing/actions";
import type { StoredData } from "@/lib/wallets/card";
import { defineAction, type WalletContext, type WalletProvider } from "@/lib/wallets/types";
import { TURNKEY_NAME, turnkeyCard, turnkeyData } from "./card";
import {
  GRPC,
  callTurnkey,
  expectAnswer,
  findOrCreateSubOrganization,
  findSubOrganization,
  turnkeyApi,
  walletAddresses,
  type SubOrganizationExtras,
  type TurnkeyConfig,
  type TurnkeyFailure,
} from "./client";
import { initOtpResultSchema, loginResultSchema, verifyOtpResultSchema, whoamiResponseSchema } from "./schema";
import { wrongCode } from "@/lib/ui/wording";

/** Six digits, like the app's own email codes; Turnkey's default is nine alphanumerics. */
export const OTP_LENGTH = 6;
const OTP_SECONDS = 300;
const APP_NAME = "BYO Auth";
/** The sign-up API key only has to stamp one stamp_login (the kit uses the same lifetime). */
const SIGNUP_KEY_SECONDS = 60;

const idToken = (ctx: WalletContext, nonce: string) => walletIdToken(ctx, ctx.config.turnkey!.oidcAudience, nonce);

/** Finding and registering use a token bound to no key; only a login consumes a key-bound nonce. */
async function subOrganization(ctx: WalletContext, extras?: SubOrganizationExtras): Promise<string> {
  const lookup = await idToken(ctx, randomBytes(16).toString("hex"));
  return findOrCreateSubOrganization(ctx.config.turnkey!, ctx.identity, lookup.token, extras);
}

/** The user's sub-organization if one exists (never creates one). */
async function existingSubOrganization(ctx: WalletContext): Promise<string | undefined> {
  const lookup = await idToken(ctx, randomBytes(16).toString("hex"));
  return findSubOrganization(ctx.config.turnkey!, lookup.token);
}

/** What otp_login's client signature signs: this login, of this key, with this token (the browser gets the same from the kit, getClientSignatureMessageForLogin). */
export function loginUsage(publicKey: string, tokenId: string): string {
  return JSON.stringify({ login: { publicKey }, tokenId, type: "USAGE_TYPE_LOGIN" });
}

/**
 * A session JWT is trusted only if Turnkey's notarizer signed it and it names the key the
 * browser sent and the user's sub-organization; its `exp` becomes the dashboard's countdown.
 */
async function checkSession(tk: TurnkeyConfig, session: string, expected: { publicKey: string; organizationId: string }) {
  const invalid = () =>
    new AppError(
      "upstream_invalid",
      502,
      "Turnkey's session token did not verify. Check TURNKEY_NOTARIZER_PUBLIC_KEY, then connect again.",
    );
  let claims: ReturnType<typeof decodeJwt>;
  try {
    if (!(await verifySessionJwtSignature(session, tk.notarizerPublicKey))) throw invalid();
    claims = decodeJwt(session);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw invalid();
  }
  if (claims.public_key !== expected.publicKey || claims.organization_id !== expected.organizationId) throw invalid();
  if (typeof claims.exp !== "number" || claims.exp * 1000 <= Date.now()) throw invalid();
  return claims;
}

/** Turnkey's answer to a whoami the browser stamped with its session key, relayed as is. */
async function relayWhoami(tk: TurnkeyConfig, body: string, stamp: string) {
  let response: Response;
  try {
    response = await fetch(`${tk.apiUrl}/public/v1/query/whoami`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Stamp": stamp },
      body,
      signal: AbortSignal.timeout(8000),
    });
  } catch {
    throw new AppError("upstream_unavailable", 502, "Turnkey did not answer. Check that it is running and try again.");
  }
  if (!response.ok) throw new AppError("wallet_refused", 502, "Turnkey did not accept this browser's key. Connect again.");
  const me = whoamiResponseSchema.safeParse(await response.json().catch(() => null));
  if (!me.success) throw new AppError("upstream_invalid", 502, "Turnkey answered in an unexpected format. Try again.");
  return me.data;
}

/** Records the logged-in (not yet proven) session; whoami turns it into a connection. */
async function recordLogin(
  store: AppStore,
  identity: Identity,
  tk: TurnkeyConfig,
  login: {
    organizationId: string;
    session: string;
    publicKey: string;
    method: "oidc" | "email_otp";
    partnerToken?: ReturnType<typeof decodeForDisplay>;
  },
) {
  const claims = await checkSession(tk, login.session, login);
  const { ethereum, solana } = await walletAddresses(tk, login.organizationId);
  await store.upsertWalletConnection({
    userId: identity.userId,
    provider: "turnkey",
    status: "pending",
    address: ethereum,
    expiresAt: new Date((claims.exp as number) * 1000),
    data: {
      organizationId: login.organizationId,
      solanaAddress: solana,
      sessionPublicKey: login.publicKey,
      loginMethod: login.method,
      ...(login.partnerToken ? { partnerToken: login.partnerToken } : {}),
      sessionClaims: {
        exp: claims.exp,
        user_id: claims.user_id,
        organization_id: claims.organization_id,
        session_type: claims.session_type,
      },
    } satisfies TurnkeyData,
  });
  return { session: login.session, organizationId: login.organizationId };
}

/** The email-code state between otp-init and otp-login, from the server's record. */
async function pendingOtp(store: AppStore, identity: Identity) {
  const pending = await store.getWalletConnection(identity.userId, "turnkey");
  const otp = z.object({ organizationId: z.string(), otpId: z.string() }).safeParse(pending?.data);
  if (pending?.status !== "pending" || !otp.success) throw new AppError("wallet_not_started", 409, "Send a code first.");
  return otp.data;
}

function requireEmail(identity: Identity): string {
  if (!identity.email) throw new AppError("email_required", 409, "Your account has no email address. Connect with the ID token instead.");
  return identity.email.toLowerCase();
}

/** A verification token is used only if Turnkey's OTP signer made it, for this user's email, and unexpired. */
async function checkVerificationToken(tk: TurnkeyConfig, token: string, email: string) {
  const rejected = () => new AppError("verification_invalid", 400, "That verification did not check out. Send a new code.");
  let claims: Awaited<ReturnType<typeof verifyOtpVerificationToken>>;
  try {
    claims = await verifyOtpVerificationToken(token, tk.otpSignerPublicKey);
  } catch {
    throw rejected();
  }
  if (
    claims.contact.toLowerCase() !== email ||
    claims.organization_id !== tk.organizationId ||
    !/^0[23][0-9a-f]{64}$/.test(claims.public_key)
  )
    throw rejected();
  return claims;
}

/**
 * Refusals of verify_otp the person can act on, read by contract (schema.ts readTurnkeyFailure),
 * never from the message text. Turnkey documents the limits ("3 retries max per code, after which
 * point that code will be locked"; a 5-minute TTL: https://docs.turnkey.com/features/authentication/email#otp-rate-limits)
 * but no error code per case; its documented TurnkeyErrorCodes are categories
 * (https://docs.turnkey.com/developer-reference/api-overview/errors), so the gRPC status decides,
 * with the `UNAUTHENTICATED` category standing in for a wrong code should the status go away:
 * - wrong code: UNAUTHENTICATED (with the attempts left, where a detail states them);
 * - attempts used up: RESOURCE_EXHAUSTED;
 * - expired, already used, or unknown: FAILED_PRECONDITION, NOT_FOUND.
 */
export function explainOtpRefusal(failure: TurnkeyFailure): AppError | undefined {
  // Only a small number is ever repeated to the person; anything else from upstream is dropped.
  const left = failure.attemptsRemaining;
  switch (failure.grpcCode) {
    case GRPC.RESOURCE_EXHAUSTED:
      return new AppError("otp_attempts_exceeded", 400, "Too many wrong codes. Send a new code.");
    case GRPC.FAILED_PRECONDITION:
    case GRPC.NOT_FOUND:
      return new AppError("otp_expired", 400, "This code has expired or was already used. Send a new code.");
    case GRPC.UNAUTHENTICATED:
      return new AppError("otp_invalid", 400, wrongCode(left));
    default:
      if (failure.turnkeyErrorCode === "UNAUTHENTICATED") return new AppError("otp_invalid", 400, wrongCode());
      return undefined;
  }
}

const tk = (ctx: WalletContext) => ctx.config.turnkey!;
const walletExists = () =>
  new AppError(
    "wallet_exists",
    409,
    "You already have a Turnkey wallet. Connect it with the ID token or an email code, or log in with its passkey.",
  );

/** What a session JWT claims, unverified (checkSession verifies), to tell a mix-up from a forgery. */
function unverifiedClaims(session: string): { organization_id?: unknown; public_key?: unknown } {
  try {
    return decodeJwt(session);
  } catch {
    return {};
  }
}

/** The challenge a WebAuthn clientDataJSON (base64url JSON) carries, or null. */
function clientDataChallenge(clientDataJson: string): string | null {
  try {
    const challenge = (JSON.parse(Buffer.from(clientDataJson, "base64url").toString("utf8")) as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === "string" ? challenge : null;
  } catch {
    return null;
  }
}

/** The `publicKey` an X-Stamp names (base64url JSON), or null if it is not a stamp. */
function stampPublicKey(stamp: string): string | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(stamp, "base64url").toString("utf8"));
    const key = (parsed as { publicKey?: unknown } | null)?.publicKey;
    return typeof key === "string" ? key : null;
  } catch {
    return null;
  }
}

const base64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, "base64url");
/** What the kit's createPasskey returns (`attestation`), as Turnkey's authenticator params take it. */
export const attestationSchema = z
  .object({
    credentialId: base64url(1024),
    clientDataJson: base64url(4096),
    attestationObject: base64url(16 * 1024),
    transports: z
      .array(
        z.enum([
          "AUTHENTICATOR_TRANSPORT_BLE",
          "AUTHENTICATOR_TRANSPORT_INTERNAL",
          "AUTHENTICATOR_TRANSPORT_NFC",
          "AUTHENTICATOR_TRANSPORT_USB",
          "AUTHENTICATOR_TRANSPORT_HYBRID",
        ]),
      )
      .max(5),
  })
  .strict();
/** A whoami the browser stamped with the kit (httpClient.stampGetWhoami): the body and the X-Stamp value. */
const stampedWhoamiSchema = { body: z.string().max(1024), stamp: z.string().max(4096) };

type TurnkeyData = StoredData<typeof turnkeyData>;

const publicKeySchema = z.string().regex(/^0[23][0-9a-f]{64}$/, "a compressed P-256 public key in lowercase hex");

export const turnkeyProvider: WalletProvider = {
  id: "turnkey",
  name: TURNKEY_NAME,
  description:
    "Turnkey keeps your wallet's keys in its enclave and signs this browser in with a key that never leaves it: with an ID token from your server, an email code, or a passkey.",
  isConfigured: (config) => Boolean(config.turnkey),
  card: turnkeyCard,
  clientConfig: (config) => ({
    // What the Embedded Wallet Kit needs to reach Turnkey itself (passkey login, refresh):
    // the API base URL and the parent organization. Both are public.
    apiBaseUrl: config.turnkey?.apiUrl ?? null,
    organizationId: config.turnkey?.organizationId ?? null,
    sessionSeconds: String(config.turnkey?.sessionSeconds ?? 900),
    // Public keys only: the browser checks init_otp's bundle against it before encrypting.
    otpSignerPublicKey: config.turnkey?.otpSignerPublicKey ?? null,
    otpLength: String(OTP_LENGTH),
    mailboxUrl: config.demoMailboxUrl ?? null,
  }),
  actions: {
    /** "Sign a test message" (the kit's signMessage / sign_raw_payload), verified here: lib/wallets/signing. */
    ...signMessageActions({ id: "turnkey", name: TURNKEY_NAME }),
    "oauth-login": defineAction(z.object({ publicKey: publicKeySchema }).strict(), async (ctx, { publicKey }) => {
      const { identity, config, store } = ctx;
      const tk = config.turnkey!;
      const organizationId = await subOrganization(ctx);
      const login = await idToken(ctx, nonceForPublicKey(publicKey));
      const { session } = expectAnswer(
        loginResultSchema,
        await callTurnkey("oauthLogin", () =>
          turnkeyApi(tk).oauthLogin({ organizationId, oidcToken: login.token, publicKey, expirationSeconds: String(tk.sessionSeconds) }),
        ),
        "oauthLogin",
      );
      return recordLogin(store, identity, tk, {
        organizationId,
        session,
        publicKey,
        method: "oidc",
        partnerToken: decodeForDisplay(login.token),
      });
    }),

    /** Mails a code to the session's email (never to an address from the request). */
    "otp-init": defineAction(z.object({}).strict(), async (ctx) => {
      const { identity, config, store } = ctx;
      const tk = config.turnkey!;
      const email = requireEmail(identity);
      const organizationId = await subOrganization(ctx);
      const init = await callTurnkey(
        "initOtp",
        () =>
          turnkeyApi(tk).initOtp({
            organizationId: tk.organizationId,
            otpType: "OTP_TYPE_EMAIL",
            contact: email,
            appName: APP_NAME,
            otpLength: OTP_LENGTH,
            alphanumeric: false,
            expirationSeconds: String(OTP_SECONDS),
          }),
        (failure) =>
          failure.grpcCode === GRPC.RESOURCE_EXHAUSTED
            ? new AppError("otp_rate_limited", 429, "Too many codes were sent to this address. Wait ten minutes and try again.")
            : undefined,
      );
      const { otpId, otpEncryptionTargetBundle } = expectAnswer(initOtpResultSchema, init, "initOtp");
      await store.upsertWalletConnection({
        userId: identity.userId,
        provider: "turnkey",
        status: "pending",
        address: null,
        expiresAt: null,
        data: { organizationId, otpId } satisfies TurnkeyData,
      });
      return { otpId, otpEncryptionTargetBundle, email, expiresInSeconds: OTP_SECONDS };
    }),

    /**
     * Hands verify_otp the bundle the browser encrypted (code + its public key, readable only
     * by Turnkey). Returns the verification token; it is bound to that key, and otp_login
     * needs the key's signature over the login (which the browser builds itself), so the
     * token alone is useless.
     */
    "otp-verify": defineAction(
      z.object({ otpId: z.string().min(1).max(128), encryptedOtpBundle: z.string().min(1).max(4096) }).strict(),
      async ({ identity, config, store }, input) => {
        const tk = config.turnkey!;
        const email = requireEmail(identity);
        const { otpId } = await pendingOtp(store, identity);
        // The browser names the code it holds; only the newest one sent is checked, so a code
        // from an older prompt (another tab) is not spent on the wrong bundle.
        if (input.otpId !== otpId)
          throw new AppError(
            "otp_superseded",
            409,
            "A newer code was sent (perhaps in another tab). Enter the newest code, or send a new one.",
          );
        const encryptedOtpBundle = input.encryptedOtpBundle;
        const verified = await callTurnkey(
          "verifyOtp",
          () => turnkeyApi(tk).verifyOtp({ organizationId: tk.organizationId, otpId, encryptedOtpBundle }),
          explainOtpRefusal,
        );
        const { verificationToken } = expectAnswer(verifyOtpResultSchema, verified, "verifyOtp");
        await checkVerificationToken(tk, verificationToken, email);
        return { verificationToken };
      },
    ),

    /** otp_login of the key named in the verification token, with that key's signature. */
    "otp-login": defineAction(
      z
        .object({
          verificationToken: z.string().min(1).max(8192),
          signature: z.string().regex(/^[0-9a-f]{128}$/, "a raw P-256 signature (r‖s) in hex"),
        })
        .strict(),
      async ({ identity, config, store }, { verificationToken, signature }) => {
        const tk = config.turnkey!;
        const email = requireEmail(identity);
        const { organizationId } = await pendingOtp(store, identity);
        const claims = await checkVerificationToken(tk, verificationToken, email);
        const publicKey = claims.public_key;
        const answer = await callTurnkey(
          "otpLogin",
          () =>
            turnkeyApi(tk).otpLogin({
              organizationId,
              verificationToken,
              publicKey,
              clientSignature: {
                publicKey,
                scheme: "CLIENT_SIGNATURE_SCHEME_API_P256",
                message: loginUsage(publicKey, claims.id),
                signature,
              },
              expirationSeconds: String(tk.sessionSeconds),
            }),
          (failure) => {
            if (failure.grpcCode === GRPC.FAILED_PRECONDITION)
              return new AppError("otp_expired", 400, "This verification was already used or has expired. Send a new code.");
            // The sub-organization has no user with this email (created before it was on file, or the email changed).
            if (failure.grpcCode === GRPC.NOT_FOUND) {
              return new AppError(
                "email_not_on_wallet",
                409,
                "Your Turnkey wallet does not have this email address on file, so it cannot use an email code. Connect with the ID token instead.",
              );
            }
            return undefined;
          },
        );
        const { session } = expectAnswer(loginResultSchema, answer, "otpLogin");
        return recordLogin(store, identity, tk, { organizationId, session, publicKey, method: "email_otp" });
      },
    ),

    /** Relays the browser's stamped whoami; it must be signed by the session key that logged in. */
    whoami: defineAction(
      z.object({ body: z.string().max(1024), stamp: z.string().max(4096) }).strict(),
      async ({ identity, config, store }, input) => {
        const pending = await store.getWalletConnection(identity.userId, "turnkey");
        if (!pending || typeof pending.data.organizationId !== "string" || typeof pending.data.sessionPublicKey !== "string") {
          throw new AppError("wallet_not_started", 409, "Start connecting Turnkey first.");
        }
        // Turnkey checks the signature; we check it is the key this login registered.
        if (stampPublicKey(input.stamp) !== pending.data.sessionPublicKey)
          throw new AppError("wallet_mismatch", 403, "That request was not signed by this login's key. Connect again.");
        const me = await relayWhoami(config.turnkey!, input.body, input.stamp);
        if (me.organizationId !== pending.data.organizationId)
          throw new AppError("wallet_mismatch", 403, "That Turnkey session belongs to another account.");
        await store.upsertWalletConnection({
          ...pending,
          status: "connected",
          data: { ...pending.data, ...({ turnkeyUserId: me.userId, userInfo: me } satisfies TurnkeyData) },
        });
        return { organizationId: me.organizationId, userId: me.userId };
      },
    ),

    /**
     * Asked before the browser makes a passkey: a user who already has a wallet could never
     * register it (and would be left with a stray passkey on the device).
     */
    "passkey-precheck": defineAction(z.object({}).strict(), async (ctx) => {
      if (await existingSubOrganization(ctx)) throw walletExists();
      return { canCreate: true };
    }),

    /**
     * Creates the user's sub-organization with the passkey as its root user's authenticator
     * (Turnkey verifies the attestation over the challenge the kit chose; the kit's
     * createPasskey cannot take one from the server on the web, see docs/going-live/turnkey.md) and the browser's sign-up key as a 60-second API key,
     * which the browser uses for one stamp_login. Bound to the signed-in user: the same OIDC
     * identity as the ID-token login, the session's email. A user who already has a wallet is
     * told to connect it instead (adding a passkey to an existing wallet needs its session).
     */
    "passkey-signup": defineAction(
      z.object({ challenge: base64url(128), attestation: attestationSchema, publicKey: publicKeySchema }).strict(),
      async (ctx, input) => {
        const { identity, store } = ctx;
        // Turnkey checks the attestation's clientDataJSON against `challenge`; a mismatch here
        // would only be refused there, so it is refused here without asking.
        if (clientDataChallenge(input.attestation.clientDataJson) !== input.challenge) {
          throw new AppError("passkey_invalid", 400, "That passkey could not be read. Try again.");
        }
        if (await existingSubOrganization(ctx)) throw walletExists();
        const organizationId = await subOrganization(ctx, {
          authenticators: [{ authenticatorName: `${APP_NAME} passkey`, challenge: input.challenge, attestation: input.attestation }],
          apiKeys: [
            {
              apiKeyName: "passkey sign-up",
              publicKey: input.publicKey,
              curveType: "API_KEY_CURVE_P256",
              expirationSeconds: String(SIGNUP_KEY_SECONDS),
            },
          ],
        });
        await store.upsertWalletConnection({
          userId: identity.userId,
          provider: "turnkey",
          status: "pending",
          address: null,
          expiresAt: null,
          data: { organizationId } satisfies TurnkeyData,
        });
        return { organizationId };
      },
    ),

    /**
     * Records a session the browser obtained itself (passkey stamp_login, or the kit's refresh):
     * Turnkey's notarizer signed it, it is for this user's sub-organization, and a whoami stamped
     * by the key it names proves the browser holds that key. A refresh must continue a live
     * connection to the same sub-organization and Turnkey user.
     */
    session: defineAction(
      z.object({ session: z.string().min(1).max(8192), via: z.enum(["passkey", "refresh"]), ...stampedWhoamiSchema }).strict(),
      async (ctx, input) => {
        const { identity, store } = ctx;
        const current = await store.getWalletConnection(identity.userId, "turnkey");
        const recorded = typeof current?.data.organizationId === "string" ? current.data.organizationId : undefined;
        const live = current?.status === "connected" && current.expiresAt !== null && current.expiresAt.getTime() > Date.now();
        if (input.via === "refresh" && (!live || !recorded))
          throw new AppError("wallet_not_started", 409, "This Turnkey session has ended. Reconnect.");
        const organizationId = recorded ?? (await existingSubOrganization(ctx));
        if (!organizationId)
          throw new AppError("wallet_not_started", 409, "You have no Turnkey wallet yet. Create one with a passkey first.");
        const publicKey = stampPublicKey(input.stamp);
        if (!publicKey) throw new AppError("wallet_mismatch", 403, "That request was not signed by this session's key. Connect again.");
        // A session of another sub-organization (someone else's passkey on this device) is
        // this person's mistake, not Turnkey's: said before the signature is even checked.
        const claimed = unverifiedClaims(input.session);
        if (claimed.organization_id !== organizationId)
          throw new AppError("wallet_mismatch", 403, "That passkey belongs to another Turnkey wallet, not yours.");
        if (claimed.public_key !== publicKey)
          throw new AppError("wallet_mismatch", 403, "That request was not signed by this session's key. Connect again.");
        const claims = await checkSession(tk(ctx), input.session, { publicKey, organizationId });
        const me = await relayWhoami(tk(ctx), input.body, input.stamp);
        if (me.organizationId !== organizationId || me.userId !== claims.user_id)
          throw new AppError("wallet_mismatch", 403, "That Turnkey session belongs to another account.");
        if (input.via === "refresh" && current!.data.turnkeyUserId !== me.userId)
          throw new AppError("wallet_mismatch", 403, "That Turnkey session belongs to another account.");
        const expiresAt = new Date((claims.exp as number) * 1000);
        const sessionClaims = {
          exp: claims.exp,
          user_id: claims.user_id,
          organization_id: claims.organization_id,
          session_type: claims.session_type,
        };
        if (input.via === "refresh") {
          await store.upsertWalletConnection({
            ...current!,
            expiresAt,
            data: {
              ...current!.data,
              ...({ sessionPublicKey: publicKey, sessionClaims, refreshedAt: new Date().toISOString() } satisfies TurnkeyData),
            },
          });
        } else {
          const { ethereum, solana } = await walletAddresses(tk(ctx), organizationId);
          await store.upsertWalletConnection({
            userId: identity.userId,
            provider: "turnkey",
            status: "connected",
            address: ethereum,
            expiresAt,
            data: {
              organizationId,
              solanaAddress: solana,
              sessionPublicKey: publicKey,
              loginMethod: "passkey",
              sessionClaims,
              turnkeyUserId: me.userId,
              userInfo: me,
            } satisfies TurnkeyData,
          });
        }
        return { expiresAt: expiresAt.toISOString() };
      },
    ),
  },
};
