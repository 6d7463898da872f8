"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";
import { endIdentitySession } from "./identity/registry";
import { endWalletSessions } from "./wallets/registry";

/**
 * Ends every session: each wallet provider's and the identity provider's in the browser, then
 * the app's (whose signOut
 * event also deletes the server's wallet records).
 */
export function SignOutButton({
  wallets,
  identity,
}: {
  wallets: { provider: string; config: Record<string, string | null> }[];
  identity: { provider: string; config: Record<string, string | null> | null };
}) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="btn-secondary"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        await endWalletSessions(wallets);
        await endIdentitySession(identity.provider, identity.config);
        await signOut({ redirectTo: "/signin?reason=signed_out" });
      }}
    >
      {busy ? "Signing out…" : "Sign out"}
    </button>
  );
}
