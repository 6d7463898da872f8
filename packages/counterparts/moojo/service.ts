/**
 * Local counterpart of Moojo ID: "Authenticate with JWT", "Retrieve user credentials" and
 * "Define & add new credentials", and nothing else.
 *   https://docs.moojo.id/authentication/authenticate-with-jwt
 *   https://docs.moojo.id/user-credentials/retrieve-user-credentials
 *   https://docs.moojo.id/user-credentials/define-and-add-new-credentials
 *
 * Base URL: the public docs write endpoints as `POST /api.moojo.id/user/authenticate`, i.e.
 * `https://api.moojo.id/user/authenticate`: the base URL is `https://api.moojo.id` and the paths
 * below are relative to it. Point the app's Moojo base URL at this server's `url`.
 *
 * Endpoints (all `POST`, all with `x-api-key`; the API key is checked before anything else):
 * - `/user/authenticate`, body `{ idType: "firebaseJwt", id: <Firebase ID token> }` →
 *   `{ status: "success", traceId, data: { token, expiresAtIso8601, publicUserId, publicKey } }`.
 *   The token is opaque (64 hex) and lives 2 hours.
 * - `/user/vault/list-credentials`, also `Authorization: Bearer <user token>`, empty body →
 *   `{ status: "success", traceId, data: { credentials: [{ id, definitionId, createdAt (ms),
 *   attesterAddress, recipientAddress, slug, fields }] } }`: the user's credentials issued by
 *   this app (this counterpart serves one API key, so: all of them), oldest first.
 * - `/define-credential`, body `{ slug, name?, description?, codeUrl?, fieldDefinitions: [{ name,
 *   type: "uint" | "string", description? }] (at most 12) }` → `{ status: "success", traceId,
 *   data: { definitionId, slug } }`. Idempotent: the same definition again answers the same
 *   `definitionId`; the same slug with a different definition is 409 `credential_already_defined`.
 * - `/user/add-credential`, body `{ publicUserId, slug, fields: { <name>: value } }` →
 *   `{ status: "success", traceId, data: { credentialId } }`. Unknown slug: 400 `slug_unknown`;
 *   values not matching the definition: 400 `fields_invalid`; unknown user: 404 `user_unknown`.
 * The docs' response examples for the last two could not be read in full (see
 * providers/wallets/moojo/fixtures/README.md); the app relies on `status: "success"` only there.
 * Anything else is 404, in particular any user-profile call: Moojo documents none.
 *
 * Errors: `{ status: "error", traceId, error: { code, message } }`. Unknown paths and methods
 * get the shared router's `{ error: { code, message } }`. Codes: 401 `api_key_missing` /
 * `api_key_invalid`; 400 `validation_error`, `id_type_unsupported`, `invalid_json`; 415
 * `unsupported_media_type`; 413 `payload_too_large`; 401 with a `FirebaseIdTokenErrorCode` for a
 * rejected ID token; 502 `jwks_unreachable` / `jwks_invalid` when Google's keys cannot be had;
 * 401 `access_token_missing` / `access_token_invalid` / `access_token_expired` for the user
 * token; the credential codes above; 500 `internal_error`.
 *
 * Variants (../lib/variant.ts). `standard` answers exactly the shapes of the docs' examples.
 * `sparse` answers the legal-but-unusual shapes: no `traceId` on successes (the docs show it in
 * examples but describe no response fields, and no client may need it), UNKNOWN_EXTRA_FIELDS
 * added to the envelope, to `data` and to every credential, `expiresAtIso8601` without
 * milliseconds (still ISO 8601), and addresses in lower case (hex is case-insensitive; the
 * checksum case is a convention). No Moojo field is documented as nullable, so neither variant
 * sends null. Credentials with empty `fields` (a definition without fields, which the docs allow:
 * `fields` is "Required? false") come from what the app defines, in either variant.
 *
 * No CORS: the API key is a server-side secret, so browsers must never call this directly.
 */
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { z } from "zod";
import { constantTimeEquals } from "../lib/constant-equals";
import { openDatabase } from "../lib/db";
import type { SweepableService } from "../lib/counterpart";
import { sweepMoojo } from "./retention";
import { HttpError, bearerToken, createServer, sendJson, serve, type RequestContext } from "../lib/http";
import {
  FirebaseIdTokenError,
  MAX_TOKEN_LENGTH,
  createFirebaseIdTokenVerifier,
  type FirebaseIdTokenErrorCode,
  type FirebaseIdTokenVerifier,
} from "./firebase-id-token";
import { MOOJO_MIGRATIONS } from "./schema";
import { AccessTokenError, authenticateAccessToken, issueAccessToken, upsertUser } from "./store";
import {
  CredentialError,
  addCredential,
  addCredentialBody,
  defineCredential,
  defineCredentialBody,
  listCredentials,
  type StoredCredential,
} from "./credentials";
import { UNKNOWN_EXTRA_FIELDS, type CounterpartVariant } from "../lib/variant";

export const DEFAULT_TOKEN_TTL_SECONDS = 2 * 3600;
const MAX_TOKEN_TTL_SECONDS = 7 * 24 * 3600;
const MIN_API_KEY_LENGTH = 16;
export const ID_TYPE_FIREBASE_JWT = "firebaseJwt";

export interface MoojoOptions {
  readonly port: number;
  readonly host?: string;
  /** Directory for the database, or `memory://`. */
  readonly dataDir: string;
  /** The partner API key expected in `x-api-key`. */
  readonly apiKey: string;
  readonly firebase: {
    readonly projectId: string;
    /** When set, unsigned emulator tokens are accepted (demo-* projects only); never otherwise. */
    readonly emulatorHost?: string;
    /** Default: Google's securetoken JWKS. */
    readonly jwksUrl?: string;
  };
  /** Access token lifetime; Moojo's is 2 hours. */
  readonly tokenTtlSeconds?: number;
  readonly jwksCooldownMs?: number;
  readonly jwksCacheMaxAgeMs?: number;
  /** Clock override for tests (claim checks and token expiry). */
  readonly now?: () => Date;
  /** Serves PUT /counterpart/v1/fault (lib/http.ts) so end-to-end tests can take this service down. */
  readonly faultInjection?: boolean;
  /** Which legal shapes to answer with (../lib/variant.ts). */
  readonly variant?: CounterpartVariant;
  readonly logger?: Pick<Console, "error">;
}

export class MoojoConfigError extends Error {
  override readonly name = "MoojoConfigError";
  readonly code = "moojo_config_invalid";
}

const authenticateSchema = z.object({
  idType: z.string().max(64),
  id: z.string().min(1).max(MAX_TOKEN_LENGTH),
});

/** Statuses for ID token failures that are not the token's fault. Everything else is 401. */
const ID_TOKEN_STATUS: Partial<Record<FirebaseIdTokenErrorCode, number>> = {
  jwks_unreachable: 502,
  jwks_invalid: 502,
};

function sendSuccess(res: ServerResponse, traceId: string, data: Record<string, unknown>, variant: CounterpartVariant): void {
  if (variant === "sparse") sendJson(res, 200, { status: "success", data: { ...data, ...UNKNOWN_EXTRA_FIELDS }, ...UNKNOWN_EXTRA_FIELDS });
  else sendJson(res, 200, { status: "success", traceId, data });
}

function sendFailure(
  res: ServerResponse,
  traceId: string,
  status: number,
  code: string,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  sendJson(res, status, { status: "error", traceId, error: { code, message } }, headers);
}

function validateOptions(options: MoojoOptions): number {
  const ttl = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_TOKEN_TTL_SECONDS) {
    throw new MoojoConfigError(`tokenTtlSeconds must be an integer in (0, ${MAX_TOKEN_TTL_SECONDS}]`);
  }
  if (typeof options.apiKey !== "string" || options.apiKey.length < MIN_API_KEY_LENGTH) {
    throw new MoojoConfigError(`apiKey must have at least ${MIN_API_KEY_LENGTH} characters`);
  }
  return ttl;
}

function buildVerifier(options: MoojoOptions, now: () => Date): FirebaseIdTokenVerifier {
  try {
    return createFirebaseIdTokenVerifier({
      projectId: options.firebase.projectId,
      now,
      ...(options.firebase.emulatorHost !== undefined ? { emulatorHost: options.firebase.emulatorHost } : {}),
      ...(options.firebase.jwksUrl !== undefined ? { jwksUrl: options.firebase.jwksUrl } : {}),
      ...(options.jwksCooldownMs !== undefined ? { jwksCooldownMs: options.jwksCooldownMs } : {}),
      ...(options.jwksCacheMaxAgeMs !== undefined ? { jwksCacheMaxAgeMs: options.jwksCacheMaxAgeMs } : {}),
    });
  } catch (cause) {
    throw new MoojoConfigError(`firebase: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export async function startMoojo(options: MoojoOptions): Promise<SweepableService> {
  const ttlSeconds = validateOptions(options);
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? console;
  const variant = options.variant ?? "standard";
  const verifier = buildVerifier(options, now);
  const projectId = verifier.projectId;
  const db = await openDatabase(options.dataDir, MOOJO_MIGRATIONS);

  const requireApiKey = (ctx: RequestContext): void => {
    const presented = ctx.req.headers["x-api-key"];
    if (typeof presented !== "string" || presented === "") {
      throw new HttpError(401, "api_key_missing", "The x-api-key header is required");
    }
    if (!constantTimeEquals(presented, options.apiKey)) {
      throw new HttpError(401, "api_key_invalid", "The API key is not valid");
    }
  };

  const authenticate = async (ctx: RequestContext, traceId: string): Promise<void> => {
    // The API key is checked before the body is even read: anonymous callers get nothing.
    requireApiKey(ctx);
    const body = await ctx.readJson();
    const parsed = authenticateSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HttpError(400, "validation_error", `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
    }
    if (parsed.data.idType !== ID_TYPE_FIREBASE_JWT) {
      throw new HttpError(400, "id_type_unsupported", `idType must be "${ID_TYPE_FIREBASE_JWT}"`);
    }

    const identity = await verifier.verify(parsed.data.id);
    const issuedAt = now();
    const { user, issued } = await db.transaction(async (tx) => {
      const user = await upsertUser(
        tx,
        {
          firebaseProjectId: projectId,
          firebaseUid: identity.uid,
          ...(identity.email !== undefined ? { email: identity.email } : {}),
        },
        issuedAt,
      );
      return { user, issued: await issueAccessToken(tx, user.id, issuedAt, ttlSeconds) };
    });
    const expiresAtIso8601 = issued.expiresAt.toISOString();
    sendSuccess(
      ctx.res,
      traceId,
      {
        token: issued.token,
        expiresAtIso8601: variant === "sparse" ? expiresAtIso8601.replace(/\.\d{3}Z$/, "Z") : expiresAtIso8601,
        publicUserId: user.id,
        publicKey: user.publicKey,
      },
      variant,
    );
  };

  const wireCredential = (c: StoredCredential): Record<string, unknown> => {
    const address = (a: string) => (variant === "sparse" ? a.toLowerCase() : a);
    return {
      id: c.id,
      definitionId: c.definitionId,
      createdAt: c.createdAt.getTime(),
      attesterAddress: address(c.attesterAddress),
      recipientAddress: address(c.recipientAddress),
      slug: c.slug,
      fields: c.fields,
      ...(variant === "sparse" ? UNKNOWN_EXTRA_FIELDS : {}),
    };
  };

  const parse = <T>(schema: z.ZodType<T>, body: unknown): T => {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new HttpError(400, "validation_error", `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
  };

  // "Retrieve user credentials": x-api-key AND the user's bearer token; the body is left empty.
  const listUserCredentials = async (ctx: RequestContext, traceId: string): Promise<void> => {
    requireApiKey(ctx);
    const token = bearerToken(ctx.req);
    if (token === undefined) {
      throw new HttpError(401, "access_token_missing", "Authorization: Bearer <token> is required", {
        headers: { "WWW-Authenticate": "Bearer" },
      });
    }
    const user = await authenticateAccessToken(db, token, now());
    const credentials = await listCredentials(db, user.id, user.publicKey);
    sendSuccess(ctx.res, traceId, { credentials: credentials.map(wireCredential) }, variant);
  };

  const define = async (ctx: RequestContext, traceId: string): Promise<void> => {
    requireApiKey(ctx);
    const input = parse(defineCredentialBody, await ctx.readJson());
    const { definition } = await db.transaction((tx) => defineCredential(tx, input, now()));
    sendSuccess(ctx.res, traceId, { definitionId: definition.id, slug: definition.slug }, variant);
  };

  const add = async (ctx: RequestContext, traceId: string): Promise<void> => {
    requireApiKey(ctx);
    const input = parse(addCredentialBody, await ctx.readJson());
    const credential = await db.transaction((tx) => addCredential(tx, input, now()));
    sendSuccess(ctx.res, traceId, { credentialId: credential.id }, variant);
  };

  /** Runs a handler with a trace id and answers every failure in Moojo's error envelope. */
  const enveloped =
    (handler: (ctx: RequestContext, traceId: string) => Promise<void>) =>
    async (ctx: RequestContext): Promise<void> => {
      const traceId = randomUUID();
      try {
        await handler(ctx, traceId);
      } catch (error) {
        if (ctx.res.headersSent) throw error;
        if (error instanceof FirebaseIdTokenError) {
          const status = ID_TOKEN_STATUS[error.code] ?? 401;
          if (status >= 500) logger.error(`[moojo] ${traceId}: Firebase keys unavailable (${error.code})`, error.cause);
          sendFailure(ctx.res, traceId, status, error.code, error.message);
          return;
        }
        if (error instanceof AccessTokenError) {
          sendFailure(ctx.res, traceId, 401, error.code, error.message, {
            "WWW-Authenticate": 'Bearer error="invalid_token"',
          });
          return;
        }
        if (error instanceof CredentialError) {
          sendFailure(ctx.res, traceId, error.status, error.code, error.message);
          return;
        }
        if (error instanceof HttpError) {
          // A body that was cut off is still arriving: close instead of reading it.
          const headers = error.status === 413 ? { ...error.extra.headers, Connection: "close" } : error.extra.headers;
          sendFailure(ctx.res, traceId, error.status, error.code, error.message, headers);
          return;
        }
        logger.error(`[moojo] ${traceId}: ${ctx.req.method} ${ctx.url.pathname} failed`, error);
        sendFailure(ctx.res, traceId, 500, "internal_error", "Internal server error");
      }
    };

  try {
    const server = createServer(
      [
        { method: "POST", path: "/user/authenticate", handler: enveloped(authenticate) },
        { method: "POST", path: "/user/vault/list-credentials", handler: enveloped(listUserCredentials) },
        { method: "POST", path: "/define-credential", handler: enveloped(define) },
        { method: "POST", path: "/user/add-credential", handler: enveloped(add) },
      ],
      { name: "moojo", logger, faultInjection: options.faultInjection },
    );
    return { ...(await serve("moojo", server, db, options)), sweep: (createdBefore: Date) => sweepMoojo(db, createdBefore) };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
