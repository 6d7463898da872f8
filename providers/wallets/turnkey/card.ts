// What the Turnkey card shows (WalletProvider.card), read back from what the actions record.
import { z } from "zod";
import type { WalletConnection } from "@/lib/store/types";
import { decodedTokenSchema, readData, walletCard } from "@/lib/wallets/card";
import type { WalletCardView, WalletFact } from "@/lib/wallets/types";
import { whoamiResponseSchema } from "./schema";

export const TURNKEY_NAME = "Turnkey";

const loginMethod = z.enum(["email_otp", "oidc", "passkey"]);
const LOGIN_METHODS: Record<z.output<typeof loginMethod>, string> = {
  email_otp: "email code (otp_login)",
  oidc: "ID token (oauth_login)",
  passkey: "passkey (stamp_login)",
};

/** A connection's data as the actions write it (./index.ts), field by field. */
export const turnkeyData = {
  /** The user's sub-organization. */
  organizationId: z.string(),
  /** The email code in flight (otp-init → otp-login). */
  otpId: z.string(),
  /** Null when the wallet has no Solana account. */
  solanaAddress: z.string().nullable(),
  /** The browser key the session JWT names (whoami must be stamped by it). */
  sessionPublicKey: z.string(),
  loginMethod,
  /** The ID token sent to oauth_login, decoded. */
  partnerToken: decodedTokenSchema,
  /** The session JWT's claims the app relies on (not shown). */
  sessionClaims: z.object({ exp: z.unknown(), user_id: z.unknown(), organization_id: z.unknown(), session_type: z.unknown() }),
  turnkeyUserId: z.string(),
  /** whoami's answer. */
  userInfo: whoamiResponseSchema,
  /** When the kit last renewed the session (ISO 8601). */
  refreshedAt: z.string(),
};

export function turnkeyCard(connection: WalletConnection): WalletCardView {
  const data = readData(turnkeyData, connection.data);
  const facts = (
    [
      // A wallet without a Solana account (null) has no row.
      ["Solana address", data.solanaAddress ?? undefined],
      ["Sub-organization", data.organizationId],
      ["Turnkey user id", data.turnkeyUserId],
      ["Logged in with", data.loginMethod && LOGIN_METHODS[data.loginMethod]],
      [
        "Session refreshed",
        data.refreshedAt && `${data.refreshedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC")} (stamp_login by the session key)`,
      ],
    ] as const
  ).flatMap(([label, value]): WalletFact[] => (value === undefined ? [] : [[label, value]]));
  return walletCard(connection, {
    addressLabel: "Ethereum address",
    facts,
    sessionDocuments: data.userInfo ? [{ title: `User info from ${TURNKEY_NAME}`, value: data.userInfo, testId: "wallet-user-info" }] : [],
    partnerToken: data.partnerToken,
  });
}
