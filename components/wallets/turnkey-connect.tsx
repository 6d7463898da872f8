"use client";

import { postJson } from "@/components/api";
import { ConnectShell, useConnectFlow } from "./connect-shell";
import type { ConnectorProps } from "./types";

const STEP_TEXT = {
  key: "Creating this browser's session key (non-extractable, kept in IndexedDB)…",
  login: "Your server is logging in to Turnkey with an ID token bound to that key…",
  whoami: "Proving the key works (a stamped whoami)…",
} as const;

const SESSION = "turnkey.session";

export default function TurnkeyConnect({ reconnect }: ConnectorProps) {
  const flow = useConnectFlow(STEP_TEXT, "Connecting Turnkey failed. Try again.");
  const connect = () =>
    flow.run(async (step) => {
      const [{ createSessionKey }, { compressedPublicKeyHex, stamp }] = await Promise.all([
        import("@/lib/wallets/turnkey/browser/key-store"),
        import("@/lib/wallets/turnkey/browser/stamp"),
      ]);
      step("key");
      // One key per login attempt, stored before its public half leaves the browser.
      const keys = await createSessionKey();
      const publicKey = await compressedPublicKeyHex(keys.publicKey);
      step("login");
      const { session, organizationId } = await postJson<{ session: string; organizationId: string }>("/api/wallets/turnkey/oauth-login", { publicKey });
      sessionStorage.setItem(SESSION, session);
      step("whoami");
      const body = JSON.stringify({ organizationId });
      await postJson("/api/wallets/turnkey/whoami", { body, stamp: await stamp(body, keys) });
    });

  return (
    <ConnectShell
      status={flow.status}
      error={flow.error}
      busy={flow.busy}
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
