// The app's persistence boundary. One SQL implementation (sql-store.ts) runs on embedded PGlite
// (one instance, the default) and on a pooled PostgreSQL (DATABASE_URL, any number of instances).

/**
 * Provider ids are plain strings: the registries (providers/identity/registry.ts,
 * providers/wallets/registry.ts) are the only lists of providers, and every id from a request
 * is checked against them before it reaches the store.
 */
export type IdentityProviderId = string;
export type WalletProviderId = string;

/**
 * An issuer as stored: URLs in WHATWG-normalised form, so "https://tenant.example" from the
 * configuration and "https://tenant.example/" in a token (which OIDC clients treat as the same
 * issuer) are one issuer here too.
 */
export function normalizeIssuer(issuer: string): string {
  try {
    return new URL(issuer).href;
  } catch {
    return issuer;
  }
}

/** An identity as proven by an identity provider, before it is tied to an app user. */
export interface VerifiedIdentity {
  provider: IdentityProviderId;
  /**
   * Who vouches for `subject`: the provider's token issuer (an OIDC issuer URL, or a non-URL
   * name for the app's own user table). Subjects are unique only per issuer, so an identity
   * is (provider, issuer, subject): pointing a provider at another tenant must not hand its
   * users the old tenant's accounts.
   */
  issuer: string;
  /** The provider's subject: stable per issuer, never reused as the app's user id. */
  subject: string;
  email: string | null;
  /** True only when the provider itself vouches that the user controls `email`. */
  emailVerified: boolean;
  name: string | null;
  /** Provider claims worth showing the user (no tokens, no secrets). */
  profile: Record<string, unknown>;
  /**
   * False when `emailVerified` rests on a test double's word, not a provider's: the Firebase
   * Auth Emulator lets anyone who reaches it create any account and mark its email verified.
   * Such an identity never joins an existing user by email, and the user it creates is never
   * joined by others by email (its email counts as unverified for linking). Default true.
   */
  linkByEmail?: boolean;
}

export interface User {
  id: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  createdAt: Date;
}

export interface LinkedIdentity extends VerifiedIdentity {
  userId: string;
  createdAt: Date;
  lastSignInAt: Date;
}

export interface LinkResult {
  user: User;
  identity: LinkedIdentity;
  /** How the identity was attached: first sign-in ever, returning, or joined by verified email. */
  outcome: "created" | "returning" | "linked_by_verified_email";
}

/** What attaching an identity to a signed-in user did (AppStore.attachIdentity). */
export interface AttachResult {
  /**
   * "linked": attached now; "already_linked": it was this user's already (nothing changed);
   * "linked_elsewhere": it belongs to another user, who keeps it.
   */
  outcome: "linked" | "already_linked" | "linked_elsewhere";
  /** The identity as stored (for "linked_elsewhere", the other user's: never show its userId). */
  identity: LinkedIdentity;
}

export interface PasswordCredential {
  id: string;
  email: string;
  passwordHash: string;
  name: string | null;
  emailVerifiedAt: Date | null;
  createdAt: Date;
}

export interface OneTimeCodeRecord {
  id: string;
  purpose: string;
  subject: string;
  codeHash: string;
  expiresAt: Date;
  attempts: number;
  maxAttempts: number;
  usedAt: Date | null;
  createdAt: Date;
}

export interface WalletConnection {
  userId: string;
  provider: WalletProviderId;
  /**
   * `connected_without_address`: the provider verified a session but has no address for it yet
   * (AIR Kit returns the address only once the user has set up MFA).
   */
  status: "pending" | "connected" | "connected_without_address";
  /** Primary account address, when connected. */
  address: string | null;
  /** The wallet provider's session expiry. */
  expiresAt: Date | null;
  /** Provider-specific, display-safe data (verified claims, user info, decoded partner token). */
  data: Record<string, unknown>;
  updatedAt: Date;
}

/**
 * A wallet the user connected before (AppStore.listPreviousWallets): what the dashboard shows to
 * offer reconnecting it after a new sign-in. Only what the user's own card showed at the time.
 */
export interface PreviousWallet {
  provider: WalletProviderId;
  /** The address of the last live connection (WalletConnection.address). */
  address: string;
  firstConnectedAt: Date;
  /** When a live connection with this address was last recorded. */
  lastConnectedAt: Date;
}

/**
 * A message the server asked a wallet to sign (lib/wallets/signing): single use, short-lived,
 * bound to one app user, one wallet provider and the address the server had on record.
 */
export interface SignChallenge {
  /** Random, unguessable; the primary key. */
  nonce: string;
  userId: string;
  provider: WalletProviderId;
  /** The connection's address when the challenge was issued (never one from a request). */
  address: string;
  /** The exact text to sign. */
  message: string;
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: Date;
}

/** What consuming a challenge found (AppStore.consumeSignChallenge). */
export type ConsumeSignChallengeResult =
  | { outcome: "consumed"; challenge: SignChallenge }
  /** It was this user's and this provider's, and had been consumed before (a replay). */
  | { outcome: "already_used"; challenge: SignChallenge }
  /** No such nonce for this user and provider (another user's nonce counts as unknown). */
  | { outcome: "unknown" };

/** The server-side record of one app session (the Auth.js cookie carries its id). */
export interface AppSession {
  id: string;
  userId: string;
  userAgent: string | null;
  createdAt: Date;
  /** Refreshed at most once a minute. */
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** One shared counter as a limiter reads and writes it (times in ms since the epoch, database clock). */
export interface CounterState {
  first: number;
  last: number;
  count: number;
  /** The row may be forgotten after this. */
  expiresAt: number;
}

/**
 * Counters every instance shares, for rate limits and failure throttles
 * (lib/security/shared-limits.ts). The store's database backs them; another backend (Redis:
 * INCR + PEXPIRE for hitWindow, a Lua script or WATCH/MULTI for updateCounter) can implement
 * this interface alone. Every call either counts atomically or throws: a limiter that cannot
 * count refuses (fails closed).
 */
export interface CounterStore {
  /** Fixed window: counts one hit on `key`; returns the count in the current window and ms until it resets. */
  hitWindow(key: string, windowMs: number, now?: Date): Promise<{ count: number; resetMs: number }>;
  /**
   * Atomic read-modify-write of `key`: `update` gets the live state (null when missing or
   * expired) and the database's time, returns the next state (null deletes) and a result.
   */
  updateCounter<T>(
    key: string,
    update: (current: CounterState | null, nowMs: number) => { next: CounterState | null; result: T },
    now?: Date,
  ): Promise<T>;
  deleteCounter(key: string): Promise<void>;
}

export interface AppStore extends CounterStore {
  /** Finds or creates the app user for a verified identity (see pglite.ts for the linking rule). */
  linkIdentity(identity: VerifiedIdentity): Promise<LinkResult>;
  /**
   * Explicit account linking: attaches an identity its provider just verified to `userId`, the
   * signed-in user. The identities primary key decides, so of two racing links of one identity
   * exactly one user ends up owning it. Never changes the user's email or its verification, and
   * never moves an identity away from another user.
   */
  attachIdentity(userId: string, identity: VerifiedIdentity): Promise<AttachResult>;
  getUser(userId: string): Promise<User | null>;
  listIdentities(userId: string): Promise<LinkedIdentity[]>;

  createPasswordCredential(input: { email: string; passwordHash: string; name: string | null }): Promise<PasswordCredential | null>;
  findPasswordCredential(email: string): Promise<PasswordCredential | null>;
  /**
   * Replaces an account whose email was never confirmed (new id, new password), so that nobody
   * can squat an address by signing it up first. Codes are bound to the id, so codes sent for
   * the replaced account stop working. Returns null if the email is confirmed or unknown.
   */
  replaceUnverifiedPasswordCredential(input: {
    email: string;
    passwordHash: string;
    name: string | null;
  }): Promise<PasswordCredential | null>;
  /** Confirms the email of exactly this credential (by id, so a replaced account is never confirmed by an old code). */
  markPasswordEmailVerified(credentialId: string): Promise<void>;

  /**
   * Stores a code unless `limit.max` codes were already issued for (purpose, subject) since
   * `limit.since`; counting and inserting are one transaction, so parallel requests cannot
   * slip past the limit. Attempts already taken on (purpose, subject)'s codes since
   * `limit.since` are deducted from the new code's `maxAttempts` (the guessing budget carries
   * across codes). Returns null when over the limit or when no attempts are left.
   */
  createOneTimeCode(
    input: Omit<OneTimeCodeRecord, "id" | "attempts" | "usedAt" | "createdAt">,
    limit: { max: number; since: Date },
  ): Promise<OneTimeCodeRecord | null>;
  /** The newest unused code for (purpose, subject), if any. */
  latestOneTimeCode(purpose: string, subject: string): Promise<OneTimeCodeRecord | null>;
  /**
   * Takes one attempt BEFORE the code is compared, atomically: returns the attempt number, or
   * null when the code is used up or out of attempts. Comparing first and counting after would
   * let parallel guesses all be checked against a counter still at zero.
   */
  takeOneTimeCodeAttempt(id: string): Promise<number | null>;
  /** Marks the code used; false if it was already used (single use, race-free). */
  consumeOneTimeCode(id: string): Promise<boolean>;

  /**
   * Writes the connection. A `connected` one with an address is also remembered, in the same
   * statement, as the user's previous wallet of that provider (listPreviousWallets): a new
   * address replaces the old one and restarts firstConnectedAt.
   */
  upsertWalletConnection(connection: Omit<WalletConnection, "updatedAt">): Promise<void>;
  /**
   * Records a step that (re)starts connecting, in one atomic statement (no read-then-write, so
   * two concurrent steps cannot lose each other's data): `data` is merged over the connection's
   * data (top-level keys); a connection whose status is one of `keep` keeps its status, address
   * and expiry, any other connection, or none, becomes "pending" with neither.
   */
  startWalletConnection(
    userId: string,
    provider: WalletProviderId,
    data: Record<string, unknown>,
    keep: readonly WalletConnection["status"][],
  ): Promise<void>;
  /**
   * A secret of a wallet connection (e.g. an encrypted provider session token), kept apart from
   * `data` so that it is never rendered or listed. Setting it on a missing connection does
   * nothing; deleting the connection deletes it; upsertWalletConnection leaves it alone.
   */
  setWalletSecret(userId: string, provider: WalletProviderId, secret: string | null): Promise<void>;
  getWalletSecret(userId: string, provider: WalletProviderId): Promise<string | null>;

  /**
   * The Firebase uid that stands for this user in the Firebase project `issuer`, decided once:
   * the first call records `candidate`, every later call answers the recorded uid whatever it
   * is given. Race-free (the first insert wins, everyone gets the winner). Returns null when
   * `candidate` is already recorded for another user (a uid is never shared).
   */
  claimFirebaseUid(userId: string, issuer: string, candidate: string): Promise<string | null>;
  getWalletConnection(userId: string, provider: WalletProviderId): Promise<WalletConnection | null>;
  listWalletConnections(userId: string): Promise<WalletConnection[]>;
  deleteWalletConnections(userId: string, provider?: WalletProviderId): Promise<void>;
  /**
   * The wallets this user connected before, one per provider, most recently connected first.
   * Kept through sign-out and disconnect (deleteWalletConnections leaves them), gone with the
   * user. Callers pass the signed-in user's own id, from the server session, never a request's.
   */
  listPreviousWallets(userId: string): Promise<PreviousWallet[]>;
  /**
   * Binds a wallet provider's own account id to an app user, first come first served and for
   * good (it survives sign-out and disconnect). Returns the owner: `userId` when the account was
   * free or already theirs, another user's id otherwise.
   */
  claimWalletAccount(provider: WalletProviderId, accountId: string, userId: string): Promise<string>;

  /**
   * A reserved address (e.g. one a provider pre-generates before any login): writes `connection`,
   * marked as a reservation (`data.pregenerated = true`), only where the user has no row, or a
   * reservation, or a login in progress whose `expiresAt` is past (at `now`). The check and
   * the write are one statement, so a connection made meanwhile on another instance is never
   * overwritten. True if written.
   */
  reserveWalletConnection(connection: Omit<WalletConnection, "updatedAt">, now?: Date): Promise<boolean>;

  /** Deletes a user and everything of theirs; their sessions end at once. */
  deleteUser(userId: string): Promise<void>;

  /**
   * The public demo's retention (DEMO_DATA_MAX_AGE_HOURS): deletes every user created before
   * `cutoff` with everything of theirs (their sessions end), and every password account,
   * one-time code and expired counter from before it. Idempotent; safe on several instances.
   */
  sweepDataCreatedBefore(cutoff: Date): Promise<{ users: number; passwordAccounts: number; codes: number; counters: number }>;

  /** Records a new app session for `userId`; its id goes into the Auth.js token. */
  createSession(input: { userId: string; userAgent: string | null; expiresAt: Date }): Promise<AppSession>;
  /**
   * The session and its user if the session is live (not revoked, not expired, user exists):
   * one primary-key lookup joined to users. Refreshes lastSeenAt when older than a minute.
   */
  getActiveSession(sessionId: string, userId: string): Promise<{ session: AppSession; user: User } | null>;
  /** The user's live sessions, most recently seen first. */
  listSessions(userId: string): Promise<AppSession[]>;
  /** Ends one session; false if it was already ended. */
  revokeSession(sessionId: string): Promise<boolean>;
  /** Ends every live session of the user but `keepSessionId`; returns how many. */
  revokeOtherSessions(userId: string, keepSessionId: string): Promise<number>;

  /** Throws when the database does not answer (readiness). */
  ping(): Promise<void>;

  /**
   * Stores a sign challenge unless (userId, provider) already has `limit.maxOpen` unused,
   * unexpired ones (counting and inserting in one transaction). Deletes this user's challenges
   * that expired before `limit.pruneBefore`. Returns null when over the limit.
   */
  createSignChallenge(
    challenge: Omit<SignChallenge, "usedAt" | "createdAt">,
    limit: { maxOpen: number; now: Date; pruneBefore: Date },
  ): Promise<SignChallenge | null>;
  /**
   * Marks the challenge used and returns it, in one statement, whether or not the signature
   * then verifies: a nonce is spent by its first verification attempt, so two racing
   * attempts cannot both see it unused. Matches only (nonce, userId, provider), so another
   * user cannot spend someone else's nonce.
   */
  consumeSignChallenge(nonce: string, userId: string, provider: WalletProviderId): Promise<ConsumeSignChallengeResult>;

  close(): Promise<void>;
}
