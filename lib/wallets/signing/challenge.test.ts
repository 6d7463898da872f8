import { privateKeyToAccount } from "viem/accounts";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openPgliteStore } from "@/lib/store/pglite";
import type { AppStore } from "@/lib/store/types";
import { frozenClock } from "@byo/counterparts/lib/test-clock";
import { CHALLENGE_TTL_MS, issueSignChallenge, MAX_OPEN_CHALLENGES, verifySignedChallenge, type SigningContext } from "./challenge";

const wallet = privateKeyToAccount("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
const stranger = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");

describe("sign challenges", () => {
  let store: AppStore;
  let userId: string;
  let otherUserId: string;
  const clock = frozenClock(1_800_000_000);
  const ctx = (over: Partial<SigningContext> = {}): SigningContext => ({
    userId,
    provider: { id: "alchemy", name: "Alchemy Smart Wallets" },
    store,
    appName: "Test App",
    appUrl: "http://127.0.0.1:3000",
    now: clock.now,
    ...over,
  });
  const connect = (user: string, address: string, expiresAt: Date | null = null, provider: "alchemy" | "airkit" = "alchemy") =>
    store.upsertWalletConnection({ userId: user, provider, status: "connected", address, expiresAt, data: {} });

  // One database for the file (opening PGlite is the slow part); fresh users for every test.
  beforeAll(async () => {
    store = await openPgliteStore("memory://");
  });
  afterAll(() => store.close());
  beforeEach(async () => {
    clock.reset();
    const link = (subject: string) =>
      store.linkIdentity({
        provider: "oidc",
        issuer: "https://op.example",
        subject,
        email: null,
        emailVerified: false,
        name: null,
        profile: {},
      });
    userId = (await link(`ada-${randomUUID()}`)).user.id;
    otherUserId = (await link(`eve-${randomUUID()}`)).user.id;
    // Stored lowercased, as some providers report it: the message and the answer use EIP-55.
    await connect(userId, wallet.address.toLowerCase());
  });

  it("issues a message naming the app, the address and the nonce; the wallet's signature verifies once", async () => {
    const issued = await issueSignChallenge(ctx());
    expect(issued.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(issued.address).toBe(wallet.address);
    expect(issued.message).toContain("Test App");
    expect(issued.message).toContain(`Nonce: ${issued.nonce}`);
    expect(issued.message.split("\n")[1]).toBe(wallet.address);
    expect(issued.message.startsWith("127.0.0.1:3000 wants you to sign")).toBe(true);
    expect(new Date(issued.expiresAt).getTime() - clock.now().getTime()).toBe(CHALLENGE_TTL_MS);

    const signature = await wallet.signMessage({ message: issued.message });
    const verified = await verifySignedChallenge(ctx(), { nonce: issued.nonce, signature });
    expect(verified).toEqual({ verified: true, address: wallet.address, signature, message: issued.message });
  });

  it("gives every challenge its own nonce", async () => {
    const a = await issueSignChallenge(ctx());
    const b = await issueSignChallenge(ctx());
    expect(a.nonce).not.toBe(b.nonce);
  });

  it("refuses a replayed nonce", async () => {
    const issued = await issueSignChallenge(ctx());
    const signature = await wallet.signMessage({ message: issued.message });
    await verifySignedChallenge(ctx(), { nonce: issued.nonce, signature });
    await expect(verifySignedChallenge(ctx(), { nonce: issued.nonce, signature })).rejects.toMatchObject({
      code: "sign_nonce_used",
      status: 409,
    });
  });

  it("spends the nonce on a refused attempt: a second try with the right signature is a replay", async () => {
    const issued = await issueSignChallenge(ctx());
    const wrong = await stranger.signMessage({ message: issued.message });
    await expect(verifySignedChallenge(ctx(), { nonce: issued.nonce, signature: wrong })).rejects.toMatchObject({
      code: "signature_wrong_signer",
      status: 400,
      details: { recovered: stranger.address, expected: wallet.address },
    });
    const right = await wallet.signMessage({ message: issued.message });
    await expect(verifySignedChallenge(ctx(), { nonce: issued.nonce, signature: right })).rejects.toMatchObject({
      code: "sign_nonce_used",
    });
  });

  it("lets exactly one of two racing verifications through", async () => {
    const issued = await issueSignChallenge(ctx());
    const signature = await wallet.signMessage({ message: issued.message });
    const results = await Promise.allSettled([0, 1, 2].map(() => verifySignedChallenge(ctx(), { nonce: issued.nonce, signature })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("refuses a stale nonce", async () => {
    const issued = await issueSignChallenge(ctx());
    const signature = await wallet.signMessage({ message: issued.message });
    clock.advance(CHALLENGE_TTL_MS / 1000);
    await expect(verifySignedChallenge(ctx(), { nonce: issued.nonce, signature })).rejects.toMatchObject({
      code: "sign_nonce_expired",
      status: 400,
    });
  });

  it.each([
    ["a nonce the server never issued", () => ({ nonce: "0".repeat(32) })],
    ["another user's nonce", () => ({ userId: otherUserId })],
    ["another provider's nonce", () => ({ provider: { id: "airkit" as const, name: "Moca AIR Kit" } })],
  ])("refuses %s as unknown, and leaves the owner's nonce usable", async (_name, twist) => {
    const issued = await issueSignChallenge(ctx());
    const signature = await wallet.signMessage({ message: issued.message });
    const change = twist();
    await connect(otherUserId, stranger.address);
    await connect(userId, wallet.address, null, "airkit");
    const { nonce: nonceOverride, ...ctxOverride } = change as { nonce?: string } & Partial<SigningContext>;
    await expect(verifySignedChallenge(ctx(ctxOverride), { nonce: nonceOverride ?? issued.nonce, signature })).rejects.toMatchObject({
      code: "sign_nonce_unknown",
      status: 400,
    });
    expect((await verifySignedChallenge(ctx(), { nonce: issued.nonce, signature })).verified).toBe(true);
  });

  it.each([
    ["empty", "0x"],
    ["truncated", "0x1234"],
    ["bad recovery byte", `0x${"11".repeat(64)}1d`],
  ])("refuses a malformed signature (%s)", async (_name, signature) => {
    const issued = await issueSignChallenge(ctx());
    await expect(verifySignedChallenge(ctx(), { nonce: issued.nonce, signature })).rejects.toMatchObject({
      code: "signature_malformed",
      status: 400,
    });
  });

  it("refuses a signature when the card's wallet changed after the message was issued", async () => {
    const issued = await issueSignChallenge(ctx());
    const signature = await stranger.signMessage({ message: issued.message });
    await connect(userId, stranger.address);
    await expect(verifySignedChallenge(ctx(), { nonce: issued.nonce, signature })).rejects.toMatchObject({
      code: "wallet_address_changed",
      status: 409,
    });
  });

  it("issues nothing for a wallet that is not connected, has no address, or whose session ended", async () => {
    await expect(issueSignChallenge(ctx({ userId: otherUserId }))).rejects.toMatchObject({ code: "wallet_not_connected", status: 409 });
    await store.upsertWalletConnection({
      userId,
      provider: "alchemy",
      status: "pending",
      address: wallet.address,
      expiresAt: null,
      data: {},
    });
    await expect(issueSignChallenge(ctx())).rejects.toMatchObject({ code: "wallet_not_connected" });
    await connect(userId, wallet.address, new Date(clock.now().getTime() - 1));
    await expect(issueSignChallenge(ctx())).rejects.toMatchObject({ code: "wallet_session_expired", status: 409 });
  });

  it("refuses a signature once the wallet session has ended, even with a fresh nonce", async () => {
    await connect(userId, wallet.address, new Date(clock.now().getTime() + 60_000));
    const issued = await issueSignChallenge(ctx());
    const signature = await wallet.signMessage({ message: issued.message });
    clock.advance(61);
    await expect(verifySignedChallenge(ctx(), { nonce: issued.nonce, signature })).rejects.toMatchObject({
      code: "wallet_session_expired",
    });
  });

  it(`holds at most ${MAX_OPEN_CHALLENGES} open challenges per user and provider, and frees them as they expire`, async () => {
    for (let i = 0; i < MAX_OPEN_CHALLENGES; i++) await issueSignChallenge(ctx());
    await expect(issueSignChallenge(ctx())).rejects.toMatchObject({ code: "sign_too_many_open", status: 429 });
    clock.advance(CHALLENGE_TTL_MS / 1000);
    await expect(issueSignChallenge(ctx())).resolves.toMatchObject({ address: wallet.address });
  });
});
