/**
 * Local counterpart of the Turnkey API, for backend authentication ("bring your own auth"):
 * the app's server creates sub-organizations and logs users in with email OTP or its own
 * OIDC tokens, and the browser then stamps requests with a session key.
 *
 * Every API request is `POST /public/v1/{submit|query}/<name>` with a JSON body and an
 * `X-Stamp` header. The pipeline, in this order, for every request:
 *   1. read the raw body (JSON media type, size cap);
 *   2. verify the stamp over those exact bytes (lib/turnkey-stamp.ts);
 *   3. find the stamping key: registered, unexpired → the caller (a user of one organization);
 *   4. only then parse the body, and authorize the caller for its `organizationId` (Scope);
 *   5. run the activity or query; record completed activities by fingerprint.
 * Nothing from an unauthenticated body is interpreted. Errors are Turnkey `rpcStatus` bodies
 * whose google.rpc.ErrorInfo detail carries a stable `reason` (errors.ts).
 *
 * Variants (../lib/variant.ts): `sparse` leaves out what the API marks optional and adds unknown
 * members to answers (variant.ts), and reorders and rewords error bodies (errors.ts).
 *
 * Also served: `GET /.well-known/jwks.json` (the signer keys as a JWKS) and
 * `GET /counterpart/v1/keys` (the same keys as the uncompressed hex `@turnkey/crypto` takes in its
 * `dangerouslyOverride…PublicKey` arguments). Neither exists on the real service.
 */
import { allowPreflightRequestHeaders } from "../lib/cors-request-headers";
import { openDatabase } from "../lib/db";
import type { SweepableService } from "../lib/counterpart";
import { sweepTurnkey } from "./retention";
import { createServer, sendJson, serve, type RequestContext, type Route } from "../lib/http";
import { loadOrCreateSecret, publicJwks } from "../lib/keys";
import { createOidcTokenVerifier } from "../lib/oidc-token";
import { OtpHasher } from "../lib/otp";
import { parseP256PublicKey } from "../lib/p256-keys";
import { parseJsonBytes, readRawJsonBody } from "../lib/raw-body";
import { STAMP_HEADER_NAME, StampError, verifyStamp } from "../lib/turnkey-stamp";
import { WEBAUTHN_STAMP_HEADER_NAME, parseWebAuthnStamp, webAuthnChallengeForBody } from "../lib/turnkey-webauthn-stamp";
import { visitorOf } from "../lib/visitor";
import { WebAuthnError, verifyAssertion, type CoseKey } from "../lib/webauthn";
import { ACTIVITIES, QUERIES, activityFingerprint, findRecordedActivity, recordActivity, type Scope } from "./activities";
import type { RequestScope, TurnkeyContext } from "./context";
import { MIN_SESSION_SECONDS } from "./context";
import {
  GRPC,
  TurnkeyApiError,
  forbidden,
  invalid,
  notFound,
  sendTurnkeyError,
  toTurnkeyApiError,
  unauthenticated,
  unimplemented,
} from "./errors";
import { activityEnvelope, queryEnvelope } from "./params";
import { TURNKEY_MIGRATIONS } from "./schema";
import { loadSignerKeys, publicKeyHex } from "./signer-keys";
import {
  advanceSignCount,
  ensureParent,
  findAuthenticator,
  findPrincipal,
  getOrganization,
  type OrganizationRow,
  type Principal,
} from "./store";
import type { CounterpartVariant } from "../lib/variant";
import { shapeActivityResult, shapeQueryAnswer } from "./variant";

export interface TurnkeyOptions {
  readonly port: number;
  readonly host?: string;
  /** Directory for the database and keys, or `memory://`. */
  readonly dataDir: string;
  /** Public base URL, if it differs from the one we listen on (used in /counterpart/v1/keys). */
  readonly publicUrl?: string;
  readonly parentOrganizationId: string;
  /** Compressed P-256 public key (hex) of the app server's API key. */
  readonly parentApiPublicKey: string;
  /** Resend-shaped mail API used to deliver one-time codes. */
  readonly mail: { readonly apiUrl: string; readonly apiKey: string; readonly from: string };
  /** Browser origins allowed to call the API (stamped requests from the frontend). */
  readonly allowedOrigins: readonly string[];
  /** Clock override for tests. */
  readonly now?: () => Date;
  /** Serves PUT /counterpart/v1/fault (lib/http.ts) so end-to-end tests can take this service down. */
  readonly faultInjection?: boolean;
  /** Which legal shapes to answer with (../lib/variant.ts). */
  readonly variant?: CounterpartVariant;
  /** Fetch used for OIDC discovery and JWKS (tests). */
  readonly oidcFetch?: typeof fetch;
  readonly maxBodyBytes?: number;
}

export class TurnkeyConfigError extends Error {
  override readonly name = "TurnkeyConfigError";
  readonly code = "turnkey_config_invalid";
}

const OTP_SECRET_FILE = "turnkey-otp-hmac.secret";
const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const STAMP_HEADER = STAMP_HEADER_NAME.toLowerCase();
const WEBAUTHN_STAMP_HEADER = WEBAUTHN_STAMP_HEADER_NAME.toLowerCase();
/** Counterpart only, with faultInjection: PUT {"seconds": n | null} caps the lifetime of sessions issued from then on. */
export const SESSION_CAP_PATH = "/counterpart/v1/session-cap";

function validateOptions(options: TurnkeyOptions): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(options.parentOrganizationId)) {
    throw new TurnkeyConfigError("parentOrganizationId must be 1-128 characters of [A-Za-z0-9_-]");
  }
  for (const origin of options.allowedOrigins) {
    // Compared exactly with the browser's Origin header: no paths, no trailing slash.
    if (new URL(origin).origin !== origin) throw new TurnkeyConfigError(`allowedOrigins entry ${origin} is not a bare origin`);
  }
  try {
    return parseP256PublicKey(options.parentApiPublicKey, "compressed").compressedHex;
  } catch (cause) {
    throw new TurnkeyConfigError("parentApiPublicKey must be a compressed P-256 public key in hex", { cause });
  }
}

export async function startTurnkey(options: TurnkeyOptions): Promise<SweepableService> {
  const parentApiPublicKey = validateOptions(options);
  const now = options.now ?? (() => new Date());
  const parentId = options.parentOrganizationId;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const variant = options.variant ?? "standard";
  const db = await openDatabase(options.dataDir, TURNKEY_MIGRATIONS);

  try {
    const keys = await loadSignerKeys(options.dataDir);
    const otpHasher = new OtpHasher(await loadOrCreateSecret(options.dataDir, OTP_SECRET_FILE));
    await db.transaction((tx) => ensureParent(tx, { organizationId: parentId, publicKey: parentApiPublicKey, now: now() }));
    let sessionCap: number | undefined;
    const ctx: TurnkeyContext = {
      db,
      allowedOrigins: options.allowedOrigins,
      sessionCap: () => sessionCap,
      now,
      parentOrganizationId: parentId,
      keys,
      otpHasher,
      mail: options.mail,
      oidc: createOidcTokenVerifier({
        algorithms: ["RS256", "ES256"],
        now,
        ...(options.oidcFetch !== undefined ? { fetch: options.oidcFetch } : {}),
      }),
    };

    /**
     * A passkey stamp (X-Stamp-Webauthn): the assertion must be for a registered credential,
     * from an allowed origin, for the RP id it was registered with, over this exact body (the
     * challenge), signed by its key, with a counter that moved on (lib/webauthn.ts).
     */
    const authenticatePasskey = async (header: string | string[] | undefined, bytes: Buffer): Promise<Principal> => {
      const stamp = parseWebAuthnStamp(header);
      const credential = await findAuthenticator(db, stamp.credentialId);
      if (!credential) throw unauthenticated("authenticator_not_found", "The passkey is not registered");
      let result: { signCount: number };
      try {
        result = verifyAssertion(
          stamp,
          { publicKey: { alg: credential.alg as CoseKey["alg"], jwk: credential.publicKeyJwk }, signCount: credential.signCount },
          // User verification is "preferred" in Turnkey's stamper, so only presence is required.
          {
            challenge: webAuthnChallengeForBody(bytes),
            origins: options.allowedOrigins,
            rpId: credential.rpId,
            requireUserVerification: false,
          },
        );
      } catch (error) {
        if (error instanceof WebAuthnError) {
          if (error.code === "webauthn_malformed")
            throw new StampError("stamp_malformed", "The WebAuthn stamp is malformed", { cause: error });
          throw unauthenticated(`stamp_webauthn_${error.code}`, `Passkey stamp refused: ${error.message}`);
        }
        throw error;
      }
      if (
        result.signCount !== credential.signCount &&
        !(await advanceSignCount(db, credential.id, credential.signCount, result.signCount))
      ) {
        throw unauthenticated("stamp_webauthn_counter_not_increased", "Passkey stamp refused: the signature counter was already used");
      }
      return {
        apiKeyId: credential.id,
        publicKey: `webauthn:${credential.credentialId}`,
        kind: "passkey",
        userId: credential.userId,
        userName: credential.userName,
        organizationId: credential.organizationId,
        expiresAt: null,
      };
    };

    /** Steps 1–3: raw body, stamp (API key or passkey), registered and unexpired credential. */
    const authenticate = async (rc: RequestContext): Promise<{ principal: Principal; bytes: Buffer }> => {
      const bytes = await readRawJsonBody(rc.req, maxBodyBytes);
      const apiStamp = rc.req.headers[STAMP_HEADER];
      const passkeyStamp = rc.req.headers[WEBAUTHN_STAMP_HEADER];
      if (apiStamp !== undefined && passkeyStamp !== undefined) throw new StampError("stamp_malformed", "Send one stamp header, not both");
      if (passkeyStamp !== undefined) return { principal: await authenticatePasskey(passkeyStamp, bytes), bytes };
      const { publicKey } = verifyStamp(apiStamp, bytes);
      const principal = await findPrincipal(db, publicKey);
      if (!principal) throw unauthenticated("api_key_not_found", "The stamping key is not registered");
      if (principal.expiresAt !== null && principal.expiresAt.getTime() <= now().getTime()) {
        throw unauthenticated("api_key_expired", "The stamping key has expired");
      }
      return { principal, bytes };
    };

    /** Step 4: may this caller act on `organizationId`? */
    const authorize = async (principal: Principal, organizationId: string, scope: Scope): Promise<OrganizationRow> => {
      const callerIsParent = principal.organizationId === parentId;
      const org = await getOrganization(db, organizationId);
      // Only the parent learns whether an organization exists; others just get "forbidden".
      if (!org) {
        throw callerIsParent
          ? notFound("organization_not_found", "No such organization")
          : forbidden("organization_forbidden", "This key may not act on this organization");
      }
      const allowed =
        principal.organizationId === org.id ||
        (callerIsParent && org.parent_id === parentId) ||
        (scope === "whoami" && org.id === parentId);
      if (!allowed) throw forbidden("organization_forbidden", "This key may not act on this organization");
      if (scope === "member" && principal.organizationId !== org.id) {
        throw forbidden("organization_forbidden", "Only the organization's own users may sign with its wallets");
      }
      if (scope === "parent" && org.id !== parentId) {
        throw forbidden("parent_organization_required", "This request must target the parent organization");
      }
      return org;
    };

    const respond =
      (handler: (rc: RequestContext) => Promise<object>) =>
      async (rc: RequestContext): Promise<void> => {
        let body: object;
        try {
          body = await handler(rc);
        } catch (error) {
          const mapped = toTurnkeyApiError(error);
          if (mapped) {
            if (mapped.grpcCode === GRPC.UNAVAILABLE)
              console.error(`[turnkey] ${rc.url.pathname}: upstream failure (${mapped.reason})`, mapped.cause ?? "");
            sendTurnkeyError(rc.res, mapped, variant);
            return;
          }
          console.error(`[turnkey] ${rc.url.pathname}: unhandled error`, error);
          sendTurnkeyError(rc.res, new TurnkeyApiError(GRPC.INTERNAL, "internal_error", "Internal error"), variant);
          return;
        }
        sendJson(rc.res, 200, body);
      };

    const activityRoutes: Route[] = ACTIVITIES.map((spec) => ({
      method: "POST",
      path: `/public/v1/submit/${spec.name}`,
      handler: respond(async (rc) => {
        const { principal, bytes } = await authenticate(rc);
        const envelope = activityEnvelope.parse(parseJsonBytes(bytes));
        const version = spec.versions[envelope.type];
        if (!version) {
          throw unimplemented("activity_type_unsupported", `${spec.name} accepts ${Object.keys(spec.versions).join(", ")}`);
        }
        const named = await authorize(principal, envelope.organizationId, spec.scope);
        // "whoami"-scoped activities (stamp_login) act on the caller's own organization even
        // when the body names the parent, as the kit's passkey login does.
        const organization = spec.scope === "whoami" ? ((await getOrganization(db, principal.organizationId)) ?? named) : named;
        const fingerprint = activityFingerprint(bytes);
        // Identical bytes, identical activity: a resubmission gets the recorded answer.
        const recorded = await findRecordedActivity(db, organization.id, fingerprint);
        if (recorded) return { activity: recorded };
        const visitor = visitorOf(rc.req);
        const scope: RequestScope = { principal, organization, ...(visitor !== undefined ? { visitor } : {}) };
        const result = shapeActivityResult(variant, spec.name, await spec.run(ctx, scope, envelope.parameters));
        const activity = await recordActivity(db, {
          organizationId: organization.id,
          type: envelope.type,
          ...version,
          parameters: envelope.parameters,
          result,
          fingerprint,
          now: now(),
        });
        return { activity };
      }),
    }));

    const queryRoutes: Route[] = QUERIES.map((spec) => ({
      method: "POST",
      path: `/public/v1/query/${spec.name}`,
      handler: respond(async (rc) => {
        const { principal, bytes } = await authenticate(rc);
        const body = parseJsonBytes(bytes);
        const { organizationId } = queryEnvelope.parse(body);
        const organization = await authorize(principal, organizationId, spec.scope);
        return shapeQueryAnswer(variant, spec.name, await spec.run(ctx, { principal, organization }, body));
      }),
    }));

    let baseUrl = options.publicUrl?.replace(/\/+$/, "");
    const server = createServer(
      [
        {
          method: "GET",
          path: "/.well-known/jwks.json",
          handler: (rc) => sendJson(rc.res, 200, publicJwks([keys.notarizer, keys.otpSigner]), { "Cache-Control": "public, max-age=300" }),
        },
        {
          method: "GET",
          path: "/counterpart/v1/keys",
          handler: (rc) =>
            sendJson(
              rc.res,
              200,
              {
                notarizerPublicKey: publicKeyHex(keys.notarizer),
                otpSignerPublicKey: publicKeyHex(keys.otpSigner),
                jwksUri: `${baseUrl ?? ""}/.well-known/jwks.json`,
              },
              { "Cache-Control": "public, max-age=300" },
            ),
        },
        ...activityRoutes,
        ...queryRoutes,
        ...(options.faultInjection
          ? [
              {
                method: "PUT" as const,
                path: SESSION_CAP_PATH,
                handler: respond(async (rc) => {
                  const body = parseJsonBytes(await readRawJsonBody(rc.req, 1024)) as { seconds?: unknown };
                  const seconds = body?.seconds;
                  if (seconds !== null && (typeof seconds !== "number" || !Number.isInteger(seconds) || seconds < MIN_SESSION_SECONDS)) {
                    throw invalid("session_cap_invalid", `seconds must be null or an integer >= ${MIN_SESSION_SECONDS}`);
                  }
                  sessionCap = seconds ?? undefined;
                  return { seconds: sessionCap ?? null };
                }),
              },
            ]
          : []),
      ],
      { name: "turnkey", cors: { allowedOrigins: options.allowedOrigins }, maxBodyBytes, faultInjection: options.faultInjection },
    );
    allowPreflightRequestHeaders(server, [STAMP_HEADER_NAME, WEBAUTHN_STAMP_HEADER_NAME, "X-Client-Version"]);

    const service = await serve("turnkey", server, db, options);
    baseUrl ??= service.url;
    return { ...service, sweep: (createdBefore: Date) => sweepTurnkey(db, createdBefore) };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
