/**
 * Turnkey's state across a restart on the same data dir, and its retention sweep, through the service: a sub-organization created before the cutoff
 * goes with its users and wallets (and the parent's old OTPs and activities); newer
 * sub-organizations and the parent organization with its API key stay.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, startTurnkeyStack, verifyEmail, type TurnkeyStack } from "./test-support";
import { generateP256KeyPair } from "@turnkey/crypto";

const DAY = 24 * 3600;
let stack: TurnkeyStack;

beforeAll(async () => {
  stack = await startTurnkeyStack();
});
afterAll(async () => {
  await stack?.close();
});

describe("Turnkey sweep", () => {
  it("removes sub-organizations created before the cutoff with everything in them, keeps newer ones and the parent", async () => {
    const old = (await createUser(stack, "old@example.com", "subject-old")).subOrganizationId;
    await verifyEmail(stack, "old@example.com", generateP256KeyPair());
    stack.clock.advance(2 * DAY);
    const cutoff = new Date(stack.clock.now().getTime() - 1000);
    const kept = (await createUser(stack, "new@example.com", "subject-new")).subOrganizationId;
    const keptWallets = (await stack.client().getWallets({ organizationId: kept })).wallets;

    const { removed } = await stack.sweep(cutoff);
    // At least the organization, its user, OAuth provider, wallet and accounts, the OTP and activities.
    expect(removed).toBeGreaterThanOrEqual(6);

    // Stamped with the parent's key: the parent and its API key are still there.
    const api = stack.client();
    expect((await api.getSubOrgIds({ filterType: "EMAIL", filterValue: "old@example.com" })).organizationIds).toEqual([]);
    expect((await api.getSubOrgIds({ filterType: "EMAIL", filterValue: "new@example.com" })).organizationIds).toEqual([kept]);
    expect((await api.getWallets({ organizationId: kept })).wallets).toEqual(keptWallets);
    await expect(api.getWallets({ organizationId: old })).rejects.toThrow();

    expect(await stack.sweep(cutoff)).toEqual({ removed: 0 });
  });
});

describe("Turnkey restart", () => {
  it("keeps sub-organizations, their users and wallets across a restart on the same data dir", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "turnkey-restart-"));
    const parent = generateP256KeyPair();
    try {
      const first = await startTurnkeyStack({ dataDir: dir }, parent);
      let sub: string;
      let wallets: unknown;
      try {
        sub = (await createUser(first, "restart@example.com")).subOrganizationId;
        wallets = (await first.client().getWallets({ organizationId: sub })).wallets;
      } finally {
        await first.close();
      }
      const second = await startTurnkeyStack({ dataDir: dir }, parent);
      try {
        const api = second.client();
        expect((await api.getSubOrgIds({ filterType: "EMAIL", filterValue: "restart@example.com" })).organizationIds).toEqual([sub]);
        expect((await api.getWallets({ organizationId: sub })).wallets).toEqual(wallets);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
