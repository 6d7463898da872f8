import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPgliteStore, UNKNOWN_ISSUER } from "./pglite";
import type { AppStore } from "./types";
import { ENGINES, sampleIdentity, type Engine } from "@/lib/store/testing/engines";

const identity = sampleIdentity;

describe.each(ENGINES)("store on $name", (engine) => {
  let store: AppStore;
  let opened: Awaited<ReturnType<Engine["open"]>>;
  beforeEach(async () => {
    opened = await engine.open();
    store = opened.store;
  });
  afterEach(async () => {
    await opened.cleanup();
  });

  it("maps a returning identity to the same user", async () => {
    const first = await store.linkIdentity(identity({}));
    const again = await store.linkIdentity(identity({ name: "Ada L." }));
    expect(first.outcome).toBe("created");
    expect(again.outcome).toBe("returning");
    expect(again.user.id).toBe(first.user.id);
    expect(again.identity.name).toBe("Ada L.");
  });

  it("links a second provider only through a verified email on both sides", async () => {
    const oidc = await store.linkIdentity(identity({}));
    const password = await store.linkIdentity(identity({ provider: "password", subject: "pwd-1" }));
    expect(password.outcome).toBe("linked_by_verified_email");
    expect(password.user.id).toBe(oidc.user.id);
    expect((await store.listIdentities(oidc.user.id)).map((i) => i.provider)).toEqual(["oidc", "password"]);
  });

  it("never links through an unverified email (account takeover guard)", async () => {
    const victim = await store.linkIdentity(identity({}));
    const attacker = await store.linkIdentity(identity({ provider: "password", subject: "pwd-x", emailVerified: false }));
    expect(attacker.outcome).toBe("created");
    expect(attacker.user.id).not.toBe(victim.user.id);
    // and a verified identity does not join a user whose own email was never verified
    const later = await store.linkIdentity(identity({ provider: "supabase", subject: "sb-1" }));
    expect(later.user.id).toBe(victim.user.id);
  });

  it("never links an emulator identity (linkByEmail false) by email, in either direction", async () => {
    const fb = { provider: "firebase" as const, issuer: "https://securetoken.google.com/demo-x", linkByEmail: false };
    // The victim signed in first; an emulator account claiming their verified address gets its own user.
    const victim = await store.linkIdentity(identity({}));
    const intruder = await store.linkIdentity(identity({ ...fb, subject: "emu-1" }));
    expect(intruder.outcome).toBe("created");
    expect(intruder.user.id).not.toBe(victim.user.id);
    expect(intruder.user.emailVerified).toBe(false);
    // Signing in again with it does not make its user a link target either.
    expect((await store.linkIdentity(identity({ ...fb, subject: "emu-1" }))).user.id).toBe(intruder.user.id);
    // An emulator account planted first is never joined by the real owner's identity.
    const planted = await store.linkIdentity(identity({ ...fb, subject: "emu-2", email: "grace@example.com" }));
    const grace = await store.linkIdentity(identity({ subject: "oidc-grace", email: "grace@example.com" }));
    expect(grace.outcome).toBe("created");
    expect(grace.user.id).not.toBe(planted.user.id);
  });

  it("treats issuer spellings that OIDC treats as one (trailing slash) as one", async () => {
    const ada = await store.linkIdentity(identity({}));
    expect((await store.linkIdentity(identity({ issuer: "https://issuer.example/" }))).user.id).toBe(ada.user.id);
  });

  it("keys identities by issuer: the same subject from another tenant is someone else", async () => {
    const ada = await store.linkIdentity(identity({}));
    // A new OpenID Provider that happens to reuse the subject (and vouches for no email).
    const stranger = await store.linkIdentity(identity({ issuer: "https://other-tenant.example", emailVerified: false }));
    expect(stranger.outcome).toBe("created");
    expect(stranger.user.id).not.toBe(ada.user.id);
    expect((await store.linkIdentity(identity({}))).user.id).toBe(ada.user.id);
  });

  it("survives a restart", async () => {
    const { user } = await store.linkIdentity(identity({}));
    store = await opened.reopen();
    expect((await store.getUser(user.id))?.email).toBe("ada@example.com");
  });

  it("consumes a one-time code exactly once", async () => {
    const code = (await store.createOneTimeCode(
      { purpose: "t", subject: "s", codeHash: "h", expiresAt: new Date(Date.now() + 60_000), maxAttempts: 3 },
      { max: 5, since: new Date(0) },
    ))!;
    const results = await Promise.all([store.consumeOneTimeCode(code.id), store.consumeOneTimeCode(code.id)]);
    expect(results.sort()).toEqual([false, true]);
  });

  it("lets a new sign-up replace an unconfirmed account, never a confirmed one", async () => {
    const squatter = (await store.createPasswordCredential({ email: "owner@example.com", passwordHash: "attacker", name: null }))!;
    const owner = (await store.replaceUnverifiedPasswordCredential({ email: "Owner@example.com", passwordHash: "owner", name: null }))!;
    expect(owner.id).not.toBe(squatter.id);
    await store.markPasswordEmailVerified(squatter.id); // an old code's id: confirms nothing
    expect((await store.findPasswordCredential("owner@example.com"))?.emailVerifiedAt).toBeNull();
    await store.markPasswordEmailVerified(owner.id);
    expect((await store.findPasswordCredential("owner@example.com"))?.emailVerifiedAt).not.toBeNull();
    expect(await store.replaceUnverifiedPasswordCredential({ email: "owner@example.com", passwordHash: "late", name: null })).toBeNull();
  });

  it("rejects a second password credential for the same email, case-insensitively", async () => {
    expect(await store.createPasswordCredential({ email: "Bob@Example.com", passwordHash: "x", name: null })).not.toBeNull();
    expect(await store.createPasswordCredential({ email: "bob@example.com", passwordHash: "y", name: null })).toBeNull();
  });

  it("keeps a wallet secret apart from the connection's data: never listed, kept by upserts, gone with the connection", async () => {
    const { user } = await store.linkIdentity(identity({}));
    const connection = {
      userId: user.id,
      provider: "moojo" as const,
      status: "connected" as const,
      address: "0x02",
      expiresAt: null,
      data: { shown: true },
    };
    await store.setWalletSecret(user.id, "moojo", "sealed"); // no connection yet: nothing to attach to
    expect(await store.getWalletSecret(user.id, "moojo")).toBeNull();
    await store.upsertWalletConnection(connection);
    await store.setWalletSecret(user.id, "moojo", "sealed");
    await store.upsertWalletConnection({ ...connection, data: { shown: "again" } });
    expect(await store.getWalletSecret(user.id, "moojo")).toBe("sealed");
    expect(JSON.stringify(await store.listWalletConnections(user.id))).not.toContain("sealed");
    await store.deleteWalletConnections(user.id);
    await store.upsertWalletConnection(connection);
    expect(await store.getWalletSecret(user.id, "moojo")).toBeNull();
  });

  it("starts a connection in one statement: data merged, a kept status keeps its address and expiry, any other becomes pending", async () => {
    const { user } = await store.linkIdentity(identity({}));
    const keep = ["connected", "connected_without_address"] as const;
    await store.startWalletConnection(user.id, "airkit", { partnerToken: { n: 1 } }, keep);
    expect(await store.getWalletConnection(user.id, "airkit")).toMatchObject({
      status: "pending",
      address: null,
      expiresAt: null,
      data: { partnerToken: { n: 1 } },
    });

    const expiresAt = new Date("2030-01-01T00:00:00Z");
    await store.upsertWalletConnection({
      userId: user.id,
      provider: "airkit",
      status: "connected",
      address: "0xabc",
      expiresAt,
      data: { airUserId: "air-1", partnerToken: { n: 1 } },
    });
    await store.setWalletSecret(user.id, "airkit", "sealed");
    await store.startWalletConnection(user.id, "airkit", { partnerToken: { n: 2 } }, keep);
    expect(await store.getWalletConnection(user.id, "airkit")).toMatchObject({
      status: "connected",
      address: "0xabc",
      expiresAt,
      data: { airUserId: "air-1", partnerToken: { n: 2 } },
    });
    expect(await store.getWalletSecret(user.id, "airkit")).toBe("sealed");

    // A status outside `keep` restarts: pending, no address, no expiry; the other data stays.
    await store.startWalletConnection(user.id, "airkit", { partnerToken: { n: 3 } }, ["connected_without_address"]);
    expect(await store.getWalletConnection(user.id, "airkit")).toMatchObject({
      status: "pending",
      address: null,
      expiresAt: null,
      data: { airUserId: "air-1", partnerToken: { n: 3 } },
    });
    // Per provider: another provider's connection is untouched.
    expect(await store.getWalletConnection(user.id, "turnkey")).toBeNull();
  });

  it("records one Firebase uid per user and project, first claim wins, never shared", async () => {
    const { user: ada } = await store.linkIdentity(identity({}));
    const { user: bob } = await store.linkIdentity(identity({ subject: "sub-2", email: "bob@example.com" }));
    const project = "https://securetoken.google.com/p";
    expect(await store.claimFirebaseUid(ada.id, project, "uid-a")).toBe("uid-a");
    expect(await store.claimFirebaseUid(ada.id, project, "uid-later")).toBe("uid-a");
    expect(await store.claimFirebaseUid(bob.id, project, "uid-a")).toBeNull();
    expect(await store.claimFirebaseUid(ada.id, "https://securetoken.google.com/q", "uid-q")).toBe("uid-q");
  });

  it("binds a wallet account to its first user for good: sign-out (deleting connections) does not free it", async () => {
    const ada = (await store.linkIdentity(identity({}))).user;
    const bob = (await store.linkIdentity(identity({ subject: "sub-2", email: "bob@example.com" }))).user;
    expect(await store.claimWalletAccount("airkit", "air-1", ada.id)).toBe(ada.id);
    expect(await store.claimWalletAccount("airkit", "air-1", ada.id)).toBe(ada.id);
    await store.deleteWalletConnections(ada.id);
    expect(await store.claimWalletAccount("airkit", "air-1", bob.id)).toBe(ada.id);
    // Account ids are per provider.
    expect(await store.claimWalletAccount("turnkey", "air-1", bob.id)).toBe(bob.id);
    const raced = await Promise.all([
      store.claimWalletAccount("airkit", "air-2", ada.id),
      store.claimWalletAccount("airkit", "air-2", bob.id),
    ]);
    expect(raced[0]).toBe(raced[1]);
  });
  it("remembers each user's previous wallets through sign-out, only live connections with an address, never another user's", async () => {
    const ada = (await store.linkIdentity(identity({}))).user;
    const bob = (await store.linkIdentity(identity({ subject: "sub-2", email: "bob@example.com" }))).user;
    const wallet = { expiresAt: null, data: {} };
    // Starting to connect, or a session without an address, is not a wallet to reconnect.
    await store.upsertWalletConnection({ ...wallet, userId: ada.id, provider: "turnkey", status: "pending", address: null });
    await store.upsertWalletConnection({
      ...wallet,
      userId: ada.id,
      provider: "airkit",
      status: "connected_without_address",
      address: null,
    });
    expect(await store.listPreviousWallets(ada.id)).toEqual([]);

    await store.upsertWalletConnection({ ...wallet, userId: ada.id, provider: "turnkey", status: "connected", address: "0xabc" });
    await store.upsertWalletConnection({ ...wallet, userId: bob.id, provider: "turnkey", status: "connected", address: "0xbob" });
    const [first] = await store.listPreviousWallets(ada.id);
    expect(first).toMatchObject({ provider: "turnkey", address: "0xabc" });

    // Sign-out deletes the connections; the previous wallets stay, each user's own.
    await store.deleteWalletConnections(ada.id);
    await store.deleteWalletConnections(bob.id);
    expect(await store.listWalletConnections(ada.id)).toEqual([]);
    expect((await store.listPreviousWallets(ada.id)).map((w) => [w.provider, w.address])).toEqual([["turnkey", "0xabc"]]);
    expect((await store.listPreviousWallets(bob.id)).map((w) => [w.provider, w.address])).toEqual([["turnkey", "0xbob"]]);

    // Reconnecting the same address keeps when it was first connected; a pending step in between changes nothing.
    await new Promise((r) => setTimeout(r, 5));
    await store.upsertWalletConnection({ ...wallet, userId: ada.id, provider: "turnkey", status: "pending", address: null });
    await store.upsertWalletConnection({ ...wallet, userId: ada.id, provider: "turnkey", status: "connected", address: "0xabc" });
    const [again] = await store.listPreviousWallets(ada.id);
    expect(again!.firstConnectedAt).toEqual(first!.firstConnectedAt);
    expect(again!.lastConnectedAt.getTime()).toBeGreaterThan(first!.lastConnectedAt.getTime());
    // Another address replaces it; most recently connected first.
    await new Promise((r) => setTimeout(r, 5));
    await store.upsertWalletConnection({ ...wallet, userId: ada.id, provider: "alchemy", status: "connected", address: "0xdef" });
    await store.upsertWalletConnection({ ...wallet, userId: ada.id, provider: "alchemy", status: "connected", address: "0x123" });
    const list = await store.listPreviousWallets(ada.id);
    expect(list.map((w) => [w.provider, w.address])).toEqual([
      ["alchemy", "0x123"],
      ["turnkey", "0xabc"],
    ]);
    expect(list[0]!.firstConnectedAt.getTime()).toBeGreaterThan(again!.lastConnectedAt.getTime());

    // Gone with the user.
    await store.deleteUser(ada.id);
    expect(await store.listPreviousWallets(ada.id)).toEqual([]);
    expect(await store.listPreviousWallets(bob.id)).toHaveLength(1);
  });

  describe("attachIdentity (explicit account linking)", () => {
    const fb = { provider: "firebase" as const, issuer: "https://securetoken.google.com/demo-x", linkByEmail: false };

    it("attaches a new identity to the given user, idempotently, without changing the user's email or its verification", async () => {
      const ada = (await store.linkIdentity(identity({}))).user;
      const first = await store.attachIdentity(
        ada.id,
        identity({ ...fb, subject: "fb-ada", email: "other@example.com", emailVerified: true }),
      );
      expect(first).toMatchObject({ outcome: "linked", identity: { userId: ada.id, provider: "firebase", subject: "fb-ada" } });
      const again = await store.attachIdentity(ada.id, identity({ ...fb, subject: "fb-ada", email: "changed@example.com" }));
      expect(again).toMatchObject({ outcome: "already_linked", identity: { userId: ada.id, email: "other@example.com" } });
      expect((await store.listIdentities(ada.id)).map((i) => i.provider)).toEqual(["oidc", "firebase"]);
      expect(await store.getUser(ada.id)).toMatchObject({ email: ada.email, emailVerified: true });
      // A later sign-in with the linked identity reaches the same user.
      expect((await store.linkIdentity(identity({ ...fb, subject: "fb-ada" }))).user.id).toBe(ada.id);
    });

    it("never moves an identity that belongs to another user", async () => {
      const owner = (await store.linkIdentity(identity({ ...fb, subject: "fb-1" }))).user;
      const other = (await store.linkIdentity(identity({ subject: "oidc-other", email: "other@example.com" }))).user;
      const result = await store.attachIdentity(other.id, identity({ ...fb, subject: "fb-1" }));
      expect(result).toMatchObject({ outcome: "linked_elsewhere", identity: { userId: owner.id } });
      expect((await store.listIdentities(other.id)).map((i) => i.provider)).toEqual(["oidc"]);
      expect((await store.listIdentities(owner.id)).map((i) => i.subject)).toEqual(["fb-1"]);
    });

    it("keys by issuer too: the same subject from another Firebase project is another identity", async () => {
      const owner = (await store.linkIdentity(identity({ ...fb, subject: "fb-2" }))).user;
      const other = (await store.linkIdentity(identity({ subject: "oidc-2", email: "two@example.com" }))).user;
      expect(
        (await store.attachIdentity(other.id, identity({ ...fb, issuer: "https://securetoken.google.com/demo-y", subject: "fb-2" })))
          .outcome,
      ).toBe("linked");
      expect(await store.listIdentities(owner.id)).toHaveLength(1);
    });

    it("decides a race of two links of one identity to two users: exactly one owner", async () => {
      const a = (await store.linkIdentity(identity({ subject: "oidc-a", email: "a@example.com" }))).user;
      const b = (await store.linkIdentity(identity({ subject: "oidc-b", email: "b@example.com" }))).user;
      const results = await Promise.all([
        store.attachIdentity(a.id, identity({ ...fb, subject: "fb-raced" })),
        store.attachIdentity(b.id, identity({ ...fb, subject: "fb-raced" })),
        store.attachIdentity(a.id, identity({ ...fb, subject: "fb-raced" })),
        store.attachIdentity(b.id, identity({ ...fb, subject: "fb-raced" })),
      ]);
      expect(results.filter((r) => r.outcome === "linked")).toHaveLength(1);
      const owner = results.find((r) => r.outcome === "linked")!.identity.userId;
      for (const r of results) expect(r.identity.userId).toBe(owner);
      const owned = [...(await store.listIdentities(a.id)), ...(await store.listIdentities(b.id))].filter((i) => i.subject === "fb-raced");
      expect(owned).toHaveLength(1);
    });
  });

  it("sign challenges: open ones are capped per user and provider, consumed once, never by another user, expired ones pruned", async () => {
    const ada = (await store.linkIdentity(identity({ subject: "sc-ada" }))).user.id;
    const eve = (await store.linkIdentity(identity({ subject: "sc-eve", email: "eve@example.com" }))).user.id;
    const now = new Date("2030-01-01T00:00:00Z");
    const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    const challenge = (nonce: string, userId = ada) => ({
      nonce,
      userId,
      provider: "alchemy" as const,
      address: "0xabc",
      message: `m ${nonce}`,
      expiresAt: later(300),
    });
    const limit = { maxOpen: 2, now, pruneBefore: new Date(0) };

    expect(await store.createSignChallenge(challenge("n1"), limit)).toMatchObject({ nonce: "n1", usedAt: null, createdAt: now });
    expect(await store.createSignChallenge(challenge("n2"), limit)).not.toBeNull();
    expect(await store.createSignChallenge(challenge("n3"), limit)).toBeNull();
    // Another provider's and another user's budgets are their own.
    expect(await store.createSignChallenge({ ...challenge("n4"), provider: "airkit" }, limit)).not.toBeNull();
    expect(await store.createSignChallenge(challenge("n5", eve), limit)).not.toBeNull();

    expect(await store.consumeSignChallenge("n1", eve, "alchemy")).toEqual({ outcome: "unknown" });
    expect(await store.consumeSignChallenge("n1", ada, "airkit")).toEqual({ outcome: "unknown" });
    const raced = await Promise.all([store.consumeSignChallenge("n1", ada, "alchemy"), store.consumeSignChallenge("n1", ada, "alchemy")]);
    expect(raced.map((r) => r.outcome).sort()).toEqual(["already_used", "consumed"]);
    // A used challenge no longer counts as open.
    expect(await store.createSignChallenge(challenge("n6"), limit)).not.toBeNull();

    // Expired before `pruneBefore`: deleted when this user next asks for one.
    await store.createSignChallenge(challenge("n7"), { maxOpen: 10, now: later(3600), pruneBefore: later(301) });
    expect(await store.consumeSignChallenge("n2", ada, "alchemy")).toEqual({ outcome: "unknown" });
    expect((await store.consumeSignChallenge("n5", eve, "alchemy")).outcome).toBe("consumed");
  });
});

describe("PGlite store upgrades", () => {
  let dir: string;
  let store: AppStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "store-"));
    store = await openPgliteStore(dir);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("upgrades a folder from before issuers were recorded: old identities get the issuer configured at that start", async () => {
    await store.close();
    // Build a version-1 database by hand: the first migration only, identities without issuer.
    const { PGlite } = await import("@electric-sql/pglite");
    rmSync(dir, { recursive: true, force: true });
    const old = new PGlite(dir);
    const { MIGRATIONS } = await import("./pglite");
    await old.exec(`CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    await old.exec(MIGRATIONS[0]!);
    await old.exec(`INSERT INTO schema_migrations (version) VALUES (1)`);
    await old.exec(
      `INSERT INTO users (id, email, email_verified) VALUES ('usr_old', 'ada@example.com', true), ('usr_pw', 'pw@example.com', true), ('usr_sb', 'sb@example.com', true)`,
    );
    await old.exec(`INSERT INTO identities (provider, subject, user_id, email, email_verified) VALUES
      ('oidc', 'sub-1', 'usr_old', 'ada@example.com', true),
      ('password', 'pwd_1', 'usr_pw', 'pw@example.com', true),
      ('supabase', 'sb-1', 'usr_sb', 'sb@example.com', true)`);
    await old.close();

    // Configured without the trailing slash the provider's tokens carry: the same issuer.
    store = await openPgliteStore(dir, { issuers: { oidc: "https://issuer.example" } });
    // Another tenant presenting the same subject first does NOT get the old account...
    const other = await store.linkIdentity(identity({ issuer: "https://other-tenant.example", emailVerified: false }));
    expect(other.user.id).not.toBe("usr_old");
    // ...the configured issuer does.
    expect(await store.linkIdentity(identity({}))).toMatchObject({ outcome: "returning", user: { id: "usr_old" } });
    const byProvider = Object.fromEntries(
      [
        ...(await store.listIdentities("usr_old")),
        ...(await store.listIdentities("usr_pw")),
        ...(await store.listIdentities("usr_sb")),
      ].map((i) => [i.provider, i.issuer]),
    );
    // Password rows know their issuer; a provider not configured at that first start gets an
    // issuer nobody matches, and keeps it when one is configured later (maybe another tenant).
    expect(byProvider).toEqual({ oidc: "https://issuer.example/", password: "app:password", supabase: UNKNOWN_ISSUER });
    await store.close();
    store = await openPgliteStore(dir, { issuers: { oidc: "https://issuer.example", supabase: "https://new-project.example/auth/v1" } });
    expect((await store.listIdentities("usr_sb"))[0]?.issuer).toBe(UNKNOWN_ISSUER);
    const newcomer = await store.linkIdentity(
      identity({ provider: "supabase", issuer: "https://new-project.example/auth/v1", subject: "sb-1", emailVerified: false }),
    );
    expect(newcomer.user.id).not.toBe("usr_sb");
  });
});
