import "server-only";
import { getConfig } from "@/lib/config";
import { AppError, errors } from "@/lib/http/errors";
import { sendMail } from "@/lib/mail/mailer";
import { decoyHash, hashPassword, verifyPassword } from "@/lib/security/password-hash";
import { createMemoryRateLimiter, type RateLimiter } from "@/lib/security/rate-limit";
import { codeErrors, issueCode, type OneTimeCodePolicy, redeemCode } from "@/lib/security/one-time-code";
import { getStore } from "@/lib/store";
import type { PasswordCredential } from "@/lib/store/types";
import { resendSchema, signInSchema, signUpSchema, verifySchema } from "./schema";

const VERIFY_EMAIL: OneTimeCodePolicy = { purpose: "verify-email", digits: 6, ttlSeconds: 15 * 60, maxAttempts: 5, maxIssuedPerHour: 5 };

// Process-wide, so that every bundle that imports this module counts the same attempts.
const limiters = globalThis as typeof globalThis & { __passwordLimiters?: { signIn: RateLimiter; signUp: RateLimiter } };
limiters.__passwordLimiters ??= {
  signIn: createMemoryRateLimiter({ limit: 5, windowMs: 15 * 60_000 }),
  signUp: createMemoryRateLimiter({ limit: 5, windowMs: 60 * 60_000 }),
};
const { signIn: signInLimiter, signUp: signUpLimiter } = limiters.__passwordLimiters;

export const passwordErrors = {
  emailTaken: () => new AppError("email_taken", 409, "An account with this email already exists. Sign in instead, or use another email."),
  invalidCredentials: () => new AppError("invalid_credentials", 401, "Wrong email or password."),
  emailUnverified: () =>
    new AppError("email_unverified", 403, "Confirm your email first: we sent a 6-digit code to your inbox."),
  weakPassword: (message: string) => new AppError("weak_password", 400, message),
};

/** Codes are bound to the credential id, not the address (see replaceUnverifiedPasswordCredential). */
async function sendVerificationCode(credential: PasswordCredential): Promise<void> {
  const [store, config] = await Promise.all([getStore(), getConfig()]);
  const code = await issueCode(store, VERIFY_EMAIL, credential.id, config.env.AUTH_SECRET);
  await sendMail({
    to: credential.email,
    subject: "Confirm your email",
    text: `Your confirmation code is ${code}.\n\nIt expires in 15 minutes. If you did not sign up, ignore this email.`,
  });
}

/** Creates an unverified account and emails a confirmation code. */
export async function signUp(input: unknown): Promise<{ email: string }> {
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
  const gate = signUpLimiter.hit(email);
  if (!gate.allowed) throw errors.rateLimited(gate.retryAfterSeconds);

  const store = await getStore();
  const fields = { email, passwordHash: await hashPassword(password), name: name || null };
  // An address that was signed up but never confirmed is up for grabs again: whoever can read
  // its mailbox (and so confirm it) wins, not whoever typed it first.
  const credential = (await store.createPasswordCredential(fields)) ?? (await store.replaceUnverifiedPasswordCredential(fields));
  if (!credential) throw passwordErrors.emailTaken();
  await sendVerificationCode(credential);
  return { email };
}

export async function confirmEmail(input: unknown): Promise<void> {
  const { email, code } = verifySchema.parse(input);
  const [store, config] = await Promise.all([getStore(), getConfig()]);
  const credential = await store.findPasswordCredential(email);
  if (!credential) throw codeErrors.missing();
  if (credential.emailVerifiedAt) return;
  await redeemCode(store, VERIFY_EMAIL, credential.id, code, config.env.AUTH_SECRET);
  await store.markPasswordEmailVerified(credential.id);
}

export async function resendConfirmation(input: unknown): Promise<void> {
  const { email } = resendSchema.parse(input);
  const store = await getStore();
  const credential = await store.findPasswordCredential(email);
  // Same answer whether or not the account exists or is already verified.
  if (!credential || credential.emailVerifiedAt) return;
  await sendVerificationCode(credential).catch((error: unknown) => {
    // Same answer whether or not the account exists: a rate limit is not reported.
    if (!(error instanceof AppError && error.code === "code_rate_limited")) throw error;
  });
}

/**
 * Checks an email and password. Unknown emails cost the same scrypt work as known ones, and
 * attempts per email are limited, so neither timing nor brute force reveals much.
 */
export async function authenticate(input: unknown): Promise<PasswordCredential> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) throw passwordErrors.invalidCredentials();
  const { email, password } = parsed.data;
  const gate = signInLimiter.hit(email);
  if (!gate.allowed) throw errors.rateLimited(gate.retryAfterSeconds);

  const store = await getStore();
  const credential = await store.findPasswordCredential(email);
  const ok = await verifyPassword(password, credential?.passwordHash ?? (await decoyHash()));
  if (!credential || !ok) throw passwordErrors.invalidCredentials();
  if (!credential.emailVerifiedAt) {
    await sendVerificationCode(credential).catch(() => undefined);
    throw passwordErrors.emailUnverified();
  }
  signInLimiter.reset(email);
  return credential;
}
