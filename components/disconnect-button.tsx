"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { announce } from "./announcer";
import { postJson } from "./api";
import { useHydrated } from "./use-hydrated";
import { focusById, walletHeadingId } from "./focus";
import { endWalletSessions } from "@/providers/wallets/registry.client";

/**
 * Ends one wallet's session (the provider's in this browser, then the server's record). The
 * button disappears with the connection: focus goes to the card's heading, and the live region
 * says it happened.
 */
export function DisconnectButton({ provider, name, config }: { provider: string; name: string; config: Record<string, string | null> }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();
  return (
    <button
      type="button"
      className="btn-ghost px-2.5 py-1.5 text-xs"
      disabled={busy || !hydrated}
      onClick={async () => {
        setBusy(true);
        await endWalletSessions([{ provider, config }]);
        const ended = await postJson(`/api/wallets/${provider}`, undefined, "DELETE").then(
          () => true,
          () => false,
        );
        if (ended) {
          focusById(walletHeadingId(provider));
          announce(`Signed out of ${name}`);
        }
        router.refresh();
        setBusy(false);
      }}
    >
      {busy ? "Disconnecting…" : "Disconnect"}
    </button>
  );
}
