import { randomBytes } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../lib/db";
import { OtpHasher } from "../lib/otp";
import {
  ChallengeError,
  ChallengeStore,
  OTP_MAX_ATTEMPTS,
  OTP_RATE_LIMIT_WINDOW_SECONDS,
  OTP_TTL_SECONDS,
  type ChallengeErrorCode,
} from "./challenges";
import { AIRKIT_MIGRATIONS } from "./schema";

let db: PGlite;
let clock: number;
let store: ChallengeStore;
let emailCounter = 0;

/** A fresh email per test so rate limits do not leak between tests. */
const freshEmail = () => `user${++emailCounter}@example.com`;
const ok = async () => "verified";

async function codeOf(promise: Promise<unknown>): Promise<ChallengeErrorCode> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChallengeError);
  return (error as ChallengeError).code;
}

function wrongCode(code: string): string {
  return code === "000000" ? "000001" : "000000";
}

beforeAll(async () => {
  db = await openDatabase("memory://", AIRKIT_MIGRATIONS);
  store = new ChallengeStore(db, new OtpHasher(randomBytes(32)), () => new Date(clock));
});
afterAll(async () => {
  await db.close();
});
beforeEach(() => {
  clock = Date.UTC(2030, 0, 1);
});

describe("OTP challenges", () => {
  it("issues a 6-digit code, stores only its hash, and it works once", async () => {
    const { challenge, code } = await store.create({ email: freshEmail(), partnerId: "p", partnerUserId: "u1" });
    expect(code).toMatch(/^[0-9]{6}$/);
    expect(challenge.expiresAt.getTime() - clock).toBe(OTP_TTL_SECONDS * 1000);

    const stored = await db.query<Record<string, unknown>>("SELECT * FROM otp_challenges WHERE id = $1", [challenge.id]);
    expect(JSON.stringify(stored.rows)).not.toContain(code);

    await expect(store.verify(challenge.id, code, async (c) => c.partnerUserId)).resolves.toBe("u1");
    expect(await codeOf(store.verify(challenge.id, code, ok))).toBe("otp_used");
  });

  it("expires after 10 minutes", async () => {
    const { challenge, code } = await store.create({ email: freshEmail(), partnerId: "p" });
    clock += OTP_TTL_SECONDS * 1000;
    expect(await codeOf(store.verify(challenge.id, code, ok))).toBe("otp_expired");
  });

  it("allows 5 wrong attempts, then refuses even the right code", async () => {
    const { challenge, code } = await store.create({ email: freshEmail(), partnerId: "p" });
    for (let remaining = OTP_MAX_ATTEMPTS - 1; remaining >= 0; remaining--) {
      const error = await store.verify(challenge.id, wrongCode(code), ok).catch((e: unknown) => e as ChallengeError);
      expect(error).toMatchObject({ code: "otp_invalid", info: { attemptsRemaining: remaining } });
    }
    expect(await codeOf(store.verify(challenge.id, code, ok))).toBe("otp_attempts_exceeded");
  });

  it("accepts the right code on the last allowed attempt", async () => {
    const { challenge, code } = await store.create({ email: freshEmail(), partnerId: "p" });
    for (let i = 0; i < OTP_MAX_ATTEMPTS - 1; i++) await store.verify(challenge.id, wrongCode(code), ok).catch(() => undefined);
    await expect(store.verify(challenge.id, code, ok)).resolves.toBe("verified");
  });

  it("compares at most 5 codes even for a parallel burst", async () => {
    const { challenge, code } = await store.create({ email: freshEmail(), partnerId: "p" });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => store.verify(challenge.id, wrongCode(code), ok).catch((e: ChallengeError) => e.code)),
    );
    expect(results.filter((r) => r === "otp_invalid")).toHaveLength(OTP_MAX_ATTEMPTS);
    expect(results.filter((r) => r === "otp_attempts_exceeded")).toHaveLength(20 - OTP_MAX_ATTEMPTS);
  });

  it("lets exactly one of several concurrent right answers succeed", async () => {
    const { challenge, code } = await store.create({ email: freshEmail(), partnerId: "p" });
    const results = await Promise.all(
      Array.from({ length: 3 }, () => store.verify(challenge.id, code, ok).catch((e: ChallengeError) => e.code)),
    );
    expect(results.filter((r) => r === "verified")).toHaveLength(1);
    expect(results.filter((r) => r === "otp_used")).toHaveLength(2);
  });

  it("rolls back the consumption when the success work fails", async () => {
    const { challenge, code } = await store.create({ email: freshEmail(), partnerId: "p" });
    await expect(
      store.verify(challenge.id, code, async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await expect(store.verify(challenge.id, code, ok)).resolves.toBe("verified");
  });

  it("reports unknown challenges", async () => {
    expect(await codeOf(store.verify("00000000-0000-4000-8000-000000000000", "123456", ok))).toBe("challenge_not_found");
  });

  it("rate-limits to 3 challenges per email per 10 minutes, with Retry-After", async () => {
    const email = freshEmail();
    await store.create({ email, partnerId: "p" });
    clock += 60_000;
    await store.create({ email, partnerId: "p" });
    await store.create({ email, partnerId: "p" });
    const error = (await store.create({ email, partnerId: "p" }).catch((e: unknown) => e)) as ChallengeError;
    expect(error).toMatchObject({ code: "otp_rate_limited" });
    // The oldest challenge leaves the window 9 minutes from now.
    expect(error.info.retryAfterSeconds).toBe(OTP_RATE_LIMIT_WINDOW_SECONDS - 60);
    // Another email is unaffected.
    await expect(store.create({ email: freshEmail(), partnerId: "p" })).resolves.toBeDefined();

    clock += (OTP_RATE_LIMIT_WINDOW_SECONDS - 60) * 1000;
    await expect(store.create({ email, partnerId: "p" })).resolves.toBeDefined();
  });

  it("enforces the rate limit under concurrency", async () => {
    const email = freshEmail();
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        store.create({ email, partnerId: "p" }).then(
          () => "created",
          (e: ChallengeError) => e.code,
        ),
      ),
    );
    expect(results.filter((r) => r === "created")).toHaveLength(3);
  });
});
