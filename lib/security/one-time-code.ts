// One-time codes the app itself sends (email verification for password sign-up).
// Codes are stored only as HMAC hashes, expire, allow a few attempts, and are single-use.
import "server-only";
import { createHmac, randomInt } from "node:crypto";
import { AppError } from "@/lib/http/errors";
import { wrongCode } from "@/lib/ui/wording";
import type { AppStore } from "@/lib/store/types";
import { constantEquals } from "./constant-equals";

export interface OneTimeCodePolicy {
  purpose: string;
  digits: number;
  ttlSeconds: number;
  /**
   * Guesses per subject per hour, across every code issued to it in that hour: a resend (or a
   * repeated sign-up) gives a new code, never a new guessing budget.
   */
  maxAttempts: number;
  /** At most this many codes per subject per hour. */
  maxIssuedPerHour: number;
}

/**
 * Who a code is for. `subject` owns the budget (codes per hour, guesses per hour): for an
 * email confirmation, the address. `binding` is what the code proves control for (e.g. one
 * account's id): a code is valid only for the binding it was issued for, so a code sent to an
 * account that was since replaced confirms nothing.
 */
export type CodeSubject = string | { subject: string; binding: string };
const parts = (s: CodeSubject) => (typeof s === "string" ? { subject: s, binding: "" } : s);

export const codeErrors = {
  invalid: (remaining: number) => new AppError("code_invalid", 400, wrongCode(remaining), { attemptsRemaining: remaining }),
  expired: () => new AppError("code_expired", 400, "That code has expired. Ask for a new one."),
  attemptsExceeded: () => new AppError("code_attempts_exceeded", 429, "Too many wrong codes. Ask for a new one."),
  missing: () => new AppError("code_not_found", 400, "There is no pending code for this address. Ask for a new one."),
  tooMany: () => new AppError("code_rate_limited", 429, "Too many codes were sent to this address. Try again later."),
};

function hashCode(secret: string, id: string, code: string): string {
  return createHmac("sha256", secret).update(`${id}:${code}`).digest("hex");
}

export async function issueCode(
  store: AppStore,
  policy: OneTimeCodePolicy,
  to: CodeSubject,
  secret: string,
  now = new Date(),
): Promise<string> {
  const { subject, binding } = parts(to);
  const code = String(randomInt(0, 10 ** policy.digits)).padStart(policy.digits, "0");
  // The hash is keyed by the server secret and bound to the subject, so a leaked table does
  // not reveal codes, even for a 6-digit space.
  const stored = await store.createOneTimeCode(
    {
      purpose: policy.purpose,
      subject,
      codeHash: hashCode(secret, `${policy.purpose}:${subject}:${binding}`, code),
      expiresAt: new Date(now.getTime() + policy.ttlSeconds * 1000),
      maxAttempts: policy.maxAttempts,
    },
    { max: policy.maxIssuedPerHour, since: new Date(now.getTime() - 3600_000) },
  );
  if (!stored) throw codeErrors.tooMany();
  return code;
}

export async function redeemCode(
  store: AppStore,
  policy: OneTimeCodePolicy,
  to: CodeSubject,
  code: string,
  secret: string,
  now = new Date(),
): Promise<void> {
  const { subject, binding } = parts(to);
  const record = await store.latestOneTimeCode(policy.purpose, subject);
  if (!record) throw codeErrors.missing();
  if (record.expiresAt.getTime() <= now.getTime()) throw codeErrors.expired();
  const attempt = await store.takeOneTimeCodeAttempt(record.id);
  if (attempt === null) throw codeErrors.attemptsExceeded();
  if (!constantEquals(hashCode(secret, `${policy.purpose}:${subject}:${binding}`, code.trim()), record.codeHash)) {
    const remaining = record.maxAttempts - attempt;
    if (remaining <= 0) throw codeErrors.attemptsExceeded();
    throw codeErrors.invalid(remaining);
  }
  if (!(await store.consumeOneTimeCode(record.id))) throw codeErrors.missing();
}
