"use client";

// "Sign a test message" with AIR Kit: EIP-1193 personal_sign through AIR's wallet (the SDK's
// getProvider(), or the counterpart's equivalent offline; providers/wallets/airkit/browser). A page
// loaded after connecting holds no AIR session (the app never restores a saved one, see
// session-policy.ts), so one is opened first with a fresh partner token for the signed-in user:
// AIR knows the account already, so no code is asked for.
import { postJson } from "@/components/api";
import { AirClientError, getAirClient } from "@/providers/wallets/airkit/browser";
import { SignMessageButton, WalletSignError } from "@/components/wallets/sign-message";
import type { SignerProps } from "@/components/wallets/types";

export default function AirKitSign({ config, address }: SignerProps) {
  async function sign(message: string): Promise<`0x${string}`> {
    try {
      const air = await getAirClient({
        partnerId: config.partnerId!,
        apiUrl: config.apiUrl ?? null,
        buildEnv: config.buildEnv ?? "sandbox",
      });
      if (!air.isLoggedIn) {
        const { token } = await postJson<{ token: string }>("/api/wallets/airkit/partner-token");
        // A code prompt here would mean AIR no longer knows this account: reconnecting handles that.
        await air.login(token, { requestCode: async () => null });
      }
      return await air.signMessage(message, address);
    } catch (e) {
      if (e instanceof AirClientError) {
        throw new WalletSignError(
          e.code === "cancelled" ? "AIR Kit wants to confirm your email again. Reconnect AIR Kit, then sign." : e.message,
        );
      }
      throw e;
    }
  }
  return (
    <SignMessageButton
      provider="airkit"
      walletName="AIR Kit"
      sign={sign}
      signingText="AIR Kit's wallet is signing the message (personal_sign)…"
    />
  );
}
