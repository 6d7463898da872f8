// What several instances share through the database: sessions, counters, first-sign-in races,
// the Alchemy reservation, and migrations run by instances starting together. On PostgreSQL,
// "two instances" are two stores with two pools on one database.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import { freshPostgresSchema, ENGINES, sampleIdentity, type Engine } from "@/lib/store/testing/engines";
import { ceiling, createFailureThrottle } from "@/lib/security/failure-throttle";
import { openPostgresStore } from "./postgres";
import type { AppStore } from "./types";

const identity = sampleIdentity;

describe.each(ENGINES)("shared state on $name", (engine) => {
  let store: AppStore;
  /** A second instance on PostgreSQL; the same store on PGlite (single-process by design). */
  let other: AppStore;
  let opened: Awaited<ReturnType<Engine["open"]>>;
  beforeEach(async () => {
    opened = await engine.open();
    store = opened.store;
    other = engine.name === "postgres" ? await opened.reopen() : store;
  });
  afterEach(async () => {
    await opened.cleanup();
  });

  it("50 simultaneous first sign-ins of one new identity, on two instances, make one user and one identity", async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? other : store).linkIdentity(identity({ subject: "new-person" }))),
    );
    const users = new Set(results.map((r) => r.user.id));
    expect(users.size).toBe(1);
    expect(results.filter((r) => r.outcome === "created")).toHaveLength(1);
    expect(await store.listIdentities([...users][0]!)).toHaveLength(1);
  });

  it("two new identities with one verified email, signing in at once, end up on one user", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? other : store).linkIdentity(identity({ provider: i % 2 ? "oidc" : "password", subject: `s-${i % 2}` })),
      ),
    );
    expect(new Set(results.map((r) => r.user.id)).size).toBe(1);
  });

  it("a one-time code limit holds under parallel issues from two instances", async () => {
    const issue = (s: AppStore) =>
      s.createOneTimeCode(
        { purpose: "p", subject: "x@example.com", codeHash: "h", expiresAt: new Date(Date.now() + 60_000), maxAttempts: 5 },
        { max: 3, since: new Date(Date.now() - 3600_000) },
      );
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => issue(i % 2 ? other : store)));
    expect(results.filter(Boolean)).toHaveLength(3);
  });

  it("keeps JSON as JSON: profiles and wallet data come back as the objects that went in", async () => {
    const { user, identity: linked } = await store.linkIdentity(identity({ profile: { locale: "en", groups: ["a"] } }));
    expect(linked.profile).toEqual({ locale: "en", groups: ["a"] });
    await store.upsertWalletConnection({
      userId: user.id,
      provider: "moojo",
      status: "connected",
      address: "0x1",
      expiresAt: null,
      data: { n: 1, nested: { ok: true } },
    });
    expect((await other.getWalletConnection(user.id, "moojo"))?.data).toEqual({ n: 1, nested: { ok: true } });
    expect((await other.listIdentities(user.id))[0]?.profile).toEqual({ locale: "en", groups: ["a"] });
  });

  describe("sessions", () => {
    it("a session made on one instance is live on the other until revoked there; then on neither", async () => {
      const { user } = await store.linkIdentity(identity());
      const session = await store.createSession({
        userId: user.id,
        userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0",
        expiresAt: new Date(Date.now() + 3600_000),
      });
      expect((await other.getActiveSession(session.id, user.id))?.user.id).toBe(user.id);
      // Bound to its user: the id alone under another user's name is nothing.
      expect(await other.getActiveSession(session.id, "usr_someone_else")).toBeNull();
      expect(await other.revokeSession(session.id)).toBe(true);
      expect(await store.getActiveSession(session.id, user.id)).toBeNull();
      expect(await other.getActiveSession(session.id, user.id)).toBeNull();
      expect(await store.revokeSession(session.id)).toBe(false);
    });

    it("an expired session is not live", async () => {
      const { user } = await store.linkIdentity(identity());
      const session = await store.createSession({ userId: user.id, userAgent: null, expiresAt: new Date(Date.now() - 1000) });
      expect(await store.getActiveSession(session.id, user.id)).toBeNull();
    });

    it("lists live sessions, and 'sign out everywhere else' ends all but the current one", async () => {
      const { user } = await store.linkIdentity(identity());
      const { user: bob } = await store.linkIdentity(identity({ subject: "bob", email: "bob@example.com" }));
      const later = new Date(Date.now() + 3600_000);
      const [a, b, c] = await Promise.all(
        [1, 2, 3].map((n) => store.createSession({ userId: user.id, userAgent: `agent ${n}`, expiresAt: later })),
      );
      const bobs = await store.createSession({ userId: bob.id, userAgent: null, expiresAt: later });
      expect((await store.listSessions(user.id)).map((s) => s.id).sort()).toEqual([a!.id, b!.id, c!.id].sort());
      expect(await other.revokeOtherSessions(user.id, b!.id)).toBe(2);
      expect((await store.listSessions(user.id)).map((s) => s.id)).toEqual([b!.id]);
      expect(await store.getActiveSession(a!.id, user.id)).toBeNull();
      expect(await store.getActiveSession(b!.id, user.id)).not.toBeNull();
      expect(await store.getActiveSession(bobs.id, bob.id)).not.toBeNull();
    });

    it("deleting a user ends their sessions", async () => {
      const { user } = await store.linkIdentity(identity());
      const session = await store.createSession({ userId: user.id, userAgent: null, expiresAt: new Date(Date.now() + 3600_000) });
      await other.deleteUser(user.id);
      expect(await store.getActiveSession(session.id, user.id)).toBeNull();
      expect(await store.listSessions(user.id)).toEqual([]);
    });
  });

  describe("counters", () => {
    it("read-modify-write never loses its row to a concurrent delete: 60 updates from two instances, a third of them deleting", async () => {
      // A caller that clears the counter (next: null) deletes the row; the others must still
      // find (or make) one to lock instead of failing, which a limiter turns into a refusal.
      const step = (s: AppStore, i: number) =>
        s.updateCounter("race", (current, nowMs) =>
          i % 3 === 0
            ? { next: null, result: "cleared" }
            : {
                next: { first: current?.first ?? nowMs, last: nowMs, count: (current?.count ?? 0) + 1, expiresAt: nowMs + 60_000 },
                result: "counted",
              },
        );
      const results = await Promise.all(Array.from({ length: 60 }, (_, i) => step(i % 2 ? other : store, i)));
      expect(results.filter((r) => r === "cleared")).toHaveLength(20);
      expect(results.filter((r) => r === "counted")).toHaveLength(40);
    });

    it("a fixed window counts hits from both instances, atomically, and restarts after the window", async () => {
      const t0 = new Date("2030-01-01T00:00:00Z");
      const counts = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).hitWindow("k", 60_000, t0)));
      expect(counts.map((c) => c.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(counts[0]!.resetMs).toBe(60_000);
      const later = await store.hitWindow("k", 60_000, new Date(t0.getTime() + 59_000));
      expect(later).toEqual({ count: 21, resetMs: 1000 });
      expect((await other.hitWindow("k", 60_000, new Date(t0.getTime() + 60_000))).count).toBe(1);
      expect((await other.hitWindow("other-key", 60_000, t0)).count).toBe(1);
    });

    it("read-modify-write updates from both instances never lose one", async () => {
      const bump = (s: AppStore) =>
        s.updateCounter("rmw", (current, now) => {
          const count = (current?.count ?? 0) + 1;
          return { next: { first: current?.first ?? now, last: now, count, expiresAt: now + 60_000 }, result: count };
        });
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => bump(i % 2 ? other : store)));
      expect(results.sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      await store.deleteCounter("rmw");
      expect(await bump(other)).toBe(1);
    });

    it("a failure throttle under a parallel burst from both instances, on the database's real clock, refuses nothing it should allow", async () => {
      // Per-email ceiling of 100: 40 parallel attempts are all allowed, then exactly 60 more.
      const throttle = (s: AppStore) => createFailureThrottle(s, "burst", { delayMs: ceiling(100), windowMs: 3600_000 });
      const first = await Promise.all(Array.from({ length: 40 }, (_, i) => throttle(i % 2 ? other : store).attempt("owner@example.com")));
      expect(first.filter((v) => !v.allowed)).toEqual([]);
      const second = await Promise.all(Array.from({ length: 70 }, (_, i) => throttle(i % 2 ? other : store).attempt("owner@example.com")));
      expect(second.filter((v) => v.allowed)).toHaveLength(60);
    });

    it("an expired counter reads as missing", async () => {
      const t0 = new Date("2030-01-01T00:00:00Z");
      const set = (now: Date) =>
        store.updateCounter(
          "exp",
          (current, n) => ({ next: { first: n, last: n, count: (current?.count ?? 0) + 1, expiresAt: n + 1000 }, result: current }),
          now,
        );
      expect(await set(t0)).toBeNull();
      expect((await set(new Date(t0.getTime() + 500)))?.count).toBe(1);
      expect(await set(new Date(t0.getTime() + 5000))).toBeNull();
    });
  });

  describe("Alchemy reservation (check and write in one statement)", () => {
    const reservation = (userId: string) => ({
      userId,
      provider: "alchemy" as const,
      status: "pending" as const,
      address: "0xreserved",
      expiresAt: null,
      data: { pregenerated: true },
    });

    it("never overwrites a connection or a login in progress; takes an abandoned login's place", async () => {
      const { user } = await store.linkIdentity(identity());
      expect(await store.reserveWalletConnection(reservation(user.id))).toBe(true);
      expect(await other.reserveWalletConnection({ ...reservation(user.id), address: "0xagain" })).toBe(true);
      await store.upsertWalletConnection({
        userId: user.id,
        provider: "alchemy",
        status: "pending",
        address: null,
        expiresAt: new Date(Date.now() + 60_000),
        data: { orgId: "o" },
      });
      expect(await other.reserveWalletConnection(reservation(user.id))).toBe(false);
      expect(await store.reserveWalletConnection(reservation(user.id), new Date(Date.now() + 120_000))).toBe(true);
      await store.upsertWalletConnection({
        userId: user.id,
        provider: "alchemy",
        status: "connected",
        address: "0xreal",
        expiresAt: new Date(Date.now() - 1000),
        data: { orgId: "o" },
      });
      expect(await other.reserveWalletConnection(reservation(user.id))).toBe(false);
      expect((await store.getWalletConnection(user.id, "alchemy"))?.address).toBe("0xreal");
    });
  });
});

describe("migrations on PostgreSQL", () => {
  it("four instances starting at once on an empty database apply each migration exactly once", async () => {
    const { url, drop } = await freshPostgresSchema();
    try {
      const stores = await Promise.all([1, 2, 3, 4].map(() => openPostgresStore(url)));
      const client = new pg.Client(url);
      await client.connect();
      const { rows } = await client.query<{ version: number }>(`SELECT version FROM schema_migrations ORDER BY version`);
      await client.end();
      expect(rows.map((r) => r.version)).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
      expect(rows.length).toBeGreaterThanOrEqual(6);
      const { user } = await stores[0]!.linkIdentity(identity());
      expect((await stores[3]!.getUser(user.id))?.id).toBe(user.id);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await drop();
    }
  });
});
