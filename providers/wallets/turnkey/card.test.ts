// The Turnkey card, from data recorded the way the actions record it: email code and ID-token
// logins (recordLogin, then whoami), passkey sessions, the kit's refresh, and a login under way.
import { describe, expect, it } from "vitest";
import type { WalletConnection } from "@/lib/store/types";
import { turnkeyCard } from "./card";
import whoamiExample from "./fixtures/whoami.response.json";
import { whoamiResponseSchema } from "./schema";

const ETHEREUM = "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4";
const SOLANA = "7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV";
const SESSION_KEY = `02${"ab".repeat(32)}`;
const me = whoamiResponseSchema.parse(whoamiExample);
const expiresAt = new Date(1_900_000_000_000);
const sessionClaims = {
  exp: 1_900_000_000,
  user_id: me.userId,
  organization_id: me.organizationId,
  session_type: "SESSION_TYPE_READ_WRITE",
};
const partnerToken = {
  header: { alg: "RS256", typ: "JWT", kid: "k1" },
  claims: { iss: "http://localhost:3000", sub: "usr_1", nonce: "n" },
};

/** recordLogin's data, then whoami's additions. */
const loggedIn = (loginMethod: string, extra: Record<string, unknown> = {}) => ({
  organizationId: me.organizationId,
  solanaAddress: SOLANA,
  sessionPublicKey: SESSION_KEY,
  loginMethod,
  sessionClaims,
  ...extra,
  turnkeyUserId: me.userId,
  userInfo: me,
});

function connection(overrides: Partial<WalletConnection>): WalletConnection {
  return {
    userId: "usr_1",
    provider: "turnkey",
    status: "connected",
    address: ETHEREUM,
    expiresAt,
    data: {},
    updatedAt: new Date(0),
    ...overrides,
  };
}

describe("Turnkey card", () => {
  it("connected with an email code: the Ethereum address, Solana address, sub-organization, Turnkey user id and login method; whoami, folded", () => {
    expect(turnkeyCard(connection({ data: loggedIn("email_otp") }))).toEqual({
      state: "connected",
      addressLabel: "Ethereum address",
      address: { full: ETHEREUM, display: ETHEREUM },
      expiresAt,
      facts: [
        ["Solana address", SOLANA],
        ["Sub-organization", "<string>"],
        ["Turnkey user id", "<string>"],
        ["Logged in with", "email code (otp_login)"],
      ],
      records: [],
      documents: [{ title: "User info from Turnkey", value: me, testId: "wallet-user-info", open: false }],
    });
  });

  it("connected with the ID token: the login method says so, and the ID token sent follows the user info, folded", () => {
    const view = turnkeyCard(connection({ data: loggedIn("oidc", { partnerToken }) }));
    expect(view).toMatchObject({ state: "connected", facts: expect.arrayContaining([["Logged in with", "ID token (oauth_login)"]]) });
    expect(view.documents.map((d) => [d.testId, d.open])).toEqual([
      ["wallet-user-info", false],
      ["partner-token", false],
    ]);
  });

  it("a passkey session the kit refreshed: when, in UTC, and by what", () => {
    const view = turnkeyCard(connection({ data: loggedIn("passkey", { refreshedAt: "2026-11-26T05:43:21.123Z" }) }));
    expect(view).toMatchObject({
      facts: expect.arrayContaining([
        ["Logged in with", "passkey (stamp_login)"],
        ["Session refreshed", "2026-11-26 05:43:21 UTC (stamp_login by the session key)"],
      ]),
    });
  });

  it("a wallet without a Solana account (null), a login method it does not know, no whoami yet: those rows and documents are left out", () => {
    const view = turnkeyCard(connection({ data: { organizationId: "org-1", solanaAddress: null, loginMethod: "sms" } }));
    expect(view).toEqual(expect.objectContaining({ state: "connected", facts: [["Sub-organization", "org-1"]], documents: [] }));
  });

  it("a login method named like an Object.prototype member is not a method", () => {
    expect(turnkeyCard(connection({ data: { loginMethod: "constructor" } }))).toMatchObject({ facts: [] });
  });

  it("while logging in: after otp-init nothing but the connector; after oauth_login (before whoami) the ID token sent, open", () => {
    expect(
      turnkeyCard(connection({ status: "pending", address: null, expiresAt: null, data: { organizationId: "org-1", otpId: "otp-1" } })),
    ).toEqual({ state: "pending", documents: [] });
    const recorded = {
      organizationId: "org-1",
      solanaAddress: SOLANA,
      sessionPublicKey: SESSION_KEY,
      loginMethod: "oidc",
      partnerToken,
      sessionClaims,
    };
    expect(turnkeyCard(connection({ status: "pending", data: recorded }))).toEqual({
      state: "pending",
      documents: [expect.objectContaining({ testId: "partner-token", open: true })],
    });
  });

  it("connected without an Ethereum account (no address): nothing to sign with, shown as pending", () => {
    expect(turnkeyCard(connection({ address: null, data: loggedIn("passkey") })).state).toBe("pending");
  });
});
