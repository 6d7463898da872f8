"use client";

import { useState } from "react";
import { postJson } from "./api";
import { useHydrated } from "./use-hydrated";
import { endIdentitySession } from "@/providers/identity/registry.client";
import { endWalletSessions } from "@/providers/wallets/registry.client";

/**
 * Ends every session: each wallet provider's and the identity provider's in the browser, then
 * the app's on the server (which also deletes the server's wallet records and, for a redirect
 * provider, sends the browser on to that provider's logout).
 */
export function SignOutButton({
  wallets,
  identity,
}: {
  wallets: { provider: string; config: Record<string, string | null> }[];
  identity: { provider: string; config: Record<string, string | null> | null };
}) {
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();
  const [failed, setFailed] = useState(false);
  return (
    <>
      <button
        type="button"
        className="btn-secondary"
        disabled={busy || !hydrated}
        onClick={async () => {
          setBusy(true);
          setFailed(false);
          await endWalletSessions(wallets);
          await endIdentitySession(identity.provider, identity.config);
          try {
            const { redirectTo } = await postJson<{ redirectTo: string }>("/api/session/sign-out", undefined);
            window.location.assign(redirectTo);
          } catch {
            // The server could not be reached: the app session may still be alive; say so.
            setBusy(false);
            setFailed(true);
          }
        }}
      >
        {busy ? "Signing out…" : "Sign out"}
      </button>
      {failed && (
        <span role="alert" className="text-sm text-red-700 dark:text-red-300">
          Sign-out did not reach the server. Check your connection, then try again.
        </span>
      )}
    </>
  );
}
