// The AIR Kit card, from data recorded the way the actions record it, built from the
// documentation's examples (./fixtures): with MFA, before MFA, and unusual but legal shapes.
import { describe, expect, it } from "vitest";
import type { WalletConnection } from "@/lib/store/types";
import { airkitCard } from "./card";
import claimsExample from "./fixtures/login-token-claims.json";
import minimalClaimsExample from "./fixtures/login-token-claims.minimal.json";
import partnerPayloadExample from "./fixtures/partner-jwt-payload.custom-auth.json";
import userInfoBeforeMfaExample from "./fixtures/user-info.before-mfa.json";
import userInfoExample from "./fixtures/user-info.json";
import { airTokenClaimsSchema, airUserDetailsSchema } from "./schema";

const EXP = 1_900_000_000;
const partnerToken = { header: { alg: "ES256", typ: "JWT", kid: "k1" }, claims: partnerPayloadExample };
const claims = airTokenClaimsSchema.parse({ ...claimsExample, exp: EXP });
const userInfo = airUserDetailsSchema.parse(userInfoExample);
const address = claims.abstractAccountAddress!;

function connection(overrides: Partial<WalletConnection>): WalletConnection {
  return {
    userId: "usr_abc123",
    provider: "airkit",
    status: "connected",
    address,
    expiresAt: new Date(EXP * 1000),
    data: {},
    updatedAt: new Date(0),
    ...overrides,
  };
}

describe("AIR Kit card", () => {
  it("connected (MFA set up): the account address whole, AIR's user id and MFA, then user info, verified claims and the partner token, folded", () => {
    const view = airkitCard(connection({ data: { partnerToken, airUserId: claims.sub, isMFASetup: true, claims, userInfo } }));
    expect(view).toEqual({
      state: "connected",
      addressLabel: "Account address",
      address: { full: address, display: address },
      expiresAt: new Date(EXP * 1000),
      facts: [
        ["AIR user id", "3f1c6a52-5d0e-4a8e-9b61-2d5f0c7e9a14"],
        ["MFA", "set up (passkey)"],
      ],
      records: [],
      documents: [
        { title: "User info from Moca AIR Kit", value: userInfo, testId: "wallet-user-info", open: false },
        { title: "Moca AIR Kit session token (verified claims)", value: claims, open: false },
        expect.objectContaining({
          title: "Partner token your server sent (decoded)",
          value: partnerToken,
          testId: "partner-token",
          open: false,
        }),
      ],
    });
  });

  it("before MFA: awaits the address, says MFA is not set up, and shows the partner token open (no session documents yet)", () => {
    const minimal = airTokenClaimsSchema.parse({ ...minimalClaimsExample, exp: EXP });
    const before = airUserDetailsSchema.parse(userInfoBeforeMfaExample);
    const view = airkitCard(
      connection({
        status: "connected_without_address",
        address: null,
        data: { partnerToken, airUserId: minimal.sub, isMFASetup: before.user.isMFASetup, claims: minimal, userInfo: before },
      }),
    );
    expect(view).toEqual({
      state: "awaiting_address",
      facts: [
        ["AIR user id", minimal.sub],
        ["MFA", "not set up"],
      ],
      documents: [expect.objectContaining({ testId: "partner-token", open: true })],
    });
  });

  it("while the partner token is out (pending): the token alone, open", () => {
    expect(airkitCard(connection({ status: "pending", address: null, expiresAt: null, data: { partnerToken } }))).toEqual({
      state: "pending",
      documents: [expect.objectContaining({ value: partnerToken, open: true })],
    });
  });

  it("MFA unknown (null), user info null (none came, or another account's), no partner token (a session from before it was kept): those parts are left out", () => {
    const view = airkitCard(connection({ data: { airUserId: claims.sub, isMFASetup: null, claims, userInfo: null } }));
    expect(view).toMatchObject({ state: "connected", facts: [["AIR user id", claims.sub]] });
    expect(view.documents.map((d) => d.title)).toEqual(["Moca AIR Kit session token (verified claims)"]);
  });

  it("a field of another shape is left out, never shown raw and never an error", () => {
    const view = airkitCard(
      connection({ data: { airUserId: 42, isMFASetup: "yes", claims: "not claims", userInfo: { user: {} }, partnerToken: "eyJ..." } }),
    );
    expect(view).toMatchObject({ state: "connected", facts: [], documents: [] });
  });

  it("empty data: an address and nothing else", () => {
    expect(airkitCard(connection({}))).toMatchObject({
      state: "connected",
      address: { full: address },
      facts: [],
      records: [],
      documents: [],
    });
  });
});
