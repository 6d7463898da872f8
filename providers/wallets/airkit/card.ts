// What the AIR Kit card shows (WalletProvider.card), read back from what the actions record.
import { z } from "zod";
import type { WalletConnection } from "@/lib/store/types";
import { decodedTokenSchema, readData, walletCard } from "@/lib/wallets/card";
import type { WalletCardView, WalletFact } from "@/lib/wallets/types";
import { airTokenClaimsSchema, airUserDetailsSchema } from "./schema";

export const AIRKIT_NAME = "Moca AIR Kit";

/** A connection's data as the actions write it (./index.ts), field by field. */
export const airkitData = {
  /** The latest login's partner token, decoded (`partner-token`). */
  partnerToken: decodedTokenSchema,
  airUserId: z.string(),
  /** Null when neither AIR's token nor its user info said. */
  isMFASetup: z.boolean().nullable(),
  /** AIR's session token, verified (verify-air-token.ts). */
  claims: airTokenClaimsSchema,
  /** AIR's user info about the same account; null when none came or it described another. */
  userInfo: airUserDetailsSchema.nullable(),
};

export function airkitCard(connection: WalletConnection): WalletCardView {
  const data = readData(airkitData, connection.data);
  const facts: WalletFact[] = [];
  if (data.airUserId !== undefined) facts.push(["AIR user id", data.airUserId]);
  if (typeof data.isMFASetup === "boolean") facts.push(["MFA", data.isMFASetup ? "set up (passkey)" : "not set up"]);
  return walletCard(connection, {
    addressLabel: "Account address",
    facts,
    sessionDocuments: [
      ...(data.userInfo ? [{ title: `User info from ${AIRKIT_NAME}`, value: data.userInfo, testId: "wallet-user-info" }] : []),
      ...(data.claims ? [{ title: `${AIRKIT_NAME} session token (verified claims)`, value: data.claims }] : []),
    ],
    partnerToken: data.partnerToken,
  });
}
