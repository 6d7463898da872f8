/**
 * Local counterpart of Supabase Auth (GoTrue) behind a Supabase project URL, for the parts of
 * its HTTP API that `@supabase/supabase-js` uses for email + password and email-code sign-in.
 * The real client drives it unchanged; pointed at a real project, the same app code talks to
 * real Supabase. Where GoTrue's behaviour depends on project settings, this is a project with
 * the defaults: email confirmation required, 6-digit email codes, 60 s between emails,
 * 1 hour access tokens, refresh token rotation with a 10 s reuse interval.
 *
 * Layout of a request, as on a real project:
 * 1. CORS (the gateway's): preflights are answered before any key check; responses reflect
 *    the Origin only when it is allow-listed, and expose the headers auth-js must read.
 * 2. The gateway's `apikey` check (constant time) — except for the public JWKS route, which
 *    Supabase serves without a key so JWT verifiers can fetch it.
 * 3. GoTrue's handler, whose errors follow `errors.ts`.
 *
 * Served: `POST /signup`, `/otp`, `/verify`, `/resend`, `/token?grant_type=password|refresh_token`,
 * `/logout`, `GET /user`, `/.well-known/jwks.json`. Not served: phone auth, OAuth/SSO, emailed
 * links (`GET /verify`, PKCE code exchange), admin API, `/recover`, `PUT /user`. Their absence
 * is a 404, never a silent success.
 *
 * One deliberate hardening over GoTrue, invisible on the wire: GoTrue keeps the password and
 * data of the *first* signup of an unconfirmed email, so someone who pre-registers a victim's
 * address can later sign in once the victim confirms it. Here the password and data that
 * count are those of the request whose emailed code confirmed the address (a code from
 * `/otp` drops any earlier password; `/resend` keeps the current one).
 *
 * This does not use the shared router of packages/counterparts/lib/http.ts on purpose: its error body,
 * 404/405 answers and preflight header list are the house format, while every byte here has
 * to be what Supabase sends. The lower-level helpers (body reading, JSON, listen/close) are
 * shared.
 */
import { randomUUID } from "node:crypto";
import { createServer as createNodeServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Transaction } from "@electric-sql/pglite";
import { constantTimeEquals } from "../lib/constant-equals";
import { openDatabase } from "../lib/db";
import type { SweepableService } from "../lib/counterpart";
import { sweepSupabase } from "./retention";
import { DEFAULT_MAX_BODY_BYTES, HttpError, bearerToken, readJsonBody, sendJson, serve } from "../lib/http";
import { loadOrCreateSecret, loadOrCreateSigningKey, publicJwks } from "../lib/keys";
import { OtpHasher } from "../lib/otp";
import { visitorOf, visitorTags } from "../lib/visitor";
import { MailDeliveryError, sendMail } from "../mailbox/client";
import { PasswordAttempts } from "./attempts";
import { EmailCodes, OTP_TTL_SECONDS, type CodePurpose, type IssuedCode } from "./codes";
import { AuthFailure, GatewayFailure, OAuthFailure, writeError } from "./errors";
import { checkNewPassword, hashPassword, verifyPassword } from "./passwords";
import {
  checkPkceParams,
  otpBody,
  parseBody,
  passwordGrantBody,
  refreshGrantBody,
  resendBody,
  signupBody,
  validateEmail,
  verifyBody,
} from "./requests";
import { SUPABASE_AUTH_MIGRATIONS } from "./schema";
import {
  DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
  DEFAULT_REFRESH_TOKEN_REUSE_INTERVAL_SECONDS,
  SessionService,
  type AuthenticatedRequest,
  type LogoutScope,
} from "./sessions";
import {
  applySignupClaim,
  confirmEmail,
  createUser,
  deleteUnconfirmedUser,
  findUserByEmail,
  findUserById,
  normalizeEmail,
  obfuscatedUserJson,
  userJson,
} from "./users";
import type { CounterpartVariant } from "../lib/variant";

export interface SupabaseAuthOptions {
  readonly port: number;
  readonly host?: string;
  /** Directory for the database and secrets, or `memory://`. */
  readonly dataDir: string;
  /** The project URL clients use, if not the one we listen on; the issuer is `<publicUrl>/auth/v1`. */
  readonly publicUrl?: string;
  /** The project's anon / publishable key, required as the `apikey` header. */
  readonly anonKey: string;
  /** Resend-shaped mail API used to deliver the codes. */
  readonly mail: { readonly apiUrl: string; readonly apiKey: string; readonly from: string };
  /** GoTrue's `JWT_EXP`; default 3600. */
  readonly accessTokenTtlSeconds?: number;
  /** GoTrue's `SECURITY_REFRESH_TOKEN_REUSE_INTERVAL`; default 10. 0 treats every reuse as abuse. */
  readonly refreshTokenReuseIntervalSeconds?: number;
  /** Exact browser origins (`scheme://host[:port]`) allowed to call the API. */
  readonly allowedOrigins: readonly string[];
  /** Clock override for tests. */
  readonly now?: () => Date;
  /**
   * Which legal shapes to answer with (../lib/variant.ts). "sparse": the access token keeps only
   * the claims Supabase's JWT claims reference lists as required (no `app_metadata`,
   * `user_metadata`, `amr`), users carry empty `user_metadata`, and both carry a field no client
   * knows. https://supabase.com/docs/guides/auth/jwt-fields
   */
  readonly variant?: CounterpartVariant;
}

export class SupabaseAuthConfigError extends Error {
  override readonly name = "SupabaseAuthConfigError";
  readonly code = "supabase_auth_config_invalid";
}

export const AUTH_PATH_PREFIX = "/auth/v1";
/** Shortest accepted anon key: shorter keys are guessable even on loopback. */
export const MIN_ANON_KEY_LENGTH = 16;
const MAX_ACCESS_TOKEN_TTL_SECONDS = 7 * 24 * 3600;
const MAX_REUSE_INTERVAL_SECONDS = 3600;
const MAX_REFRESH_TOKEN_LENGTH = 1024;
const SIGNING_KEY_FILE = "supabase-signing-key.private.jwk.json";
const OTP_SECRET_FILE = "supabase-otp-hmac.secret";
const REFRESH_SECRET_FILE = "supabase-refresh-token-hmac.secret";

/** Request headers supabase-js may send (allowed in preflights). */
const CORS_ALLOWED_HEADERS = [
  "apikey",
  "authorization",
  "content-type",
  "accept",
  "x-client-info",
  "x-supabase-api-version",
  "x-retry-count",
  "traceparent",
  "tracestate",
  "baggage",
].join(", ");
/** Response headers auth-js reads (the API version decides how it parses error codes). */
const CORS_EXPOSED_HEADERS = "X-Supabase-Api-Version, x-sb-error-code, Retry-After";

/** Which stored code purposes each `verifyOtp` type accepts (GoTrue's `email` type takes both). */
const VERIFY_PURPOSES: Readonly<Record<string, readonly CodePurpose[]>> = {
  signup: ["signup"],
  magiclink: ["magiclink"],
  email: ["signup", "magiclink"],
  // Valid GoTrue types whose tokens this counterpart never issues: always "expired or invalid".
  recovery: [],
  invite: [],
  email_change: [],
};

const otpExpired = () => new AuthFailure(403, "otp_expired", "Token has expired or is invalid");

const CONFIRM_SIGNUP_SUBJECT = "Confirm your signup";
function confirmSignupText(code: string): string {
  return [
    "Confirm your email address with this code:",
    "",
    code,
    "",
    `It expires in ${OTP_TTL_SECONDS / 60} minutes and works once.`,
    "If you did not sign up, you can ignore this email.",
  ].join("\n");
}

interface Ctx {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
}
type Handler = (ctx: Ctx) => Promise<void>;
interface Route {
  readonly handler: Handler;
  /** Served without an `apikey`, like Supabase's public JWKS route. */
  readonly open?: boolean;
}

function validateOptions(options: SupabaseAuthOptions): void {
  if (options.anonKey.length < MIN_ANON_KEY_LENGTH) {
    throw new SupabaseAuthConfigError(`anonKey must be at least ${MIN_ANON_KEY_LENGTH} characters`);
  }
  const ttl = options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 30 || ttl > MAX_ACCESS_TOKEN_TTL_SECONDS) {
    throw new SupabaseAuthConfigError(`accessTokenTtlSeconds must be an integer in [30, ${MAX_ACCESS_TOKEN_TTL_SECONDS}]`);
  }
  const reuse = options.refreshTokenReuseIntervalSeconds ?? DEFAULT_REFRESH_TOKEN_REUSE_INTERVAL_SECONDS;
  if (!Number.isInteger(reuse) || reuse < 0 || reuse > MAX_REUSE_INTERVAL_SECONDS) {
    throw new SupabaseAuthConfigError(`refreshTokenReuseIntervalSeconds must be an integer in [0, ${MAX_REUSE_INTERVAL_SECONDS}]`);
  }
  for (const origin of options.allowedOrigins) {
    // Origins are compared exactly with the browser's Origin header: no paths, no slash.
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
      throw new SupabaseAuthConfigError(`allowedOrigins entry ${origin} is not a bare origin`);
    }
  }
  if (options.publicUrl !== undefined) {
    const parsed = URL.canParse(options.publicUrl) ? new URL(options.publicUrl) : undefined;
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.search !== "" || parsed.hash !== "") {
      throw new SupabaseAuthConfigError("publicUrl must be an http(s) URL without query or fragment");
    }
  }
  if (!options.mail.apiUrl || !options.mail.apiKey || !options.mail.from) {
    throw new SupabaseAuthConfigError("mail.apiUrl, mail.apiKey and mail.from are required");
  }
}

function logError(line: string, error: unknown): void {
  console.error(`[supabase-auth] ${line}`, error);
}

export async function startSupabaseAuth(options: SupabaseAuthOptions): Promise<SweepableService> {
  validateOptions(options);
  const now = options.now ?? (() => new Date());
  const allowedOrigins = new Set(options.allowedOrigins);
  let projectUrl = options.publicUrl?.replace(/\/+$/, "");
  const issuer = () => {
    if (projectUrl === undefined) throw new Error("Supabase Auth counterpart issuer used before listening");
    return `${projectUrl}${AUTH_PATH_PREFIX}`;
  };

  const db = await openDatabase(options.dataDir, SUPABASE_AUTH_MIGRATIONS);
  try {
    const signingKey = await loadOrCreateSigningKey(options.dataDir, SIGNING_KEY_FILE);
    const codes = new EmailCodes(db, new OtpHasher(await loadOrCreateSecret(options.dataDir, OTP_SECRET_FILE)), now);
    const sessions = new SessionService({
      db,
      signingKey,
      refreshTokenSecret: await loadOrCreateSecret(options.dataDir, REFRESH_SECRET_FILE),
      issuer,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
      reuseIntervalSeconds: options.refreshTokenReuseIntervalSeconds ?? DEFAULT_REFRESH_TOKEN_REUSE_INTERVAL_SECONDS,
      now,
      variant: options.variant ?? "standard",
    });
    const attempts = new PasswordAttempts(db, now);
    // Compared against when the email is unknown, so both paths cost one scrypt.
    const dummyPasswordHash = await hashPassword(randomUUID());

    const readBody = async (req: IncomingMessage): Promise<unknown> => {
      try {
        return await readJsonBody(req, DEFAULT_MAX_BODY_BYTES);
      } catch (error) {
        if (error instanceof HttpError) {
          const message = `Could not parse request body as JSON: ${error.message}`;
          throw new AuthFailure(error.status, error.status === 413 ? "validation_failed" : "bad_json", message, {
            ...(error.status === 413 ? { headers: { Connection: "close" } } : {}),
          });
        }
        throw error;
      }
    };

    /**
     * Emails a code; on failure the code is withdrawn (and a just-created user removed). `visitor`
     * is the public demo's visitor whose request asked for it, so the mailbox shows it to them only
     * (../lib/visitor.ts).
     */
    const deliver = async (input: {
      issued: IssuedCode;
      visitor: string | undefined;
      to: string;
      subject: string;
      text: string;
      createdUserId?: string;
      failure: string;
    }): Promise<void> => {
      try {
        await sendMail({ ...options.mail, to: input.to, subject: input.subject, text: input.text, tags: visitorTags(input.visitor) });
      } catch (error) {
        await codes.discard(db, input.issued);
        if (input.createdUserId !== undefined) await deleteUnconfirmedUser(db, input.createdUserId);
        const detail = error instanceof MailDeliveryError ? error.code : "mail_error";
        throw new AuthFailure(500, "unexpected_failure", input.failure, { cause: new Error(detail, { cause: error }) });
      }
    };

    const requireSession = async (ctx: Ctx): Promise<AuthenticatedRequest> => {
      const token = bearerToken(ctx.req);
      if (token === undefined) throw new AuthFailure(401, "no_authorization", "This endpoint requires a valid Bearer token");
      return sessions.authenticate(token);
    };

    const signup: Handler = async (ctx) => {
      const body = parseBody(signupBody, await readBody(ctx.req));
      // GoTrue's order: password policy, then the identifier.
      const password = checkNewPassword(body.password);
      if (body.email !== "" && body.phone !== "") {
        throw new AuthFailure(400, "validation_failed", "Only an email address or phone number should be provided on signup.");
      }
      checkPkceParams(body);
      if (body.email === "") {
        if (body.phone !== "") throw new AuthFailure(400, "phone_provider_disabled", "Phone signups are disabled");
        throw new AuthFailure(400, "validation_failed", "Sign up only available with email provider");
      }
      const email = validateEmail(body.email);
      // Hashed before the lookup (outside the transaction: scrypt is slow) on every path.
      const passwordHash = await hashPassword(password);
      const at = now();

      const outcome = await db.transaction(async (tx) => {
        const existing = await findUserByEmail(tx, email);
        if (existing?.emailConfirmedAt) return undefined;
        // An unconfirmed existing user is not changed now (as in GoTrue): whoever signs up again
        // has not proved they own the address. Their password and data ride on the new code and
        // take effect only if that code confirms the email (see verify).
        const user = existing ?? (await createUser(tx, { email, passwordHash, data: body.data, now: at }));
        const claim = { password: passwordHash, metadata: body.data };
        return { userId: user.id, created: !existing, issued: await codes.issue(tx, user.id, "signup", claim) };
      });
      if (!outcome) {
        // Confirmed email + confirmations on: GoTrue's obfuscated user, no email, no error.
        sendJson(ctx.res, 200, obfuscatedUserJson(email, body.data, at));
        return;
      }
      await deliver({
        issued: outcome.issued,
        visitor: visitorOf(ctx.req),
        to: email,
        subject: CONFIRM_SIGNUP_SUBJECT,
        text: confirmSignupText(outcome.issued.code),
        ...(outcome.created ? { createdUserId: outcome.userId } : {}),
        failure: "Error sending confirmation email",
      });
      const user = await findUserById(db, outcome.userId);
      if (!user) throw new Error("user vanished after signup");
      sendJson(ctx.res, 200, userJson(user, options.variant));
    };

    const otp: Handler = async (ctx) => {
      const body = parseBody(otpBody, await readBody(ctx.req));
      if (body.email !== "" && body.phone !== "") {
        throw new AuthFailure(400, "validation_failed", "Only an email address or phone number should be provided");
      }
      if (body.email !== "" && body.channel !== "") {
        throw new AuthFailure(400, "validation_failed", "Channel should only be specified with Phone OTP");
      }
      checkPkceParams(body);
      if (body.email === "") {
        if (body.phone !== "") throw new AuthFailure(400, "phone_provider_disabled", "Unsupported phone provider");
        throw new AuthFailure(400, "validation_failed", "One of email or phone must be set");
      }
      const email = validateEmail(body.email);
      const at = now();

      const outcome = await db.transaction(async (tx) => {
        const existing = await findUserByEmail(tx, email);
        if (!existing && !body.create_user) return undefined;
        const user = existing ?? (await createUser(tx, { email, passwordHash: null, data: body.data, now: at }));
        // An unconfirmed user gets a confirmation code (GoTrue re-runs signup for them). Confirming
        // with it proves the mailbox, not any password set by an earlier, unconfirmed signup, so
        // that password is dropped if this code is the one used.
        if (user.emailConfirmedAt) {
          return { userId: user.id, created: false, issued: await codes.issue(tx, user.id, "magiclink") };
        }
        const claim = { password: null, metadata: body.data };
        return { userId: user.id, created: !existing, issued: await codes.issue(tx, user.id, "signup", claim) };
      });
      if (!outcome) throw new AuthFailure(422, "otp_disabled", "Signups not allowed for otp");
      await deliver({
        issued: outcome.issued,
        visitor: visitorOf(ctx.req),
        to: email,
        subject: "Your sign-in code",
        text: [
          `Your sign-in code is ${outcome.issued.code}.`,
          "",
          `It expires in ${OTP_TTL_SECONDS / 60} minutes and works once.`,
          "If you did not try to sign in, you can ignore this email.",
        ].join("\n"),
        ...(outcome.created ? { createdUserId: outcome.userId } : {}),
        failure: "Error sending magic link email",
      });
      sendJson(ctx.res, 200, {});
    };

    const resend: Handler = async (ctx) => {
      const body = parseBody(resendBody, await readBody(ctx.req));
      if (!["signup", "email_change", "sms", "phone_change"].includes(body.type)) {
        throw new AuthFailure(400, "validation_failed", "Missing one of these types: signup, email_change, sms, phone_change");
      }
      if (body.email === "" && body.type === "signup") {
        throw new AuthFailure(400, "validation_failed", "Type provided requires an email address");
      }
      if (body.phone === "" && body.type === "sms") {
        throw new AuthFailure(400, "validation_failed", "Type provided requires a phone number");
      }
      if (body.email !== "" && body.phone !== "") {
        throw new AuthFailure(400, "validation_failed", "Only an email address or phone number should be provided.");
      }
      if (body.email === "") {
        if (body.phone !== "") throw new AuthFailure(400, "phone_provider_disabled", "Phone logins are disabled");
        throw new AuthFailure(400, "validation_failed", "Missing email address or phone number");
      }
      const email = validateEmail(body.email);
      checkPkceParams(body);
      // Unknown, already confirmed, or no pending email change (never, here): GoTrue answers
      // 200 `{}` without sending anything, which also keeps this from revealing accounts.
      const issued =
        body.type === "signup"
          ? await db.transaction(async (tx) => {
              const existing = await findUserByEmail(tx, email);
              if (!existing || existing.emailConfirmedAt) return undefined;
              return codes.issue(tx, existing.id, "signup");
            })
          : undefined;
      if (issued) {
        await deliver({
          issued,
          visitor: visitorOf(ctx.req),
          to: email,
          subject: CONFIRM_SIGNUP_SUBJECT,
          text: confirmSignupText(issued.code),
          failure: "Unable to process request",
        });
      }
      sendJson(ctx.res, 200, {});
    };

    const verify: Handler = async (ctx) => {
      const body = parseBody(verifyBody, await readBody(ctx.req));
      if (body.type === "") throw new AuthFailure(400, "validation_failed", "Verify requires a verification type");
      if ((body.token === "") === (body.token_hash === "")) {
        throw new AuthFailure(400, "validation_failed", "Verify requires either a token or a token hash");
      }
      const purposes = Object.hasOwn(VERIFY_PURPOSES, body.type) ? VERIFY_PURPOSES[body.type] : undefined;
      if (purposes === undefined) throw new AuthFailure(400, "validation_failed", "Unsupported verification type");
      if (body.token_hash !== "") {
        if (body.email !== "" || body.phone !== "") {
          throw new AuthFailure(400, "validation_failed", "Only the token_hash and type should be provided");
        }
        // Token hashes belong to emailed links, which this counterpart never sends.
        throw otpExpired();
      }
      if (body.email === "") {
        throw new AuthFailure(400, "validation_failed", "Only an email address or phone number should be provided on verify");
      }
      let email: string;
      try {
        email = validateEmail(body.email);
      } catch (error) {
        throw new AuthFailure(422, "validation_failed", "Invalid email format", { cause: error });
      }
      const user = await findUserByEmail(db, email);
      if (!user) throw otpExpired();
      const session = await codes.verify(user.id, purposes, body.token, async (tx: Transaction, code) => {
        const at = now();
        if (code.purpose === "signup") await applySignupClaim(tx, user.id, code.claim, at);
        // Any code proves control of the address; confirming is a no-op when already confirmed.
        await confirmEmail(tx, user.id, at);
        return sessions.create(tx, user.id, "otp");
      });
      if (!session) throw otpExpired();
      sendJson(ctx.res, 200, session);
    };

    const passwordGrant = async (ctx: Ctx): Promise<void> => {
      const body = parseBody(passwordGrantBody, await readBody(ctx.req));
      if (body.email !== "" && body.phone !== "") {
        throw new AuthFailure(400, "validation_failed", "Only an email address or phone number should be provided on login.");
      }
      if (body.email === "") {
        if (body.phone !== "") throw new AuthFailure(400, "phone_provider_disabled", "Phone logins are disabled");
        throw new OAuthFailure("invalid_grant", "Invalid login credentials");
      }
      const invalid = () => new AuthFailure(400, "invalid_credentials", "Invalid login credentials");
      if (body.email.length > 255) throw invalid();
      const email = normalizeEmail(body.email);

      await attempts.begin(email);
      const user = await findUserByEmail(db, email);
      const storedHash = user?.passwordHash ?? null;
      const matches = await verifyPassword(body.password, storedHash ?? dummyPasswordHash);
      if (!user || storedHash === null || !matches) throw invalid();
      await attempts.succeeded(email);
      // Checked only after the password, as GoTrue does: it is no oracle without the password.
      if (!user.emailConfirmedAt) throw new AuthFailure(400, "email_not_confirmed", "Email not confirmed");

      const session = await db.transaction((tx) => sessions.create(tx, user.id, "password"));
      sendJson(ctx.res, 200, session);
    };

    const refreshGrant = async (ctx: Ctx): Promise<void> => {
      const body = parseBody(refreshGrantBody, await readBody(ctx.req));
      if (body.refresh_token === "") throw new OAuthFailure("invalid_request", "refresh_token required");
      if (body.refresh_token.length > MAX_REFRESH_TOKEN_LENGTH) {
        throw new AuthFailure(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
      }
      sendJson(ctx.res, 200, await sessions.refresh(body.refresh_token));
    };

    const token: Handler = async (ctx) => {
      switch (ctx.url.searchParams.get("grant_type")) {
        case "password":
          return passwordGrant(ctx);
        case "refresh_token":
          return refreshGrant(ctx);
        default:
          throw new OAuthFailure("unsupported_grant_type", "");
      }
    };

    const user: Handler = async (ctx) => {
      const auth = await requireSession(ctx);
      sendJson(ctx.res, 200, userJson(auth.user, options.variant));
    };

    const logout: Handler = async (ctx) => {
      const auth = await requireSession(ctx);
      const requested = ctx.url.searchParams.get("scope") ?? "";
      const scopes: Record<string, LogoutScope> = { "": "global", global: "global", local: "local", others: "others" };
      const scope = Object.hasOwn(scopes, requested) ? scopes[requested] : undefined;
      if (scope === undefined) {
        throw new AuthFailure(400, "validation_failed", `Unsupported logout scope ${JSON.stringify(requested)}`);
      }
      await sessions.logout(auth, scope);
      ctx.res.statusCode = 204;
      ctx.res.setHeader("Cache-Control", "no-store");
      ctx.res.end();
    };

    const jwks: Handler = async (ctx) => {
      sendJson(ctx.res, 200, publicJwks([signingKey]), { "Cache-Control": "public, max-age=600" });
    };

    const routes = new Map<string, Partial<Record<"GET" | "POST", Route>>>([
      [`${AUTH_PATH_PREFIX}/signup`, { POST: { handler: signup } }],
      [`${AUTH_PATH_PREFIX}/otp`, { POST: { handler: otp } }],
      [`${AUTH_PATH_PREFIX}/verify`, { POST: { handler: verify } }],
      [`${AUTH_PATH_PREFIX}/resend`, { POST: { handler: resend } }],
      [`${AUTH_PATH_PREFIX}/token`, { POST: { handler: token } }],
      [`${AUTH_PATH_PREFIX}/user`, { GET: { handler: user } }],
      [`${AUTH_PATH_PREFIX}/logout`, { POST: { handler: logout } }],
      [`${AUTH_PATH_PREFIX}/.well-known/jwks.json`, { GET: { handler: jwks, open: true } }],
    ]);

    const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      res.setHeader("X-Content-Type-Options", "nosniff");
      res.setHeader("Referrer-Policy", "no-referrer");
      res.setHeader("Vary", "Origin");
      const origin = typeof req.headers.origin === "string" ? req.headers.origin : undefined;
      const originAllowed = origin !== undefined && allowedOrigins.has(origin);
      if (originAllowed) {
        res.setHeader("Access-Control-Allow-Origin", origin);
        res.setHeader("Access-Control-Expose-Headers", CORS_EXPOSED_HEADERS);
      }

      const rawUrl = req.url ?? "/";
      if (!rawUrl.startsWith("/")) throw new GatewayFailure(400, "Request target must be an absolute path");
      const url = new URL(rawUrl, "http://counterpart.invalid");
      if (url.pathname !== AUTH_PATH_PREFIX && !url.pathname.startsWith(`${AUTH_PATH_PREFIX}/`)) {
        throw new GatewayFailure(404, "no Route matched with those values");
      }

      if (req.method === "OPTIONS") {
        // Preflights carry no apikey; the browser sends the real request only if we allow it.
        if (origin !== undefined && !originAllowed) throw new GatewayFailure(403, "Origin not allowed");
        res.setHeader("Allow", "GET, POST, PUT, DELETE, OPTIONS");
        if (originAllowed) {
          res.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE");
          res.setHeader("Access-Control-Allow-Headers", CORS_ALLOWED_HEADERS);
          res.setHeader("Access-Control-Max-Age", "600");
        }
        res.statusCode = 204;
        res.end();
        return;
      }

      const methods = routes.get(url.pathname);
      const route = req.method === "GET" || req.method === "POST" ? methods?.[req.method] : undefined;
      if (!route?.open) {
        const presented = req.headers.apikey;
        if (typeof presented !== "string" || presented === "") {
          throw new GatewayFailure(401, "No API key found in request", "No `apikey` request header or url param was found.");
        }
        if (!constantTimeEquals(presented, options.anonKey)) {
          throw new GatewayFailure(401, "Invalid API key", "Double check your Supabase `anon` or `service_role` API key.");
        }
      }
      if (!methods) throw new AuthFailure(404, "not_found", "Not Found");
      if (!route) {
        res.setHeader("Allow", [...Object.keys(methods), "OPTIONS"].join(", "));
        throw new AuthFailure(405, "method_not_allowed", "Method Not Allowed");
      }
      await route.handler({ req, res, url });
    };

    const server = createNodeServer((req, res) => {
      handle(req, res).catch((error: unknown) => {
        if (res.headersSent) {
          logError(`${req.method} ${req.url?.split("?")[0]}: failed after headers were sent`, error);
          res.destroy();
          return;
        }
        writeError(req, res, error, logError);
      });
    });

    const service = await serve("supabase-auth", server, db, options);
    projectUrl ??= service.url;
    return { ...service, sweep: (createdBefore: Date) => sweepSupabase(db, createdBefore) };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
