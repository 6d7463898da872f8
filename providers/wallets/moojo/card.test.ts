// The Moojo ID card, from data recorded the way `authenticate` and `issueDemoCredential`
// record it, built from the documentation's examples (./fixtures).
import { describe, expect, it } from "vitest";
import type { WalletConnection } from "@/lib/store/types";
import { moojoCard } from "./card";
import authenticateExample from "./fixtures/authenticate-response.json";
import listCredentialsExample from "./fixtures/list-credentials-response.json";
import { authenticateResponse, listCredentialsResponse } from "./schema";

const session = authenticateResponse.parse(authenticateExample).data;
const [documented] = listCredentialsResponse.parse(listCredentialsExample).data.credentials;
const expiresAt = new Date(session.expiresAtIso8601);
const data = {
  publicUserId: session.publicUserId,
  firebaseUid: "fb-uid-1",
  credentials: [documented!],
  exchange: { id: "2f0c0d9e-3f6b-4d47-9a53-0c8f1d9b6a11", idType: "firebaseJwt", firebaseSignInProvider: "password" },
};

function connection(overrides: Partial<WalletConnection>): WalletConnection {
  return {
    userId: "usr_1",
    provider: "moojo",
    status: "connected",
    address: session.publicKey,
    expiresAt,
    data,
    updatedAt: new Date(0),
    ...overrides,
  };
}

describe("Moojo ID card", () => {
  it("connected: the 68-character public key shown shortened (copied whole), the ids, and the credentials with their fields", () => {
    expect(session.publicKey).toHaveLength(68);
    expect(moojoCard(connection({}))).toEqual({
      state: "connected",
      addressLabel: "Public key",
      address: { full: session.publicKey, display: "0x0288f893…dfb0a000" },
      expiresAt,
      facts: [
        ["Public user id", "a6e8f837-2f6b-478c-a007-82989d000000"],
        ["Firebase uid", "fb-uid-1"],
      ],
      records: [
        {
          title: "Credentials this app issued",
          emptyText: "None yet. Moojo lists only the credentials this app issued to you.",
          testId: "moojo-credentials",
          items: [
            {
              key: documented!.id,
              title: "groceries-expenses",
              facts: [
                ["Issued", "25 Mar 2025, 15:10 UTC"],
                ["monthly-spend", "300"],
                ["currency", "USD"],
                ["Credential id", documented!.id],
                ["Attester", "0x6Bd984B64AD9e17BD0669A580654e8e318bbF0FF"],
                ["Recipient", "0x948140FA9eD89c5b3004F8977de560f5cB2a123B"],
              ],
            },
          ],
        },
      ],
      documents: [],
    });
  });

  it("lists the newest credential first (Moojo answers oldest first), and one without fields shows only its own facts", () => {
    const newer = {
      ...documented!,
      id: `0x${"1".repeat(64)}`,
      slug: "byo-auth-demo-sign-in",
      createdAt: documented!.createdAt + 1000,
      fields: {},
    };
    const view = moojoCard(connection({ data: { ...data, credentials: [documented!, newer] } }));
    if (view.state !== "connected") throw new Error(`expected connected, got ${view.state}`);
    const items = view.records[0]!.items;
    expect(items.map((i) => i.title)).toEqual(["byo-auth-demo-sign-in", "groceries-expenses"]);
    expect(items[0]!.facts.map(([label]) => label)).toEqual(["Issued", "Credential id", "Attester", "Recipient"]);
  });

  it("no credentials yet, none recorded, or a list that does not read as credentials: the empty list with its text", () => {
    for (const credentials of [[], undefined, [{ id: "not a credential" }], "nope"]) {
      const view = moojoCard(connection({ data: { ...data, credentials } }));
      expect(view).toMatchObject({ state: "connected", records: [{ testId: "moojo-credentials", items: [] }] });
    }
  });

  it("ids missing from the record are left out", () => {
    expect(moojoCard(connection({ data: { credentials: [] } }))).toMatchObject({ state: "connected", facts: [] });
  });

  it("an expired session is still shown as the connection it was (the dashboard marks it expired and offers a reconnect)", () => {
    expect(moojoCard(connection({ expiresAt: new Date(0) }))).toMatchObject({ state: "connected", expiresAt: new Date(0) });
  });
});
