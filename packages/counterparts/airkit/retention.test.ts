/**
 * AIR Kit's retention sweep: accounts (and all they own) created before the cutoff go, pending
 * codes and sessions older than the cutoff go, everything newer stays.
 */
import { describe, expect, it } from "vitest";
import { MEMORY_DATA_DIR, openDatabase } from "../lib/db";
import { loadOrCreateSigningKey } from "../lib/keys";
import { OtpHasher } from "../lib/otp";
import { rowCounts, rowsBefore } from "../lib/retention-test-support";
import { frozenClock } from "../lib/test-clock";
import { ensureAccount, upsertPartnerLink } from "./accounts";
import { ChallengeStore } from "./challenges";
import { MfaEnrolment } from "./mfa";
import { sweepAirKit } from "./retention";
import { AIRKIT_MIGRATIONS } from "./schema";
import { SessionManager } from "./sessions";

const DAY = 24 * 3600;

describe("sweepAirKit", () => {
  it("removes a visitor's account with everything it owns once it is older than the cutoff, and keeps newer ones", async () => {
    const db = await openDatabase(MEMORY_DATA_DIR, AIRKIT_MIGRATIONS);
    try {
      const clock = frozenClock(1_800_000_000);
      const challenges = new ChallengeStore(db, new OtpHasher(new Uint8Array(32).fill(7)), clock.now);
      const sessions = new SessionManager({
        db,
        signingKey: await loadOrCreateSigningKey(MEMORY_DATA_DIR),
        ttlSeconds: 3600,
        now: clock.now,
      });
      const mfa = new MfaEnrolment(db, clock.now);
      const visit = async (email: string) => {
        await challenges.create({ email, partnerId: "demo-partner" });
        const account = await ensureAccount(db, email, clock.now());
        const linked = await upsertPartnerLink(db, account, "demo-partner", `usr_${email}`, clock.now());
        await sessions.issue(db, linked, { partnerUserId: true, typAndKid: true });
        await mfa.start(account, "http://localhost:3000");
      };

      await visit("old@example.com");
      clock.advance(2 * DAY);
      const cutoff = new Date(clock.now().getTime() - 1000);
      await visit("new@example.com");
      const before = await rowCounts(db);
      expect(before).toMatchObject({ accounts: 2, partner_links: 2, sessions: 2, otp_challenges: 2, mfa_challenges: 2 });

      // One row of each kind belonged to the old visit.
      expect(await sweepAirKit(db, cutoff)).toEqual({ removed: 5 });
      expect(await rowsBefore(db, cutoff)).toEqual({});
      expect(await rowCounts(db)).toMatchObject({ accounts: 1, partner_links: 1, sessions: 1, otp_challenges: 1, mfa_challenges: 1 });
      const left = await db.query<{ email: string }>("SELECT email FROM accounts");
      expect(left.rows).toEqual([{ email: "new@example.com" }]);

      // Idempotent: nothing more to remove at the same cutoff.
      expect(await sweepAirKit(db, cutoff)).toEqual({ removed: 0 });
    } finally {
      await db.close();
    }
  });

  it("removes an old account's sessions even when they were issued after the cutoff", async () => {
    const db = await openDatabase(MEMORY_DATA_DIR, AIRKIT_MIGRATIONS);
    try {
      const clock = frozenClock(1_800_000_000);
      const sessions = new SessionManager({
        db,
        signingKey: await loadOrCreateSigningKey(MEMORY_DATA_DIR),
        ttlSeconds: 3600,
        now: clock.now,
      });
      const account = await ensureAccount(db, "old@example.com", clock.now());
      clock.advance(DAY);
      const cutoff = clock.now();
      clock.advance(60);
      await sessions.issue(db, await upsertPartnerLink(db, account, "demo-partner", undefined, clock.now()), {
        partnerUserId: true,
        typAndKid: true,
      });

      expect(await sweepAirKit(db, cutoff)).toEqual({ removed: 3 });
      expect(await rowCounts(db)).toMatchObject({ accounts: 0, partner_links: 0, sessions: 0 });
    } finally {
      await db.close();
    }
  });
});
