/**
 * The mailbox's retention sweep: messages received before the cutoff go, newer ones stay.
 */
import { describe, expect, it } from "vitest";
import { MEMORY_DATA_DIR, openDatabase } from "../lib/db";
import { frozenClock } from "../lib/test-clock";
import { MAILBOX_MIGRATIONS, MessageStore } from "./store";

describe("MessageStore.sweep", () => {
  it("removes messages received before the cutoff and keeps newer ones", async () => {
    const db = await openDatabase(MEMORY_DATA_DIR, MAILBOX_MIGRATIONS);
    try {
      const clock = frozenClock(1_800_000_000);
      const store = new MessageStore(db, clock.now);
      const mail = (to: string) => store.add({ from: "no-reply@example.com", to: [to], subject: "code", text: "123456" });
      await mail("old@example.com");
      await mail("old@example.com");
      clock.advance(2 * 24 * 3600);
      const cutoff = new Date(clock.now().getTime() - 1000);
      const kept = await mail("new@example.com");

      expect(await store.sweep(cutoff)).toBe(2);
      expect((await store.list()).map((m) => m.id)).toEqual([kept.id]);
      expect(await store.sweep(cutoff)).toBe(0);
    } finally {
      await db.close();
    }
  });
});
