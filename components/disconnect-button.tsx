"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { postJson } from "./api";
import { endWalletSessions } from "@/providers/wallets/registry.client";

export function DisconnectButton({ provider, config }: { provider: string; config: Record<string, string | null> }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="btn-ghost px-2.5 py-1.5 text-xs"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        await endWalletSessions([{ provider, config }]);
        await postJson(`/api/wallets/${provider}`, undefined, "DELETE").catch(() => undefined);
        router.refresh();
        setBusy(false);
      }}
    >
      {busy ? "Disconnecting…" : "Disconnect"}
    </button>
  );
}
