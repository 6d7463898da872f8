/**
 * Moojo's retention sweep: users created before the cutoff go with their tokens and credentials;
 * the app's credential definitions and the counterpart's settings stay.
 */
import { describe, expect, it } from "vitest";
import { MEMORY_DATA_DIR, openDatabase } from "../lib/db";
import { rowCounts, rowsBefore } from "../lib/retention-test-support";
import { frozenClock } from "../lib/test-clock";
import { addCredential, addCredentialBody, defineCredential, defineCredentialBody } from "./credentials";
import { sweepMoojo } from "./retention";
import { MOOJO_MIGRATIONS } from "./schema";
import { issueAccessToken, upsertUser } from "./store";

const DAY = 24 * 3600;

describe("sweepMoojo", () => {
  it("removes users created before the cutoff with their tokens and credentials, keeps newer users and the definitions", async () => {
    const db = await openDatabase(MEMORY_DATA_DIR, MOOJO_MIGRATIONS);
    try {
      const clock = frozenClock(1_800_000_000);
      await db.query("INSERT INTO settings (key, value) VALUES ('probe', 'kept')");
      const { definition } = await db.transaction((tx) =>
        defineCredential(
          tx,
          defineCredentialBody.parse({ slug: "demo-member", fieldDefinitions: [{ name: "level", type: "string" }] }),
          clock.now(),
        ),
      );
      const visit = async (uid: string) => {
        const user = await upsertUser(db, { firebaseProjectId: "demo-byo-auth", firebaseUid: uid }, clock.now());
        await issueAccessToken(db, user.id, clock.now(), 3600);
        await db.transaction((tx) =>
          addCredential(
            tx,
            addCredentialBody.parse({ publicUserId: user.id, slug: definition.slug, fields: { level: "gold" } }),
            clock.now(),
          ),
        );
        return user;
      };
      await visit("old-uid");
      clock.advance(2 * DAY);
      const cutoff = new Date(clock.now().getTime() - 1000);
      await visit("new-uid");
      const before = await rowCounts(db);

      expect(await sweepMoojo(db, cutoff)).toEqual({ removed: 3 });
      // The definition (app configuration) is the only old row left.
      expect(await rowsBefore(db, cutoff)).toEqual({ credential_definitions: 1 });
      expect((await db.query("SELECT firebase_uid FROM users")).rows).toEqual([{ firebase_uid: "new-uid" }]);
      expect(await rowCounts(db)).toEqual({ ...before, users: 1, access_tokens: 1, credentials: 1 });
      expect(before).toMatchObject({ users: 2, access_tokens: 2, credentials: 2, credential_definitions: 1 });
    } finally {
      await db.close();
    }
  });
});
