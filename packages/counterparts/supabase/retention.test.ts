/**
 * Supabase Auth's retention sweep: users created before the cutoff go with their identities,
 * codes, sessions and refresh tokens; old sessions, codes and password attempts go; newer stays.
 */
import { describe, expect, it } from "vitest";
import { MEMORY_DATA_DIR, openDatabase } from "../lib/db";
import { loadOrCreateSigningKey } from "../lib/keys";
import { OtpHasher } from "../lib/otp";
import { rowCounts, rowsBefore } from "../lib/retention-test-support";
import { frozenClock } from "../lib/test-clock";
import { PasswordAttempts } from "./attempts";
import { EmailCodes } from "./codes";
import { sweepSupabase } from "./retention";
import { SUPABASE_AUTH_MIGRATIONS } from "./schema";
import { SessionService } from "./sessions";
import { createUser } from "./users";

const DAY = 24 * 3600;

describe("sweepSupabase", () => {
  it("removes a visitor's user with all it owns once older than the cutoff, and keeps newer ones", async () => {
    const db = await openDatabase(MEMORY_DATA_DIR, SUPABASE_AUTH_MIGRATIONS);
    try {
      const clock = frozenClock(1_800_000_000);
      const codes = new EmailCodes(db, new OtpHasher(new Uint8Array(32).fill(3)), clock.now);
      const sessions = new SessionService({
        db,
        signingKey: await loadOrCreateSigningKey(MEMORY_DATA_DIR),
        refreshTokenSecret: new Uint8Array(32).fill(5),
        issuer: () => "http://127.0.0.1:1/auth/v1",
        accessTokenTtlSeconds: 3600,
        reuseIntervalSeconds: 10,
        now: clock.now,
        variant: "standard",
      });
      const attempts = new PasswordAttempts(db, clock.now);
      const visit = async (email: string) => {
        await db.transaction(async (tx) => {
          const user = await createUser(tx, { email, passwordHash: null, data: {}, now: clock.now() });
          await codes.issue(tx, user.id, "signup");
          await sessions.create(tx, user.id, "otp");
        });
      };

      await visit("old@example.com");
      // (Only the old visit's: a later attempt would itself clear attempts older than its window.)
      await attempts.begin("old@example.com");
      clock.advance(2 * DAY);
      const cutoff = new Date(clock.now().getTime() - 1000);
      await visit("new@example.com");
      expect(await rowCounts(db)).toMatchObject({ users: 2, identities: 2, email_codes: 2, sessions: 2, refresh_tokens: 2 });

      // One row of each table belonged to the old visit (the password attempt too).
      expect(await sweepSupabase(db, cutoff)).toEqual({ removed: 6 });
      expect(await rowsBefore(db, cutoff)).toEqual({});
      expect((await db.query("SELECT email FROM users")).rows).toEqual([{ email: "new@example.com" }]);
      expect(await rowCounts(db)).toEqual({
        users: 1,
        identities: 1,
        email_codes: 1,
        sessions: 1,
        refresh_tokens: 1,
        password_attempts: 0,
      });
      expect(await sweepSupabase(db, cutoff)).toEqual({ removed: 0 });
    } finally {
      await db.close();
    }
  });
});
