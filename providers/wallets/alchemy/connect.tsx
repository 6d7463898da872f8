"use client";

import { postJson } from "@/components/api";
import { FaceShell, useConnectFlow, useStartIntent } from "@/components/wallets/connect-shell";
import type { ConnectorProps } from "@/components/wallets/types";
import { alchemyFace } from "./face";

const STEP_TEXT = {
  exchange: "Your server is sending Alchemy an ID token bound to this browser's key…",
  decrypt: "Opening the credential bundle with the key only this browser holds…",
  whoami: "Proving the decrypted key works (a stamped whoami)…",
  pregenerate: "Your server is asking Alchemy for the wallet, without a key (no session)…",
  keep: "Keeping the session key in this browser (non-extractable) for signing…",
} as const;

// The Turnkey query Alchemy's signer client stamps; Alchemy checks the path.
const WHOAMI_URL = "https://api.turnkey.com/public/v1/query/whoami";

export default function AlchemyConnect({ provider, name, reconnect, start }: ConnectorProps) {
  const flow = useConnectFlow({ provider, name }, STEP_TEXT, "Connecting Alchemy failed. Try again.");
  const connect = () =>
    flow.run(async (step) => {
      const [
        { generateP256KeyPair, decryptCredentialBundle, getPublicKey },
        { uint8ArrayToHexString },
        { ApiKeyStamper },
        { alchemyTargetPublicKey },
        { storeSessionKey },
      ] = await Promise.all([
        import("@turnkey/crypto"),
        import("@turnkey/encoding"),
        import("@turnkey/api-key-stamper"),
        import("@/providers/wallets/alchemy/schema"),
        import("@/providers/wallets/alchemy/browser/session-key"),
      ]);
      // A fresh target key for this attempt only; its private half never leaves this function.
      const target = generateP256KeyPair();
      step("exchange");
      // Sent as Alchemy's signer client sends it (uncompressed, 04…, no 0x; see schema.ts): the
      // server's nonce is the SHA-256 of exactly this text.
      const { credentialBundle, orgId, expiresAt } = await postJson<{ credentialBundle: string; orgId: string; expiresAt: number }>(
        "/api/wallets/alchemy/auth-jwt",
        {
          targetPublicKey: alchemyTargetPublicKey(target),
        },
      );
      step("decrypt");
      const apiPrivateKey = decryptCredentialBundle(credentialBundle, target.privateKey);
      const apiPublicKey = uint8ArrayToHexString(getPublicKey(apiPrivateKey, true));
      step("whoami");
      const body = JSON.stringify({ organizationId: orgId });
      const stamp = await new ApiKeyStamper({ apiPublicKey, apiPrivateKey }).stamp(body);
      await postJson("/api/wallets/alchemy/whoami", { stampedRequest: { body, stamp, url: WHOAMI_URL } });
      step("keep");
      // Kept for "Sign a test message" as a non-extractable WebCrypto key; the hex copy above
      // goes out of scope with this function.
      await storeSessionKey({
        privateKeyHex: apiPrivateKey,
        uncompressedPublicKeyHex: uint8ArrayToHexString(getPublicKey(apiPrivateKey, false)),
        orgId,
        expiresAt,
      });
    });

  const pregenerate = () =>
    flow.run(
      async (step) => {
        step("pregenerate");
        await postJson("/api/wallets/alchemy/pregenerate", {});
      },
      { success: `${name} address pre-generated` },
    );

  const runIntent = (intent: string) => void (intent === "pregenerate" ? pregenerate() : connect());
  useStartIntent(start, runIntent);

  return <FaceShell face={alchemyFace({ reconnect })} run={runIntent} status={flow.status} error={flow.error} busy={flow.busy} />;
}
