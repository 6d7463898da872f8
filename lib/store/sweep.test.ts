import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppStore } from "./types";
import { ENGINES, sampleIdentity, type Engine } from "@/lib/store/testing/engines";

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(ENGINES)("demo retention sweep on $name", (engine) => {
  let store: AppStore;
  let opened: Awaited<ReturnType<Engine["open"]>>;
  beforeEach(async () => {
    opened = await engine.open();
    store = opened.store;
  });
  afterEach(async () => {
    await opened.cleanup();
  });

  async function someone(n: string) {
    const { user } = await store.linkIdentity(sampleIdentity({ subject: `sweep-${n}`, email: `${n}@sweep.test` }));
    const session = await store.createSession({ userId: user.id, userAgent: null, expiresAt: new Date(Date.now() + 3600_000) });
    await store.createPasswordCredential({ email: `${n}@sweep.test`, passwordHash: "x", name: null });
    await store.createOneTimeCode(
      { purpose: "test", subject: `${n}@sweep.test`, codeHash: "h", expiresAt: new Date(Date.now() + 600_000), maxAttempts: 5 },
      { max: 5, since: new Date(Date.now() - 600_000) },
    );
    return { user, session };
  }

  it("removes what was created before the cutoff, with its sessions, and keeps what came after", async () => {
    const old = await someone("old");
    await pause(250);
    const cutoff = new Date();
    await pause(250);
    const recent = await someone("recent");

    expect(await store.sweepDataCreatedBefore(cutoff)).toEqual({ users: 1, passwordAccounts: 1, codes: 1, counters: 0 });

    expect(await store.getUser(old.user.id)).toBeNull();
    expect(await store.getActiveSession(old.session.id, old.user.id)).toBeNull();
    expect(await store.findPasswordCredential("old@sweep.test")).toBeNull();
    expect(await store.latestOneTimeCode("test", "old@sweep.test")).toBeNull();

    expect(await store.getUser(recent.user.id)).not.toBeNull();
    expect(await store.getActiveSession(recent.session.id, recent.user.id)).not.toBeNull();
    expect(await store.findPasswordCredential("recent@sweep.test")).not.toBeNull();
    expect(await store.latestOneTimeCode("test", "recent@sweep.test")).not.toBeNull();

    // Idempotent: a second sweep (another instance's, say) finds nothing left.
    expect(await store.sweepDataCreatedBefore(cutoff)).toEqual({ users: 0, passwordAccounts: 0, codes: 0, counters: 0 });
  });
});
