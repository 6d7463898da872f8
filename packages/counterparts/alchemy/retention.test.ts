/**
 * Alchemy's retention sweep: signer users (and their stamping keys) created before the cutoff go,
 * stamping keys issued before the cutoff go, everything newer stays.
 */
import { describe, expect, it } from "vitest";
import { MEMORY_DATA_DIR, openDatabase } from "../lib/db";
import { rowCounts, rowsBefore } from "../lib/retention-test-support";
import { frozenClock } from "../lib/test-clock";
import { findOrCreateUser, registerApiKey } from "./accounts";
import { sweepAlchemy } from "./retention";
import { ALCHEMY_MIGRATIONS } from "./schema";

const DAY = 24 * 3600;
const identity = (subject: string) => ({ issuer: "http://localhost:3000", subject, audience: "byo-demo-project", authProvider: "oidc" });

describe("sweepAlchemy", () => {
  it("removes users created before the cutoff with their keys, and old keys of newer users", async () => {
    const db = await openDatabase(MEMORY_DATA_DIR, ALCHEMY_MIGRATIONS);
    try {
      const clock = frozenClock(1_800_000_000);
      const old = (await findOrCreateUser(db, identity("old"), clock.now())).user;
      await registerApiKey(db, {
        publicKey: "02aa",
        userId: old.userId,
        expiresAt: new Date(clock.now().getTime() + 900_000),
        now: clock.now(),
      });
      clock.advance(DAY - 60);
      const kept = (await findOrCreateUser(db, identity("kept"), clock.now())).user;
      // A stamping key of the kept user, issued before the cutoff.
      await registerApiKey(db, {
        publicKey: "02bb",
        userId: kept.userId,
        expiresAt: new Date(clock.now().getTime() + 900_000),
        now: clock.now(),
      });
      clock.advance(60);
      const cutoff = clock.now();
      // Kept user created after the cutoff.
      await db.query("UPDATE users SET created_at = $1 WHERE id = $2", [new Date(cutoff.getTime() + 1), kept.userId]);
      clock.advance(60);
      await registerApiKey(db, {
        publicKey: "02cc",
        userId: kept.userId,
        expiresAt: new Date(clock.now().getTime() + 900_000),
        now: clock.now(),
      });
      // The old user's key issued after the cutoff goes with its user.
      await registerApiKey(db, {
        publicKey: "02dd",
        userId: old.userId,
        expiresAt: new Date(clock.now().getTime() + 900_000),
        now: clock.now(),
      });

      expect(await sweepAlchemy(db, cutoff)).toEqual({ removed: 4 });
      expect(await rowsBefore(db, cutoff)).toEqual({});
      expect((await db.query("SELECT subject FROM users")).rows).toEqual([{ subject: "kept" }]);
      expect((await db.query("SELECT public_key FROM api_keys")).rows).toEqual([{ public_key: "02cc" }]);
      // The kept user still finds its wallet; the removed one would get a new one.
      expect((await findOrCreateUser(db, identity("kept"), clock.now())).isSignup).toBe(false);
      expect(await rowCounts(db)).toEqual({ users: 1, api_keys: 1 });
    } finally {
      await db.close();
    }
  });
});
