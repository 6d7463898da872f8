import "server-only";
import { getConfig } from "@/lib/config";
import { AppError, errors } from "@/lib/http/errors";
import { sendMail } from "@/lib/mail/mailer";
import { decoyHash, hashPassword, verifyPassword } from "@/lib/security/password-hash";
import { ceiling, createFailureThrottle, exponentialDelay } from "@/lib/security/failure-throttle";
import { counting, createRateLimiter } from "@/lib/security/rate-limit";
import { issueCode, type OneTimeCodePolicy, redeemCode } from "@/lib/security/one-time-code";
import { getStore } from "@/lib/store";
import type { PasswordCredential } from "@/lib/store/types";
import { resendSchema, signInSchema, signUpSchema, verifySchema } from "./schema";

// Guesses per address per hour across every code sent to it (resends and repeated sign-ups
// included): 5 in a million for a 6-digit code.
const VERIFY_EMAIL: OneTimeCodePolicy = { purpose: "verify-email", digits: 6, ttlSeconds: 15 * 60, maxAttempts: 5, maxIssuedPerHour: 5 };
// "Someone tried to sign up with your address": no code is ever redeemed, but issuing one
// counts the notices per address and hour (so nobody can flood an inbox with them) and costs
// the same database work as a real sign-up's code, so the two take the same time.
const SIGN_UP_NOTICE: OneTimeCodePolicy = { purpose: "sign-up-notice", digits: 6, ttlSeconds: 60, maxAttempts: 1, maxIssuedPerHour: 3 };

/**
 * Sign-in throttling (NIST SP 800-63B §5.2.2: https://pages.nist.gov/800-63-3/sp800-63b.html#throttle).
 * - Per (email, client): 3 attempts freely, then a wait of 1 s, 2 s, 4 s … (at most 15 min)
 *   after each further failure. Guessing from one client slows down exponentially; the owner,
 *   on another client, is not affected.
 * - Per email, whatever the client: a ceiling of 100 failures a day, far above what a person
 *   needs; a browser where the owner signed in before is exempt (a known-device cookie), so an
 *   attacker with many clients still cannot lock the owner out at will (and an
 *   online guessing attack is capped at 100 guesses a day).
 * A success forgets the failures of that (email, client) and of the email.
 * Refusals answer at once (rate_limited with retryAfterSeconds): the server never sleeps.
 */
const SIGN_IN_PER_CLIENT = { delayMs: exponentialDelay({ free: 3, baseMs: 1000, maxMs: 15 * 60_000 }), windowMs: 24 * 3600_000 };
const SIGN_IN_PER_EMAIL = { delayMs: ceiling(100), windowMs: 24 * 3600_000 };
const SIGN_UP_PER_EMAIL = { limit: 5, windowMs: 60 * 60_000 };

/** The limiters, over the store's shared counters: every instance counts into the same rows. */
async function limits() {
  const store = await counting(getStore);
  return {
    store,
    signInPerClient: createFailureThrottle(store, "password:sign-in:client", SIGN_IN_PER_CLIENT),
    signInPerEmail: createFailureThrottle(store, "password:sign-in:email", SIGN_IN_PER_EMAIL),
    signUp: createRateLimiter(store, "password:sign-up", SIGN_UP_PER_EMAIL),
  };
}

/** How a client is named for the per-(email, client) throttle when its address is unknown. */
const UNKNOWN_CLIENT = "unknown-client";

export const passwordErrors = {
  invalidCredentials: () => new AppError("invalid_credentials", 401, "Wrong email or password."),
  emailUnverified: () => new AppError("email_unverified", 403, "Confirm your email first: we sent a 6-digit code to your inbox."),
  weakPassword: (message: string) => new AppError("weak_password", 400, message),
  /**
   * The one answer to a code that did not confirm anything: wrong, expired, out of attempts,
   * or for an address that is unknown or already confirmed. Telling these apart would tell
   * anyone which addresses have accounts.
   */
  codeRejected: () =>
    new AppError("code_invalid", 400, "That code did not work. Check that it is the newest one we sent, or send a new code."),
};

/** Codes belong to the address (budget) and are bound to this credential (see CodeSubject). */
const codeFor = (credential: PasswordCredential) => ({ subject: credential.email.toLowerCase(), binding: credential.id });

async function sendVerificationCode(credential: PasswordCredential): Promise<void> {
  const [store, config] = await Promise.all([getStore(), getConfig()]);
  const code = await issueCode(store, VERIFY_EMAIL, codeFor(credential), config.env.AUTH_SECRET);
  await sendMail({
    to: credential.email,
    subject: "Confirm your email",
    text: `Your confirmation code is ${code}.\n\nIt expires in 15 minutes. If you did not sign up, ignore this email.`,
  });
}

/** Tells the owner of a confirmed account that someone tried to sign up with their address (as Supabase and Auth0 do). */
async function sendSignUpNotice(credential: PasswordCredential): Promise<void> {
  const [store, config] = await Promise.all([getStore(), getConfig()]);
  await issueCode(store, SIGN_UP_NOTICE, codeFor(credential), config.env.AUTH_SECRET);
  await sendMail({
    to: credential.email,
    subject: "Someone tried to sign up with your address",
    text:
      "Someone (maybe you) tried to create a new account with this email address, which already has one.\n\n" +
      "If it was you, sign in with your password instead. If not, you can ignore this email: nothing was changed.",
  });
}

/** A rate-limited code or notice is not reported: that would tell taken addresses from free ones. */
const unlessRateLimited = (error: unknown) => {
  if (!(error instanceof AppError && error.code === "code_rate_limited")) throw error;
};

/**
 * Creates an unverified account and emails a confirmation code. For an address that already
 * has a confirmed account, it changes nothing and emails the owner a notice instead. Both
 * answer the same (200 { email }), after the same work (one hash, the same queries, one
 * email), so sign-up does not reveal which addresses have accounts.
 */
export async function signUp(input: unknown, client: string | null = null): Promise<{ email: string }> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.path[0] === "password") throw passwordErrors.weakPassword(issue.message);
    throw new AppError("invalid_request", 400, issue.message);
  }
  const { email, password, name } = parsed.data;
  if (password.toLowerCase().includes(email.split("@")[0]!.toLowerCase()) && email.split("@")[0]!.length >= 4) {
    throw passwordErrors.weakPassword("Choose a password that does not contain your email address.");
  }
  const { store, signUp: signUpLimiter } = await limits();
  const gate = await signUpLimiter.hit(email);
  if (!gate.allowed) throw errors.rateLimited(gate.retryAfterSeconds);
  const fields = { email, passwordHash: await hashPassword(password, client), name: name || null };
  // An address that was signed up but never confirmed is up for grabs again: whoever can read
  // its mailbox (and so confirm it) wins, not whoever typed it first.
  const credential = (await store.createPasswordCredential(fields)) ?? (await store.replaceUnverifiedPasswordCredential(fields));
  if (credential) await sendVerificationCode(credential).catch(unlessRateLimited);
  else {
    const owner = await store.findPasswordCredential(email);
    if (owner) await sendSignUpNotice(owner).catch(unlessRateLimited);
  }
  return { email };
}

/**
 * Confirms an address with its code. Every failure is the same `code_invalid`, whether the
 * address is pending, unknown or already confirmed, and the same lookups run in each case.
 */
export async function confirmEmail(input: unknown): Promise<void> {
  const { email, code } = verifySchema.parse(input);
  const [store, config] = await Promise.all([getStore(), getConfig()]);
  const credential = await store.findPasswordCredential(email);
  try {
    // Unknown and confirmed addresses have no unused code: this fails like a wrong code.
    await redeemCode(store, VERIFY_EMAIL, { subject: email, binding: credential?.id ?? "" }, code, config.env.AUTH_SECRET);
  } catch (error) {
    if (error instanceof AppError && error.code.startsWith("code_")) throw passwordErrors.codeRejected();
    throw error;
  }
  if (!credential) throw passwordErrors.codeRejected();
  await store.markPasswordEmailVerified(credential.id);
}

/**
 * Sends a new code to a pending address. The answer is the same for every address, and so is
 * the time: the response waits for one lookup only, and the code is issued and mailed after
 * it (errors are logged), so a pending address does not answer measurably slower.
 */
export async function resendConfirmation(input: unknown): Promise<void> {
  const { email } = resendSchema.parse(input);
  const store = await getStore();
  const credential = await store.findPasswordCredential(email);
  if (!credential || credential.emailVerifiedAt) return;
  void sendVerificationCode(credential)
    .catch(unlessRateLimited)
    .catch((error: unknown) =>
      console.error(`[password] could not resend a confirmation code (${error instanceof AppError ? error.code : "error"})`),
    );
}

/**
 * Checks an email and password from `client` (its key from lib/security/client-ip.ts, or null
 * when unknown). Unknown emails cost the same scrypt work as known ones, and failures are
 * throttled per (email, client) and per email (see above), so neither timing nor brute force
 * reveals much, and nobody else can lock the owner out.
 */
export async function authenticate(
  input: unknown,
  client: string | null = null,
  options: { knownDeviceFor?: (email: string) => boolean } = {},
): Promise<PasswordCredential> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) throw passwordErrors.invalidCredentials();
  const { email, password } = parsed.data;
  const pairKey = `${client ?? UNKNOWN_CLIENT}|${email}`;
  const { store, signInPerClient, signInPerEmail } = await limits();
  const pair = await signInPerClient.attempt(pairKey);
  if (!pair.allowed) throw errors.rateLimited(pair.retryAfterSeconds);
  // A browser where this email's password was proven before (lib/security/known-device.ts) is
  // exempt from the per-email ceiling: an attacker who exhausts it from many clients cannot
  // lock the owner's own browser out. Its per-(email, client) delays above still apply.
  if (!options.knownDeviceFor?.(email)) {
    const account = await signInPerEmail.attempt(email);
    if (!account.allowed) throw errors.rateLimited(account.retryAfterSeconds);
  }
  const credential = await store.findPasswordCredential(email);
  const ok = await verifyPassword(password, credential?.passwordHash ?? (await decoyHash()), client);
  if (!credential || !ok) throw passwordErrors.invalidCredentials();
  if (!credential.emailVerifiedAt) {
    await sendVerificationCode(credential).catch(() => undefined);
    throw passwordErrors.emailUnverified();
  }
  await Promise.all([signInPerClient.reset(pairKey), signInPerEmail.reset(email)]);
  return credential;
}
