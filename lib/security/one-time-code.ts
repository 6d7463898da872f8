// One-time codes the app itself sends (email verification for password sign-up).
// Codes are stored only as HMAC hashes, expire, allow a few attempts, and are single-use.
import "server-only";
import { createHmac, randomInt } from "node:crypto";
import { AppError } from "@/lib/http/errors";
import type { AppStore } from "@/lib/store/types";
import { constantEquals } from "./constant-equals";

export interface OneTimeCodePolicy {
  purpose: string;
  digits: number;
  ttlSeconds: number;
  maxAttempts: number;
  /** At most this many codes per subject per hour. */
  maxIssuedPerHour: number;
}

export const codeErrors = {
  invalid: (remaining: number) =>
    new AppError("code_invalid", 400, `That code is not right. ${remaining} attempt${remaining === 1 ? "" : "s"} left.`, { attemptsRemaining: remaining }),
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
  subject: string,
  secret: string,
  now = new Date(),
): Promise<string> {
  const code = String(randomInt(0, 10 ** policy.digits)).padStart(policy.digits, "0");
  // The hash is keyed by the server secret and bound to the subject, so a leaked table does
  // not reveal codes, even for a 6-digit space.
  const stored = await store.createOneTimeCode(
    {
      purpose: policy.purpose,
      subject,
      codeHash: hashCode(secret, `${policy.purpose}:${subject}`, code),
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
  subject: string,
  code: string,
  secret: string,
  now = new Date(),
): Promise<void> {
  const record = await store.latestOneTimeCode(policy.purpose, subject);
  if (!record) throw codeErrors.missing();
  if (record.expiresAt.getTime() <= now.getTime()) throw codeErrors.expired();
  const attempt = await store.takeOneTimeCodeAttempt(record.id);
  if (attempt === null) throw codeErrors.attemptsExceeded();
  if (!constantEquals(hashCode(secret, `${policy.purpose}:${subject}`, code.trim()), record.codeHash)) {
    const remaining = record.maxAttempts - attempt;
    if (remaining <= 0) throw codeErrors.attemptsExceeded();
    throw codeErrors.invalid(remaining);
  }
  if (!(await store.consumeOneTimeCode(record.id))) throw codeErrors.missing();
}
