// The Alchemy card, from data recorded the way the actions record it (auth-jwt, whoami,
// pregenerate), built from the documentation's examples (./fixtures), nulls included.
import { describe, expect, it } from "vitest";
import type { WalletConnection } from "@/lib/store/types";
import { alchemyCard, presentFields } from "./card";
import authLoginExample from "./fixtures/auth-jwt.response.login.json";
import authNullsExample from "./fixtures/auth-jwt.response.nulls.json";
import idTokenPayloadExample from "./fixtures/auth-jwt.jwt-payload.json";
import whoamiExample from "./fixtures/whoami.response.json";
import whoamiNullsExample from "./fixtures/whoami.response.nulls.json";
import { authJwtResponseSchema, whoamiResponseSchema } from "./schema";

const ADDRESS = "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4";
const partnerToken = { header: { alg: "RS256", typ: "JWT", kid: "k1" }, claims: idTokenPayloadExample };
const expiresAt = new Date(1_900_000_000_000);

function connection(overrides: Partial<WalletConnection>): WalletConnection {
  return {
    userId: "usr_1",
    provider: "alchemy",
    status: "connected",
    address: ADDRESS,
    expiresAt,
    data: {},
    updatedAt: new Date(0),
    ...overrides,
  };
}

/** What auth-jwt records, then whoami adds (index.ts). */
function connectedData(auth: unknown, whoami: unknown) {
  const r = authJwtResponseSchema.parse(auth);
  const me = whoamiResponseSchema.parse(whoami);
  return {
    orgId: r.orgId,
    signerUserId: r.userId,
    solanaAddress: me.solanaAddress,
    isSignup: r.isSignup,
    partnerToken,
    userInfo: presentFields(me),
  };
}

describe("Alchemy card", () => {
  it("connected: the EVM address, Solana address, organization and signer user id; user info, then the ID token sent, folded", () => {
    const data = connectedData(authLoginExample, whoamiExample);
    expect(alchemyCard(connection({ data }))).toEqual({
      state: "connected",
      addressLabel: "EVM address",
      address: { full: ADDRESS, display: ADDRESS },
      expiresAt,
      facts: [
        ["Solana address", "string"],
        ["Organization", "string"],
        ["Signer user id", "string"],
      ],
      records: [],
      documents: [
        { title: "User info from Alchemy Smart Wallets", value: data.userInfo, testId: "wallet-user-info", open: false },
        expect.objectContaining({ testId: "partner-token", value: partnerToken, open: false }),
      ],
    });
  });

  it("values Alchemy answered null show as not returned, never as null; user info keeps only what had a value", () => {
    const data = connectedData(authNullsExample, whoamiNullsExample);
    const view = alchemyCard(connection({ data }));
    expect(view).toMatchObject({
      state: "connected",
      facts: [
        ["Solana address", "not returned by Alchemy"],
        ["Organization", "string"],
        ["Signer user id", "not returned by Alchemy"],
      ],
    });
    expect(view.documents[0]!.value).toEqual({ userId: "string", orgId: "string", address: "string" });
    expect(JSON.stringify(view)).not.toContain("null");
  });

  it("a row never recorded (a connection from before the field existed) is left out, not shown as missing", () => {
    expect(alchemyCard(connection({ data: { orgId: "org-1" } }))).toMatchObject({ facts: [["Organization", "org-1"]], documents: [] });
  });

  it("auth-jwt waiting for its whoami: pending, with the ID token sent open", () => {
    const r = authJwtResponseSchema.parse(authLoginExample);
    const view = alchemyCard(
      connection({
        status: "pending",
        address: null,
        data: { orgId: r.orgId, signerUserId: r.userId, solanaAddress: r.solanaAddress, isSignup: r.isSignup, partnerToken },
      }),
    );
    expect(view).toEqual({ state: "pending", documents: [expect.objectContaining({ testId: "partner-token", open: true })] });
  });

  it("pre-generated: the reserved address, its facts, and the ID token open; with the nulls example, no address (not returned yet)", () => {
    const reserve = (auth: unknown) => {
      const r = authJwtResponseSchema.parse(auth);
      return connection({
        status: "pending",
        address: r.address,
        expiresAt: null,
        data: { orgId: r.orgId, pregenerated: true, solanaAddress: r.solanaAddress, isSignup: r.isSignup, partnerToken },
      });
    };
    expect(alchemyCard(reserve(authLoginExample))).toEqual({
      state: "reserved",
      addressLabel: "EVM address",
      address: { full: "string", display: "string" },
      facts: [
        ["Solana address", "string"],
        ["Organization", "string"],
      ],
      documents: [expect.objectContaining({ testId: "partner-token", open: true })],
    });
    expect(alchemyCard(reserve(authNullsExample))).toMatchObject({
      state: "reserved",
      address: null,
      facts: [
        ["Solana address", "not returned by Alchemy"],
        ["Organization", "string"],
      ],
    });
  });

  it("a session replaces the reservation: a connected row shows as connected even if the flag were left behind", () => {
    expect(alchemyCard(connection({ data: { orgId: "org-1", pregenerated: true } })).state).toBe("connected");
  });
});
