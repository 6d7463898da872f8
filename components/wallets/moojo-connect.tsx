"use client";

import { postJson } from "@/components/api";
import { getFirebaseAuth } from "@/lib/firebase/client";
import { ConnectShell, useConnectFlow } from "./connect-shell";
import type { ConnectorProps } from "./types";

const STEP_TEXT = {
  firebase: "Getting a Firebase ID token (through the app's bridge if you did not sign in with Firebase)…",
  exchange: "Your server is exchanging it with Moojo…",
} as const;

export default function MoojoConnect({ config, reconnect }: ConnectorProps) {
  const flow = useConnectFlow(STEP_TEXT, "Connecting Moojo failed. Try again.");
  const connect = () =>
    flow.run(async (step) => {
      step("firebase");
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
      step("exchange");
      try {
        await postJson("/api/wallets/moojo/authenticate", { idToken });
      } finally {
        // The bridge session has done its job; leave no Firebase session behind for it.
        if (bridged) await signOut(auth).catch(() => undefined);
      }
    });

  return (
    <ConnectShell
      status={flow.status}
      error={flow.error}
      busy={flow.busy}
      label={reconnect ? "Reconnect Moojo" : "Connect Moojo"}
      onConnect={connect}
    />
  );
}
