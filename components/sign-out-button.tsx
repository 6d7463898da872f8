"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";
import { endWalletSessions } from "./wallets/registry";

/**
 * Ends every session: each wallet provider's in the browser, then the app's (whose signOut
 * event also deletes the server's wallet records).
 */
export function SignOutButton({ wallets }: { wallets: { provider: string; config: Record<string, string | null> }[] }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="btn-secondary"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        await endWalletSessions(wallets);
        await signOut({ redirectTo: "/signin?reason=signed_out" });
      }}
    >
      {busy ? "Signing out…" : "Sign out"}
    </button>
  );
}
