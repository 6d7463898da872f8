/**
 * Local counterpart of Alchemy Smart Wallets' "authenticate with JWT" (signer API).
 *
 * `POST /signer/v1/auth-jwt` takes an OIDC ID token from the partner's own issuer and logs the
 * user in (or pre-generates the wallet): the user is the triple (iss, sub, aud). With a
 * `targetPublicKey` it mints a fresh P-256 API key for the user, valid `expirationSeconds`,
 * and returns it as a Turnkey credential bundle encrypted to that key. The client decrypts it
 * and stamps later calls (`POST /signer/v1/whoami`) Turnkey-style with it.
 *
 * Invariants:
 * - Every endpoint requires `Authorization: Bearer <API key>`, compared in constant time.
 * - ID tokens: RS256 only, `typ` and `kid` required, issuer discovery must carry the members
 *   Alchemy lists, `aud` must be one of the configured project ids, and with a target key
 *   the `nonce` must be SHA-256 of its hex text (lib/oidc-token.ts). Without a target key
 *   (pre-generation) nothing is returned that could act for the user.
 * - An API key's private half exists only inside the bundle; the counterpart stores the public key.
 * - whoami accepts only a stamp over a `whoami` body naming the key holder's own organization.
 * - sign-payload (https://www.alchemy.com/docs/wallets/api-reference/signer/signer-api-endpoints/sign-message)
 *   takes a stamped Turnkey `sign_raw_payload` request, as Alchemy's signer client builds it
 *   (`signRawMessage` in account-kit/signer/src/client/base.ts, github.com/alchemyplatform/aa-sdk:
 *   ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2, HEXADECIMAL, HASH_FUNCTION_NO_OP over viem's hashMessage,
 *   signWith the user's address), for the key holder's own organization and address only, signs
 *   with the key the address is derived from and answers `{ signature }`: 0x r‖s‖v with v = 27/28,
 *   as the client expects.
 *
 * - `targetPublicKey` is taken in the one form Alchemy's signer client sends: the uncompressed
 *   P-256 key, 130 lowercase hex characters starting `04`, no `0x` (providers/wallets/alchemy/schema.ts
 *   cites the client's source). A compressed or `0x`-prefixed key is refused (400), so a client
 *   that sends anything else fails here as it would fail to match the nonce or the bundle there.
 *   The nonce is the SHA-256 of exactly that text, carried in `nonce` or, for issuers that
 *   reserve `nonce`, in `tknonce` ("Only one of nonce or tknonce needs to be set":
 *   https://www.alchemy.com/docs/wallets/authentication/login-methods/bring-your-own-auth).
 *
 * Variants (../lib/variant.ts; the app must accept both):
 * - `standard`: every documented field present, spelled as the API reference spells it
 *   (`isSignup`); `credentialBundle` is null for a pre-generation; whoami's `email` is null
 *   when no verified email is known.
 * - `sparse`: the legal-but-unusual shape the docs allow: `isSignUp` (the spelling of
 *   Alchemy's own signer client, `JwtResponse`), `solanaAddress` null in auth-jwt and whoami
 *   ("string or null"), `userId` null for a pre-generation (nobody authenticated), whoami's
 *   `email` null, and unknown extra fields (UNKNOWN_EXTRA_FIELDS) in every answer.
 *
 * Errors are `{ "error": { "code", "message" } }` (lib/http.ts) with stable codes.
 */
import { utf8ToBytes } from "@noble/hashes/utils.js";
import { z } from "zod";
import { constantTimeEquals } from "../lib/constant-equals";
import { encryptCredentialBundle } from "../lib/credential-bundle";
import { openDatabase } from "../lib/db";
import type { SweepableService } from "../lib/counterpart";
import { sweepAlchemy } from "./retention";
import { HttpError, bearerToken, createServer, mapErrors, parseBody, sendJson, serve, type RequestContext } from "../lib/http";
import { OidcTokenError, UPSTREAM_OIDC_ERRORS, createOidcTokenVerifier, nonceForPublicKey } from "../lib/oidc-token";
import { P256KeyError, generateP256KeyPair, parseP256PublicKey } from "../lib/p256-keys";
import { STAMP_HEADER_NAME, StampError, verifyStamp } from "../lib/turnkey-stamp";
import { toRsvHex } from "../lib/ethereum-signing";
import { RawPayloadError, decodePayload, secp256k1Digest } from "../lib/raw-payload";
import { findKeyHolder, findOrCreateUser, registerApiKey, signWithEvmKey } from "./accounts";
import { ALCHEMY_MIGRATIONS } from "./schema";
import { UNKNOWN_EXTRA_FIELDS, type CounterpartVariant } from "../lib/variant";

export interface AlchemyOptions {
  readonly port: number;
  readonly host?: string;
  /** Directory for the database, or `memory://`. */
  readonly dataDir: string;
  /** The API key clients send as `Authorization: Bearer …`. */
  readonly apiKey: string;
  /** Accepted `aud` values: the project ids Alchemy gave the partner. */
  readonly audiences: readonly string[];
  /** Browser origins allowed to call the API. */
  readonly allowedOrigins: readonly string[];
  /**
   * Issuers accepted (exact `iss`). The real service registers the partner's issuer; when this
   * is omitted any http(s) issuer is fetched, which only suits a local counterpart.
   */
  readonly issuers?: readonly string[];
  readonly now?: () => Date;
  /** Serves PUT /counterpart/v1/fault (lib/http.ts) so end-to-end tests can take this service down. */
  readonly faultInjection?: boolean;
  /** Which legal shapes to answer with (../lib/variant.ts). */
  readonly variant?: CounterpartVariant;
  /** Fetch used for OIDC discovery and JWKS (tests). */
  readonly oidcFetch?: typeof fetch;
}

export class AlchemyConfigError extends Error {
  override readonly name = "AlchemyConfigError";
  readonly code = "alchemy_config_invalid";
}

export const DEFAULT_EXPIRATION_SECONDS = 900;
export const MIN_EXPIRATION_SECONDS = 60;
export const MAX_EXPIRATION_SECONDS = 30 * 24 * 3600;
/** Alchemy's Discovery requirements for a partner issuer. */
export const REQUIRED_DISCOVERY_FIELDS = [
  "issuer",
  "jwks_uri",
  "id_token_signing_alg_values_supported",
  "authorization_endpoint",
  "response_types_supported",
  "subject_types_supported",
] as const;
const MIN_API_KEY_LENGTH = 16;
const WHOAMI_PATH = "/public/v1/query/whoami";
const SIGN_RAW_PAYLOAD_PATH = "/public/v1/submit/sign_raw_payload";
/** The only form of `targetPublicKey` Alchemy's signer client sends (see the header). */
const TARGET_PUBLIC_KEY = /^04[0-9a-f]{128}$/;
/** Claims that may carry the key-binding nonce, in the order they are read. */
const NONCE_CLAIMS = ["nonce", "tknonce"] as const;

const authJwtSchema = z.object({
  jwt: z
    .string()
    .min(1)
    .max(16 * 1024),
  authProvider: z.string().min(1).max(128),
  targetPublicKey: z.string().min(1).max(140).optional(),
  expirationSeconds: z
    .union([z.string().regex(/^[0-9]{1,9}$/), z.number().int().nonnegative()])
    .transform(Number)
    .optional(),
});

const whoamiSchema = z.object({
  stampedRequest: z.object({
    body: z
      .string()
      .min(1)
      .max(8 * 1024),
    stamp: z.object({ stampHeaderName: z.string().max(64), stampHeaderValue: z.string().max(4096) }),
    url: z.string().max(2048),
  }),
});

/** The Turnkey activity a sign-payload stamp must cover (shape of @turnkey/http's stampSignRawPayload body). */
const signRawPayloadBody = z.object({
  type: z.literal("ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2"),
  organizationId: z.string().min(1).max(128),
  timestampMs: z.string().regex(/^[0-9]{1,16}$/),
  parameters: z.object({
    signWith: z.string().min(1).max(128),
    payload: z.string().max(16 * 1024),
    encoding: z.string().min(1).max(64),
    hashFunction: z.string().min(1).max(64),
  }),
});

function validateOptions(options: AlchemyOptions): void {
  if (options.apiKey.length < MIN_API_KEY_LENGTH) throw new AlchemyConfigError(`apiKey must be at least ${MIN_API_KEY_LENGTH} characters`);
  if (options.audiences.length === 0 || options.audiences.some((aud) => aud === "")) {
    throw new AlchemyConfigError("audiences must list at least one non-empty project id");
  }
  for (const origin of options.allowedOrigins) {
    if (new URL(origin).origin !== origin) throw new AlchemyConfigError(`allowedOrigins entry ${origin} is not a bare origin`);
  }
}

function toHttpError(error: unknown): unknown {
  if (error instanceof OidcTokenError) {
    const upstream = UPSTREAM_OIDC_ERRORS.has(error.code);
    if (upstream) console.error(`[alchemy] issuer check failed upstream (${error.code})`, error.cause ?? "");
    return new HttpError(upstream ? 502 : 401, error.code, `JWT rejected: ${error.message}`, { cause: error });
  }
  if (error instanceof StampError) return new HttpError(error.status, error.code, error.message, { cause: error });
  if (error instanceof RawPayloadError) return new HttpError(400, error.code, error.message, { cause: error });
  return error;
}

/**
 * The token must carry the nonce bound to the target key, in `nonce` or `tknonce` (an issuer
 * that reserves `nonce` for its own flow puts the key binding in `tknonce`): one of them must
 * be present, and the binding holds if one of them equals it.
 */
function checkNonceBinding(claims: Record<string, unknown>, expected: string): void {
  const present = NONCE_CLAIMS.map((name) => claims[name]).filter((value) => value !== undefined && value !== "");
  if (present.length === 0)
    throw new OidcTokenError("nonce_missing", "Token must carry the nonce bound to the client key (nonce or tknonce)");
  if (!present.some((value) => typeof value === "string" && constantTimeEquals(value, expected))) {
    throw new OidcTokenError("nonce_mismatch", "Token nonce is not bound to this public key");
  }
}

export async function startAlchemy(options: AlchemyOptions): Promise<SweepableService> {
  validateOptions(options);
  const now = options.now ?? (() => new Date());
  const audiences = [...options.audiences];
  const sparse = options.variant === "sparse";
  const issuers = options.issuers ? new Set(options.issuers) : undefined;
  const verifier = createOidcTokenVerifier({
    algorithms: ["RS256"],
    requireTyp: true,
    requiredDiscoveryFields: REQUIRED_DISCOVERY_FIELDS,
    now,
    ...(options.oidcFetch !== undefined ? { fetch: options.oidcFetch } : {}),
  });
  const db = await openDatabase(options.dataDir, ALCHEMY_MIGRATIONS);

  const requireApiKey = (ctx: RequestContext): void => {
    const token = bearerToken(ctx.req);
    const challenge = { headers: { "WWW-Authenticate": "Bearer" } };
    if (token === undefined) throw new HttpError(401, "api_key_missing", "Authorization: Bearer <API key> is required", challenge);
    if (!constantTimeEquals(token, options.apiKey)) throw new HttpError(401, "api_key_invalid", "The API key is not valid", challenge);
  };

  const authJwt = async (ctx: RequestContext): Promise<void> => {
    requireApiKey(ctx);
    const body = parseBody(authJwtSchema, await ctx.readJson());
    const target = body.targetPublicKey;
    if (target !== undefined) {
      const refuse = () =>
        new HttpError(
          400,
          "target_public_key_invalid",
          "targetPublicKey must be the uncompressed P-256 public key: 130 lowercase hex characters starting 04, no 0x",
        );
      if (!TARGET_PUBLIC_KEY.test(target)) throw refuse();
      try {
        parseP256PublicKey(target, "uncompressed");
      } catch (error) {
        if (error instanceof P256KeyError) throw refuse();
        throw error;
      }
    }
    const lifetime = body.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
    if (lifetime < MIN_EXPIRATION_SECONDS || lifetime > MAX_EXPIRATION_SECONDS) {
      throw new HttpError(400, "expiration_invalid", `expirationSeconds must be in [${MIN_EXPIRATION_SECONDS}, ${MAX_EXPIRATION_SECONDS}]`);
    }

    const verified = await verifier.verify(body.jwt, {
      issuerAllowed: (issuer) => issuers === undefined || issuers.has(issuer),
      audiences,
    });
    // Claims are read only after the signature verified. The text hashed is the key exactly as
    // sent (it has no 0x: checked above).
    if (target !== undefined) checkNonceBinding(verified.claims, nonceForPublicKey(target));
    const [audience, ...more] = verified.matchedAudiences;
    if (audience === undefined || more.length > 0)
      throw new HttpError(401, "aud_ambiguous", "The JWT must name exactly one accepted audience");

    const { user, isSignup } = await findOrCreateUser(
      db,
      {
        issuer: verified.issuer,
        subject: verified.subject,
        audience,
        authProvider: body.authProvider,
        ...(verified.email !== undefined && verified.emailVerified ? { email: verified.email } : {}),
      },
      now(),
    );

    let credentialBundle: string | null = null;
    if (target !== undefined) {
      const apiKey = generateP256KeyPair();
      const issuedAt = now();
      await registerApiKey(db, {
        publicKey: apiKey.publicKey.compressedHex,
        userId: user.userId,
        expiresAt: new Date(issuedAt.getTime() + lifetime * 1000),
        now: issuedAt,
      });
      credentialBundle = encryptCredentialBundle(apiKey.privateKey, target);
    }
    sendJson(
      ctx.res,
      200,
      sparse
        ? {
            orgId: user.orgId,
            isSignUp: isSignup,
            credentialBundle,
            userId: target === undefined ? null : user.userId,
            address: user.address,
            solanaAddress: null,
            ...UNKNOWN_EXTRA_FIELDS,
          }
        : { orgId: user.orgId, isSignup, credentialBundle, userId: user.userId, address: user.address, solanaAddress: user.solanaAddress },
    );
  };

  /**
   * A stamped Turnkey request relayed by the client: the stamp verifies over the body, the URL
   * is the one Turnkey call it was made for (a stamp is bound to its body, not its URL, so a
   * stamp made for another call with the same body must not be replayed here), and the
   * stamping key is registered and unexpired. Returns the key holder and the parsed body.
   */
  const verifyStampedRequest = async (stampedRequest: z.infer<typeof whoamiSchema>["stampedRequest"], expectedPath: string) => {
    if (stampedRequest.stamp.stampHeaderName.toLowerCase() !== STAMP_HEADER_NAME.toLowerCase()) {
      throw new HttpError(400, "stamp_header_unsupported", `Only ${STAMP_HEADER_NAME} (API key) stamps are supported`);
    }
    const { publicKey } = verifyStamp(stampedRequest.stamp.stampHeaderValue, utf8ToBytes(stampedRequest.body));
    let path: string;
    try {
      path = new URL(stampedRequest.url).pathname;
    } catch {
      throw new HttpError(400, "stamped_request_url_invalid", `stampedRequest.url must be the Turnkey ${expectedPath} URL`);
    }
    if (path !== expectedPath)
      throw new HttpError(400, "stamped_request_url_invalid", `stampedRequest.url must be the Turnkey ${expectedPath} URL`);

    const holder = await findKeyHolder(db, publicKey);
    if (!holder) throw new HttpError(401, "stamp_key_not_found", "The stamping key is not registered");
    if (holder.expiresAt.getTime() <= now().getTime()) throw new HttpError(401, "stamp_key_expired", "The stamping key has expired");
    let body: unknown;
    try {
      body = JSON.parse(stampedRequest.body);
    } catch {
      throw new HttpError(400, "stamped_request_invalid", "stampedRequest.body must be the JSON of the stamped request");
    }
    return { user: holder.user, body };
  };

  const whoami = async (ctx: RequestContext): Promise<void> => {
    requireApiKey(ctx);
    const { stampedRequest } = parseBody(whoamiSchema, await ctx.readJson());
    const { user, body } = await verifyStampedRequest(stampedRequest, WHOAMI_PATH);
    const organizationId = (body as { organizationId?: unknown } | null)?.organizationId;
    if (organizationId !== user.orgId) throw new HttpError(403, "organization_mismatch", "The stamped request names another organization");
    sendJson(
      ctx.res,
      200,
      sparse
        ? { orgId: user.orgId, userId: user.userId, address: user.address, email: null, solanaAddress: null, ...UNKNOWN_EXTRA_FIELDS }
        : { orgId: user.orgId, userId: user.userId, address: user.address, email: user.email ?? null, solanaAddress: user.solanaAddress },
    );
  };

  const signPayload = async (ctx: RequestContext): Promise<void> => {
    requireApiKey(ctx);
    const { stampedRequest } = parseBody(whoamiSchema, await ctx.readJson());
    const { user, body } = await verifyStampedRequest(stampedRequest, SIGN_RAW_PAYLOAD_PATH);
    const parsed = signRawPayloadBody.safeParse(body);
    if (!parsed.success)
      throw new HttpError(400, "stamped_request_invalid", "stampedRequest.body must be an ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2 request");
    const { organizationId, parameters } = parsed.data;
    if (organizationId !== user.orgId) throw new HttpError(403, "organization_mismatch", "The stamped request names another organization");
    // The EVM account is the only one this counterpart signs with (Solana needs ed25519).
    if (parameters.signWith.toLowerCase() !== user.address.toLowerCase()) {
      throw new HttpError(403, "sign_with_mismatch", "signWith must be the signer's own EVM address");
    }
    const digest = secp256k1Digest(decodePayload(parameters.payload, parameters.encoding), parameters.hashFunction);
    const signature = toRsvHex(await signWithEvmKey(db, user.userId, digest));
    sendJson(ctx.res, 200, sparse ? { signature, ...UNKNOWN_EXTRA_FIELDS } : { signature });
  };

  const mapped = mapErrors(toHttpError);

  try {
    const server = createServer(
      [
        { method: "POST", path: "/signer/v1/auth-jwt", handler: mapped(authJwt) },
        { method: "POST", path: "/signer/v1/whoami", handler: mapped(whoami) },
        { method: "POST", path: "/signer/v1/sign-payload", handler: mapped(signPayload) },
      ],
      { name: "alchemy", cors: { allowedOrigins: options.allowedOrigins }, faultInjection: options.faultInjection },
    );
    return { ...(await serve("alchemy", server, db, options)), sweep: (createdBefore: Date) => sweepAlchemy(db, createdBefore) };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
