"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiError, postJson } from "@/components/api";
import { ConnectShell } from "./connect-shell";
import type { ConnectorProps } from "./types";

type Step = "idle" | "exchange" | "decrypt" | "whoami";

const STEP_TEXT: Record<Exclude<Step, "idle">, string> = {
  exchange: "Your server is sending Alchemy an ID token bound to this browser's key…",
  decrypt: "Opening the credential bundle with the key only this browser holds…",
  whoami: "Proving the decrypted key works (a stamped whoami)…",
};

// The Turnkey query Alchemy's signer client stamps; Alchemy checks the path.
const WHOAMI_URL = "https://api.turnkey.com/public/v1/query/whoami";

export default function AlchemyConnect({ reconnect }: ConnectorProps) {
  const router = useRouter();
  const [step, setStep] = useState<Step>("idle");
  const [error, setError] = useState<string | null>(null);

  async function connect() {
    setError(null);
    try {
      const [{ generateP256KeyPair, decryptCredentialBundle, getPublicKey }, { uint8ArrayToHexString }, { ApiKeyStamper }] = await Promise.all([
        import("@turnkey/crypto"),
        import("@turnkey/encoding"),
        import("@turnkey/api-key-stamper"),
      ]);
      // A fresh target key for this attempt only; its private half never leaves this function.
      const target = generateP256KeyPair();
      setStep("exchange");
      const { credentialBundle, orgId } = await postJson<{ credentialBundle: string; orgId: string }>("/api/wallets/alchemy/auth-jwt", {
        targetPublicKey: target.publicKey,
      });
      setStep("decrypt");
      const apiPrivateKey = decryptCredentialBundle(credentialBundle, target.privateKey);
      const apiPublicKey = uint8ArrayToHexString(getPublicKey(apiPrivateKey, true));
      setStep("whoami");
      const body = JSON.stringify({ organizationId: orgId });
      const stamp = await new ApiKeyStamper({ apiPublicKey, apiPrivateKey }).stamp(body);
      await postJson("/api/wallets/alchemy/whoami", { stampedRequest: { body, stamp, url: WHOAMI_URL } });
      setStep("idle");
      router.refresh();
    } catch (e) {
      setStep("idle");
      setError(e instanceof ApiError ? e.message : "Connecting Alchemy failed. Try again.");
    }
  }

  return (
    <ConnectShell
      status={step === "idle" ? null : STEP_TEXT[step as Exclude<Step, "idle">]}
      error={error}
      busy={step !== "idle"}
      label={reconnect ? "Reconnect Alchemy" : "Connect Alchemy"}
      onConnect={connect}
    />
  );
}
