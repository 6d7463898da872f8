"use client";

import type { Auth } from "firebase/auth";
import { postJson } from "@/components/api";
import { type FirebaseWebConfig, getFirebaseAuth } from "@/providers/identity/firebase/browser";
import { FaceShell, useConnectFlow, useStartIntent } from "@/components/wallets/connect-shell";
import type { ConnectorProps } from "@/components/wallets/types";
import { moojoFace } from "./face";

const STEP_TEXT = {
  firebase:
    "Getting a Firebase ID token for your one Moojo identity (through the app's bridge unless your own Firebase sign-in has that uid)…",
  exchange: "Your server is exchanging it with Moojo…",
} as const;

const BRIDGE_APP = "moojo-bridge";

/**
 * A Firebase Auth instance of its own for the bridge, in memory only: signing in there with a
 * custom token never replaces (or signs out) the user's own Firebase session in this browser.
 */
async function bridgeAuth(config: FirebaseWebConfig): Promise<Auth> {
  const [{ initializeApp, getApps }, { initializeAuth, getAuth, inMemoryPersistence, connectAuthEmulator }] = await Promise.all([
    import("firebase/app"),
    import("firebase/auth"),
  ]);
  const existing = getApps().find((a) => a.name === BRIDGE_APP);
  if (existing) return getAuth(existing);
  const app = initializeApp({ apiKey: config.apiKey, authDomain: config.authDomain, projectId: config.projectId }, BRIDGE_APP);
  const auth = initializeAuth(app, { persistence: inMemoryPersistence });
  if (config.emulatorUrl) connectAuthEmulator(auth, config.emulatorUrl, { disableWarnings: true });
  return auth;
}

export default function MoojoConnect({ provider, name, config, reconnect, start }: ConnectorProps) {
  const flow = useConnectFlow({ provider, name }, STEP_TEXT, "Connecting Moojo failed. Try again.");
  const connect = () =>
    flow.run(async (step) => {
      step("firebase");
      const web: FirebaseWebConfig = {
        apiKey: config.apiKey!,
        authDomain: config.authDomain!,
        projectId: config.projectId!,
        emulatorUrl: config.emulatorUrl ?? null,
      };
      // The server decides (once, for good) which Firebase uid stands for this person at Moojo.
      const { firebaseUid } = await postJson<{ firebaseUid: string }>("/api/wallets/moojo/prepare", {});
      // Created first, so it stays the page's default Firebase app.
      const own = await getFirebaseAuth(web);
      const { signInWithCustomToken, signOut } = await import("firebase/auth");
      let idToken: string;
      if (own.currentUser?.uid === firebaseUid) {
        idToken = await own.currentUser.getIdToken(true);
      } else {
        // Not signed in with Firebase, or with another uid: the server mints a custom token for
        // the recorded uid, exchanged in a separate in-memory Firebase instance.
        const { customToken } = await postJson<{ customToken: string }>("/api/identity/firebase-custom-token", undefined);
        const bridge = await bridgeAuth(web);
        try {
          idToken = await (await signInWithCustomToken(bridge, customToken)).user.getIdToken();
        } finally {
          await signOut(bridge).catch(() => undefined);
        }
      }
      step("exchange");
      await postJson("/api/wallets/moojo/authenticate", { idToken });
    });

  useStartIntent(start, () => void connect());

  return <FaceShell face={moojoFace({ reconnect })} run={() => void connect()} status={flow.status} error={flow.error} busy={flow.busy} />;
}
