"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiError, postJson } from "@/components/api";
import { ConnectShell } from "./connect-shell";
import type { ConnectorProps } from "./types";

type Step = "idle" | "key" | "login" | "whoami";

const STEP_TEXT: Record<Exclude<Step, "idle">, string> = {
  key: "Creating this browser's session key (non-extractable, kept in IndexedDB)…",
  login: "Your server is logging in to Turnkey with an ID token bound to that key…",
  whoami: "Proving the key works (a stamped whoami)…",
};

const SESSION = "turnkey.session";

export default function TurnkeyConnect({ reconnect }: ConnectorProps) {
  const router = useRouter();
  const [step, setStep] = useState<Step>("idle");
  const [error, setError] = useState<string | null>(null);

  async function connect() {
    setError(null);
    try {
      const [{ createSessionKey }, { compressedPublicKeyHex, stamp }] = await Promise.all([
        import("@/lib/wallets/turnkey/browser/key-store"),
        import("@/lib/wallets/turnkey/browser/stamp"),
      ]);
      setStep("key");
      // One key per login attempt, stored before its public half leaves the browser.
      const keys = await createSessionKey();
      const publicKey = await compressedPublicKeyHex(keys.publicKey);
      setStep("login");
      const { session, organizationId } = await postJson<{ session: string; organizationId: string }>("/api/wallets/turnkey/oauth-login", { publicKey });
      sessionStorage.setItem(SESSION, session);
      setStep("whoami");
      const body = JSON.stringify({ organizationId });
      await postJson("/api/wallets/turnkey/whoami", { body, stamp: await stamp(body, keys) });
      setStep("idle");
      router.refresh();
    } catch (e) {
      setStep("idle");
      setError(e instanceof ApiError ? e.message : "Connecting Turnkey failed. Try again.");
    }
  }

  return (
    <ConnectShell
      status={step === "idle" ? null : STEP_TEXT[step as Exclude<Step, "idle">]}
      error={error}
      busy={step !== "idle"}
      label={reconnect ? "Reconnect Turnkey" : "Connect Turnkey"}
      onConnect={connect}
    />
  );
}

/** Forgets the session and deletes the key from IndexedDB. */
export async function endTurnkeySession(): Promise<void> {
  sessionStorage.removeItem(SESSION);
  await (await import("@/lib/wallets/turnkey/browser/key-store")).deleteSessionKey();
}
