import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { WalletConnection } from "@/lib/store/types";
import { previousWalletView, readData, shortForm, walletCard } from "./card";

const EVM = "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4";
const TOKEN = { header: { alg: "ES256", typ: "JWT" }, claims: { sub: "usr_1", exp: 1_900_000_000 } };

function connection(overrides: Partial<WalletConnection>): WalletConnection {
  return {
    userId: "usr_1",
    provider: "airkit",
    status: "connected",
    address: EVM,
    expiresAt: null,
    data: {},
    updatedAt: new Date(0),
    ...overrides,
  };
}

describe("shortForm", () => {
  it("shows an address up to the length of an EVM address whole", () => {
    expect(shortForm(EVM)).toBe(EVM);
    expect(shortForm("")).toBe("");
  });

  it("shortens anything longer to its first 10 and last 8 characters around an ellipsis", () => {
    const key = "0x0288f8935f7669832d4f5ae90c43d550e80f93420da7178019f89e0b00dfb0a000";
    expect(shortForm(key)).toBe("0x0288f893…dfb0a000");
    expect(shortForm(`${EVM}0`)).toBe("0x5B38Da6a…6beddC40");
  });
});

describe("readData", () => {
  const shape = { name: z.string(), solana: z.string().nullable(), flag: z.boolean() };

  it("keeps fields of the expected shape, nulls its schema allows included, and leaves the rest out", () => {
    expect(readData(shape, { name: "x", solana: null, flag: "yes", extra: 1 })).toEqual({ name: "x", solana: null });
  });

  it("reads only the data's own fields (a key named like an Object.prototype member is not inherited)", () => {
    expect(readData({ constructor: z.unknown(), toString: z.unknown() }, {})).toEqual({});
  });

  it("gives an empty read for empty data", () => {
    expect(readData(shape, {})).toEqual({});
  });
});

describe("walletCard", () => {
  const parts = {
    addressLabel: "Account address",
    facts: [["AIR user id", "air-1"]] as [string, string][],
    records: [{ title: "Things", emptyText: "None.", testId: "things", items: [] }],
    sessionDocuments: [{ title: "User info", value: { id: "air-1" }, testId: "wallet-user-info" }],
    partnerToken: TOKEN,
  };

  it("connected with an address: address, expiry, facts, lists; session documents folded, then the partner token folded", () => {
    const expiresAt = new Date(1_900_000_000_000);
    expect(walletCard(connection({ expiresAt }), parts)).toEqual({
      state: "connected",
      addressLabel: "Account address",
      address: { full: EVM, display: EVM },
      expiresAt,
      facts: [["AIR user id", "air-1"]],
      records: parts.records,
      documents: [
        { title: "User info", value: { id: "air-1" }, testId: "wallet-user-info", open: false },
        expect.objectContaining({ title: "Partner token your server sent (decoded)", value: TOKEN, testId: "partner-token", open: false }),
      ],
    });
  });

  it("an expired session is still the connected state (the dashboard judges expiry when it renders)", () => {
    expect(walletCard(connection({ expiresAt: new Date(0) }), parts).state).toBe("connected");
  });

  it("a connected row without an address has nothing to show or sign with: pending, with the partner token open", () => {
    expect(walletCard(connection({ address: null }), parts)).toEqual({
      state: "pending",
      documents: [expect.objectContaining({ testId: "partner-token", open: true })],
    });
  });

  it("a verified session without an address awaits it: facts and the open partner token, no session documents", () => {
    expect(walletCard(connection({ status: "connected_without_address", address: null }), parts)).toEqual({
      state: "awaiting_address",
      facts: parts.facts,
      documents: [expect.objectContaining({ testId: "partner-token", open: true })],
    });
  });

  it("a reservation shows its address shortened where long, or none when the provider returned none", () => {
    const key = `0x02${"ab".repeat(32)}`;
    const reserved = walletCard(connection({ status: "pending", address: key }), { ...parts, reserved: true });
    expect(reserved).toMatchObject({
      state: "reserved",
      addressLabel: "Account address",
      address: { full: key, display: shortForm(key) },
      facts: parts.facts,
    });
    expect(walletCard(connection({ status: "pending", address: null }), { ...parts, reserved: true })).toMatchObject({
      state: "reserved",
      address: null,
    });
  });

  it("a session replaces a reservation: connected wins over the reserved flag", () => {
    expect(walletCard(connection({}), { ...parts, reserved: true }).state).toBe("connected");
  });

  it("a login in progress without a partner token shows nothing but the connector", () => {
    expect(walletCard(connection({ status: "pending", address: null }), { addressLabel: "Account address", facts: [] })).toEqual({
      state: "pending",
      documents: [],
    });
  });
});

describe("previousWalletView", () => {
  const key = "0x0288f8935f7669832d4f5ae90c43d550e80f93420da7178019f89e0b00dfb0a000";
  const at = new Date("2026-11-20T10:00:00Z");

  it("shows a previous wallet as the provider's card showed it: its address label and short form", () => {
    const provider = {
      card: (c: WalletConnection) => walletCard(c, { addressLabel: "Public key", facts: [] }),
    };
    expect(previousWalletView(provider, "usr_1", { provider: "moojo", address: key, firstConnectedAt: at, lastConnectedAt: at })).toEqual({
      addressLabel: "Public key",
      address: { full: key, display: "0x0288f893…dfb0a000" },
      lastConnectedAt: at,
    });
  });

  it("falls back to a plain label when the provider's card does not show it as connected", () => {
    const provider = {
      card: (c: WalletConnection) => walletCard({ ...c, status: "pending" }, { addressLabel: "Account address", facts: [] }),
    };
    expect(previousWalletView(provider, "usr_1", { provider: "acme", address: EVM, firstConnectedAt: at, lastConnectedAt: at })).toEqual({
      addressLabel: "Address",
      address: { full: EVM, display: EVM },
      lastConnectedAt: at,
    });
  });
});
