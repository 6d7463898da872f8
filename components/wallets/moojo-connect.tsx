"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiError, postJson } from "@/components/api";
import { getFirebaseAuth } from "@/lib/firebase/client";
import { ConnectShell } from "./connect-shell";
import type { ConnectorProps } from "./types";

type Step = "idle" | "firebase" | "exchange";

const STEP_TEXT: Record<Exclude<Step, "idle">, string> = {
  firebase: "Getting a Firebase ID token (through the app's bridge if you did not sign in with Firebase)…",
  exchange: "Your server is exchanging it with Moojo…",
};

export default function MoojoConnect({ config, reconnect }: ConnectorProps) {
  const router = useRouter();
  const [step, setStep] = useState<Step>("idle");
  const [error, setError] = useState<string | null>(null);

  async function connect() {
    setError(null);
    try {
      setStep("firebase");
      const auth = await getFirebaseAuth({
        apiKey: config.apiKey!,
        authDomain: config.authDomain!,
        projectId: config.projectId!,
        emulatorHost: config.emulatorHost ?? null,
      });
      const { signInWithCustomToken, signOut } = await import("firebase/auth");
      let bridged = false;
      if (!auth.currentUser) {
        // Not signed in with Firebase: the server mints a custom token for this app user.
        const { customToken } = await postJson<{ customToken: string }>("/api/identity/firebase-custom-token", undefined);
        await signInWithCustomToken(auth, customToken);
        bridged = true;
      }
      const idToken = await auth.currentUser!.getIdToken(true);
      setStep("exchange");
      try {
        await postJson("/api/wallets/moojo/authenticate", { idToken });
      } finally {
        // The bridge session has done its job; leave no Firebase session behind for it.
        if (bridged) await signOut(auth).catch(() => undefined);
      }
      setStep("idle");
      router.refresh();
    } catch (e) {
      setStep("idle");
      setError(e instanceof ApiError ? e.message : "Connecting Moojo failed. Try again.");
    }
  }

  return (
    <ConnectShell
      status={step === "idle" ? null : STEP_TEXT[step as Exclude<Step, "idle">]}
      error={error}
      busy={step !== "idle"}
      label={reconnect ? "Reconnect Moojo" : "Connect Moojo"}
      onConnect={connect}
    />
  );
}
