import "server-only";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/http/errors";
import { sendMail } from "@/lib/mail/mailer";
import { decoyHash, hashPassword, verifyPassword } from "@/lib/security/password-hash";
import { createMemoryRateLimiter, type RateLimiter } from "@/lib/security/rate-limit";
import { issueCode, type OneTimeCodePolicy, redeemCode } from "@/lib/security/one-time-code";
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

async function sendVerificationCode(email: string): Promise<void> {
  const [store, config] = await Promise.all([getStore(), getConfig()]);
  const code = await issueCode(store, VERIFY_EMAIL, email, config.env.AUTH_SECRET);
  await sendMail({
    to: email,
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
  if (!gate.allowed) throw new AppError("rate_limited", 429, `Too many attempts. Try again in ${gate.retryAfterSeconds} seconds.`, { retryAfterSeconds: gate.retryAfterSeconds });

  const store = await getStore();
  const created = await store.createPasswordCredential({ email, passwordHash: await hashPassword(password), name: name || null });
  if (!created) throw passwordErrors.emailTaken();
  await sendVerificationCode(email);
  return { email };
}

export async function confirmEmail(input: unknown): Promise<void> {
  const { email, code } = verifySchema.parse(input);
  const [store, config] = await Promise.all([getStore(), getConfig()]);
  const credential = await store.findPasswordCredential(email);
  if (!credential) throw new AppError("code_not_found", 400, "There is no pending code for this address. Ask for a new one.");
  if (credential.emailVerifiedAt) return;
  await redeemCode(store, VERIFY_EMAIL, email, code, config.env.AUTH_SECRET);
  await store.markPasswordEmailVerified(email);
}

export async function resendConfirmation(input: unknown): Promise<void> {
  const { email } = resendSchema.parse(input);
  const store = await getStore();
  const credential = await store.findPasswordCredential(email);
  // Same answer whether or not the account exists or is already verified.
  if (!credential || credential.emailVerifiedAt) return;
  await sendVerificationCode(email);
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
  if (!gate.allowed) throw new AppError("rate_limited", 429, `Too many attempts. Try again in ${gate.retryAfterSeconds} seconds.`, { retryAfterSeconds: gate.retryAfterSeconds });

  const store = await getStore();
  const credential = await store.findPasswordCredential(email);
  const ok = await verifyPassword(password, credential?.passwordHash ?? (await decoyHash()));
  if (!credential || !ok) throw passwordErrors.invalidCredentials();
  if (!credential.emailVerifiedAt) {
    await sendVerificationCode(email).catch(() => undefined);
    throw passwordErrors.emailUnverified();
  }
  signInLimiter.reset(email);
  return credential;
}
