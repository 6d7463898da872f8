// What the Moojo ID card shows (WalletProvider.card), read back from what the actions record.
// Its headline is Moojo's public key, 68 characters: the card shows it shortened and copies it whole.
import { z } from "zod";
import type { WalletConnection } from "@/lib/store/types";
import { formatDateTime } from "@/components/format-date";
import { readData, walletCard } from "@/lib/wallets/card";
import type { WalletCardView, WalletFact } from "@/lib/wallets/types";
import { moojoCredential } from "./schema";

/** A connection's data as the actions write it (./index.ts), field by field. */
export const moojoData = {
  publicUserId: z.string(),
  /** The Firebase uid the ID token carried (the user's one Moojo identity). */
  firebaseUid: z.string(),
  /** list-credentials' answer, in Moojo's order (oldest first). */
  credentials: z.array(moojoCredential),
  /** How the exchange went (not shown). */
  exchange: z.object({ id: z.string(), idType: z.string(), firebaseSignInProvider: z.string().nullable() }),
};

// The app's one date format (components/date-time.tsx); a server-built fact is in UTC and says so.
const formatTime = (ms: number) => `${formatDateTime(ms, "UTC")} UTC`;

export function moojoCard(connection: WalletConnection): WalletCardView {
  const data = readData(moojoData, connection.data);
  const facts: WalletFact[] = [];
  if (data.publicUserId !== undefined) facts.push(["Public user id", data.publicUserId]);
  if (data.firebaseUid !== undefined) facts.push(["Firebase uid", data.firebaseUid]);
  return walletCard(connection, {
    addressLabel: "Public key",
    facts,
    records: [
      {
        title: "Credentials this app issued",
        emptyText: "None yet. Moojo lists only the credentials this app issued to you.",
        testId: "moojo-credentials",
        // Newest first. A list that does not read as credentials shows as none (not as an error).
        items: (data.credentials ?? [])
          .slice()
          .reverse()
          .map((c) => ({
            key: c.id,
            title: c.slug,
            facts: [
              ["Issued", formatTime(c.createdAt)],
              ...Object.entries(c.fields).map(([name, value]): WalletFact => [name, String(value)]),
              ["Credential id", c.id],
              ["Attester", c.attesterAddress],
              ["Recipient", c.recipientAddress],
            ],
          })),
      },
    ],
  });
}
