"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/alert";
import { ApiError, postJson } from "@/components/api";
import { useHydrated } from "@/components/use-hydrated";

/**
 * A button for one server-side wallet action (WalletProvider.buttons): posts `{}` to
 * /api/wallets/{provider}/{action}, then refreshes the server-rendered card. The server decides
 * everything else from the session; the button sends no data.
 */
export function WalletActionButton({
  provider,
  action,
  label,
  busyLabel,
}: {
  provider: string;
  action: string;
  label: string;
  busyLabel: string;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="space-y-2">
      <button
        type="button"
        className="btn-secondary"
        disabled={busy || !hydrated}
        aria-busy={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await postJson(`/api/wallets/${provider}/${action}`, {});
            router.refresh();
          } catch (e) {
            setError(e instanceof ApiError ? e.message : "That did not work. Try again.");
            // The server may have marked the session expired: show the card as it is now.
            router.refresh();
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? busyLabel : label}
      </button>
      {error && <Alert testId="wallet-action-error">{error}</Alert>}
    </div>
  );
}
