/**
 * Helpers that drive the Firebase Auth Emulator over its REST API (the Identity Toolkit API
 * it emulates, plus its emulator-only endpoints), for tests and other counterparts.
 *
 * - The emulator accepts any web API key (`?key=`); we send a fixed fake one.
 * - Admin-only calls (acting on any user, e.g. marking an email verified) use the
 *   `Authorization: Bearer owner` header, which only the emulator accepts.
 * - ID tokens it issues are unsigned (`alg: "none"`), with the same claims as real Firebase
 *   ID tokens (`iss = https://securetoken.google.com/<projectId>`, `aud = <projectId>`).
 */
export const EMULATOR_WEB_API_KEY = "fake-api-key";
const REQUEST_TIMEOUT_MS = 10_000;
const EMULATOR_HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:]+\]):[0-9]{1,5}$/;

export class EmulatorRestError extends Error {
  override readonly name = "EmulatorRestError";
  constructor(
    /** The emulator's error code, e.g. `EMAIL_EXISTS`, `INVALID_PASSWORD`; `request_failed` otherwise. */
    readonly code: string,
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What signUp / signInWithPassword return (only the members we use). */
export interface EmulatorSignIn {
  /** The Firebase uid (`sub` of the ID token). */
  readonly localId: string;
  readonly email: string;
  readonly idToken: string;
  readonly refreshToken: string;
  /** Seconds until the ID token expires. */
  readonly expiresIn: number;
}

export interface EmailPassword {
  readonly email: string;
  readonly password: string;
}

function baseUrl(emulatorHost: string): string {
  if (!EMULATOR_HOST.test(emulatorHost)) {
    throw new TypeError(`emulatorHost must be host:port, got ${JSON.stringify(emulatorHost)}`);
  }
  return `http://${emulatorHost}`;
}

/** fetch's "other side closed" on a reused socket (undici's UND_ERR_SOCKET), and nothing else. */
function closedIdleConnection(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return error instanceof TypeError && cause?.code === "UND_ERR_SOCKET";
}

async function call(
  emulatorHost: string,
  method: "POST" | "DELETE",
  pathAndQuery: string,
  body: unknown,
  admin = false,
): Promise<Record<string, unknown>> {
  const url = `${baseUrl(emulatorHost)}${pathAndQuery}`;
  const send = () =>
    fetch(url, {
      method,
      headers: {
        ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        ...(admin ? { Authorization: "Bearer owner" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  let response: Response;
  try {
    try {
      response = await send();
    } catch (error) {
      // A kept-alive connection the emulator closed as idle just as fetch reused it: the request
      // never reached it, so sending it once more on a new connection is safe.
      if (!closedIdleConnection(error)) throw error;
      response = await send();
    }
  } catch (cause) {
    throw new EmulatorRestError("request_failed", 0, `Auth Emulator at ${emulatorHost} did not answer`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = await response.json();
  } catch (cause) {
    throw new EmulatorRestError("request_failed", response.status, "Auth Emulator answered with non-JSON", { cause });
  }
  const record = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  if (!response.ok) {
    const error = record.error as { message?: unknown } | undefined;
    const message = typeof error?.message === "string" ? error.message : `HTTP ${response.status}`;
    // Messages look like `EMAIL_EXISTS` or `WEAK_PASSWORD : Password should be at least 6 characters`.
    const code = /^[A-Z_]+/.exec(message)?.[0] ?? "request_failed";
    throw new EmulatorRestError(code, response.status, `Auth Emulator: ${message}`);
  }
  return record;
}

function toSignIn(record: Record<string, unknown>): EmulatorSignIn {
  const { localId, email, idToken, refreshToken, expiresIn } = record;
  if (typeof localId !== "string" || typeof email !== "string" || typeof idToken !== "string" || typeof refreshToken !== "string") {
    throw new EmulatorRestError("request_failed", 200, "Auth Emulator response lacks localId/email/idToken/refreshToken");
  }
  return { localId, email, idToken, refreshToken, expiresIn: Number(expiresIn) };
}

/** Creates an email/password user and returns its first ID token. */
export async function signUpWithPassword(emulatorHost: string, credentials: EmailPassword): Promise<EmulatorSignIn> {
  const record = await call(emulatorHost, "POST", `/identitytoolkit.googleapis.com/v1/accounts:signUp?key=${EMULATOR_WEB_API_KEY}`, {
    email: credentials.email,
    password: credentials.password,
    returnSecureToken: true,
  });
  return toSignIn(record);
}

/** Signs an existing email/password user in and returns a fresh ID token. */
export async function signInWithPassword(emulatorHost: string, credentials: EmailPassword): Promise<EmulatorSignIn> {
  const record = await call(
    emulatorHost,
    "POST",
    `/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=${EMULATOR_WEB_API_KEY}`,
    { email: credentials.email, password: credentials.password, returnSecureToken: true },
  );
  return toSignIn(record);
}

/**
 * Marks a user's email verified (admin call). ID tokens issued before keep
 * `email_verified: false`; sign in again for a token that says true.
 */
export async function markEmailVerified(emulatorHost: string, projectId: string, localId: string): Promise<void> {
  await call(
    emulatorHost,
    "POST",
    `/identitytoolkit.googleapis.com/v1/projects/${encodeURIComponent(projectId)}/accounts:update`,
    { localId, emailVerified: true },
    true,
  );
}

/** Signs up a user, marks the email verified and returns an ID token that says so. */
export async function createVerifiedUser(emulatorHost: string, projectId: string, credentials: EmailPassword): Promise<EmulatorSignIn> {
  const created = await signUpWithPassword(emulatorHost, credentials);
  await markEmailVerified(emulatorHost, projectId, created.localId);
  return signInWithPassword(emulatorHost, credentials);
}

/** Deletes every user of the project (emulator-only endpoint). */
export async function deleteAllUsers(emulatorHost: string, projectId: string): Promise<void> {
  await call(emulatorHost, "DELETE", `/emulator/v1/projects/${encodeURIComponent(projectId)}/accounts`, undefined);
}

/** What `listAccounts` reports of each user (the members we use). */
export interface EmulatorAccount {
  readonly localId: string;
  readonly email?: string;
  /** When the account was created. */
  readonly createdAt: Date;
}

/**
 * Every user of the project (admin call `accounts:query`, the Identity Toolkit's "look up user
 * accounts within a project":
 * https://pub.dev/documentation/googleapis/latest/identitytoolkit_v1/ProjectsAccountsResource/query.html).
 * The emulator answers all users at once and refuses `limit`/`offset` (firebase-tools
 * lib/emulator/auth/operations.js `queryAccounts`), so none are sent. `createdAt` is epoch
 * milliseconds as a string, as in the real API's UserInfo.
 */
export async function listAccounts(emulatorHost: string, projectId: string): Promise<EmulatorAccount[]> {
  const record = await call(
    emulatorHost,
    "POST",
    `/identitytoolkit.googleapis.com/v1/projects/${encodeURIComponent(projectId)}/accounts:query`,
    { returnUserInfo: true },
    true,
  );
  const users = Array.isArray(record.userInfo) ? (record.userInfo as Record<string, unknown>[]) : [];
  return users.map((user) => {
    const createdAt = new Date(Number(user.createdAt));
    if (typeof user.localId !== "string" || Number.isNaN(createdAt.getTime())) {
      throw new EmulatorRestError("request_failed", 200, "Auth Emulator listed a user without localId/createdAt");
    }
    return { localId: user.localId, ...(typeof user.email === "string" ? { email: user.email } : {}), createdAt };
  });
}

/**
 * Deletes users by uid (admin call `accounts:batchDelete`, at most 1000 per request, `force` so
 * that enabled accounts go too:
 * https://cloud.google.com/identity-platform/docs/reference/rest/v1/projects.accounts/batchDelete).
 * Unknown uids are ignored, as the API documents. Returns how many were asked to go.
 */
export async function deleteAccounts(emulatorHost: string, projectId: string, localIds: readonly string[]): Promise<number> {
  for (let start = 0; start < localIds.length; start += 1000) {
    const record = await call(
      emulatorHost,
      "POST",
      `/identitytoolkit.googleapis.com/v1/projects/${encodeURIComponent(projectId)}/accounts:batchDelete`,
      { localIds: localIds.slice(start, start + 1000), force: true },
      true,
    );
    if (Array.isArray(record.errors) && record.errors.length > 0) {
      throw new EmulatorRestError("request_failed", 200, `Auth Emulator refused to delete ${record.errors.length} user(s)`);
    }
  }
  return localIds.length;
}

/**
 * Retention (lib/counterpart.ts `sweep`): deletes the users created before `createdBefore`,
 * except those whose email is in `keepEmails` (the seeded demo users).
 */
export async function deleteAccountsCreatedBefore(
  emulatorHost: string,
  projectId: string,
  createdBefore: Date,
  keepEmails: readonly string[],
): Promise<number> {
  const keep = new Set(keepEmails.map((email) => email.toLowerCase()));
  const old = (await listAccounts(emulatorHost, projectId)).filter(
    (account) => account.createdAt < createdBefore && !(account.email !== undefined && keep.has(account.email.toLowerCase())),
  );
  return old.length === 0
    ? 0
    : deleteAccounts(
        emulatorHost,
        projectId,
        old.map((account) => account.localId),
      );
}
