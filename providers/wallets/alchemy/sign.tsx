"use client";

// "Sign a test message" with Alchemy: what Alchemy's signer client does for signMessage
// (aa-sdk account-kit/signer, signRawMessage): viem's hashMessage of the text (EIP-191), sent
// as a Turnkey sign_raw_payload request (HEXADECIMAL, HASH_FUNCTION_NO_OP, signWith the EVM
// address) stamped with the session key this browser kept at connect, through the signer API's
// sign-payload (https://www.alchemy.com/docs/wallets/api-reference/signer/signer-api-endpoints/sign-message),
// relayed by the app's server, which holds the API key.
import { postJson } from "@/components/api";
import { SignMessageButton, WalletSignError } from "@/components/wallets/sign-message";
import type { SignerProps } from "@/components/wallets/types";

// The Turnkey activity URL Alchemy's signer client stamps; Alchemy checks the path.
const SIGN_RAW_PAYLOAD_URL = "https://api.turnkey.com/public/v1/submit/sign_raw_payload";

export default function AlchemySign({ address }: SignerProps) {
  async function sign(message: string): Promise<`0x${string}`> {
    const [{ hashMessage }, { loadSessionKey, stampWithSessionKey }] = await Promise.all([
      import("viem"),
      import("@/providers/wallets/alchemy/browser/session-key"),
    ]);
    const key = await loadSessionKey().catch(() => undefined);
    if (!key) {
      throw new WalletSignError(
        "This browser holds no Alchemy session key (it was connected in another browser, or the key was cleared). Disconnect and connect Alchemy again here, then sign.",
      );
    }
    if (key.expiresAt <= Date.now())
      throw new WalletSignError("This browser's Alchemy session key has expired. Disconnect and connect Alchemy again, then sign.");
    const body = JSON.stringify({
      parameters: {
        encoding: "PAYLOAD_ENCODING_HEXADECIMAL",
        hashFunction: "HASH_FUNCTION_NO_OP",
        payload: hashMessage(message),
        signWith: address,
      },
      organizationId: key.orgId,
      timestampMs: String(Date.now()),
      type: "ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2",
    });
    const stamp = await stampWithSessionKey(body, key);
    const { signature } = await postJson<{ signature: `0x${string}` }>("/api/wallets/alchemy/sign-payload", {
      stampedRequest: { body, stamp, url: SIGN_RAW_PAYLOAD_URL },
    });
    return signature;
  }
  return (
    <SignMessageButton
      provider="alchemy"
      walletName="Alchemy"
      sign={sign}
      signingText="Alchemy is signing with this browser's session key (sign-payload)…"
    />
  );
}
