// What the Alchemy card shows (WalletProvider.card), read back from what the actions record.
// Values the documentation allows to be null are recorded as null and shown as "not returned
// by Alchemy", never as "null"; a value never recorded (an older connection) is left out.
import { z } from "zod";
import type { WalletConnection } from "@/lib/store/types";
import { decodedTokenSchema, readData, walletCard } from "@/lib/wallets/card";
import type { WalletCardView, WalletFact } from "@/lib/wallets/types";

export const ALCHEMY_NAME = "Alchemy Smart Wallets";
/** Shown where Alchemy answered null (or nothing) for a value the documentation allows to be null. */
export const NOT_RETURNED = "not returned by Alchemy";

/** A connection's data as the actions write it (./index.ts), field by field. */
export const alchemyData = {
  orgId: z.string(),
  /** auth-jwt's `userId`. */
  signerUserId: z.string().nullable(),
  solanaAddress: z.string().nullable(),
  isSignup: z.boolean(),
  /** The ID token sent to auth-jwt, decoded. */
  partnerToken: decodedTokenSchema,
  /** Set by `pregenerate`: the address is reserved, nobody holds a session for it. */
  pregenerated: z.boolean(),
  /** whoami's answer, the fields Alchemy answered with a value. */
  userInfo: z.record(z.string(), z.string()),
};

/** The user info worth keeping (`userInfo`): the documented fields Alchemy answered with a value (nulls left out). */
export function presentFields(values: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== null));
}

export function alchemyCard(connection: WalletConnection): WalletCardView {
  const data = readData(alchemyData, connection.data);
  const facts = (
    [
      ["Solana address", data.solanaAddress],
      ["Organization", data.orgId],
      ["Signer user id", data.signerUserId],
    ] as const
  ).flatMap(([label, value]): WalletFact[] => (value === undefined ? [] : [[label, value ?? NOT_RETURNED]]));
  return walletCard(connection, {
    addressLabel: "EVM address",
    facts,
    sessionDocuments: data.userInfo ? [{ title: `User info from ${ALCHEMY_NAME}`, value: data.userInfo, testId: "wallet-user-info" }] : [],
    partnerToken: data.partnerToken,
    reserved: data.pregenerated === true,
  });
}
