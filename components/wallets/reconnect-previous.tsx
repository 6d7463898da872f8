"use client";

import { useEffect, useRef, useState } from "react";
import { Alert } from "@/components/alert";
import { announce } from "@/components/announcer";
import { useHydrated } from "@/components/use-hydrated";
import { connectCard, type ConnectOutcome } from "./connect-outcomes";

export interface ReconnectableWallet {
  provider: string;
  name: string;
}

/**
 * "Reconnect previous wallets": presses each listed card's Reconnect in turn, one after the
 * other, saying which is running. Whatever a reconnect asks for (an email code) is asked on its
 * card as usual, and the next one waits for it. Stays mounted after the refreshed dashboard
 * lists none any more, so the outcome stays on screen.
 */
export function ReconnectPrevious({ wallets }: { wallets: ReconnectableWallet[] }) {
  const hydrated = useHydrated();
  const [progress, setProgress] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ text: string; ok: boolean } | null>(null);
  const result = useRef<HTMLDivElement>(null);

  // Each connect moved focus to its card; the outcome is shown where the person started.
  useEffect(() => {
    if (outcome) result.current?.focus();
  }, [outcome]);

  // One wallet has its own Reconnect button on its card; this is for several.
  if (wallets.length < 2 && progress === null && outcome === null) return null;

  async function reconnectAll() {
    const list = wallets;
    setOutcome(null);
    const failed: string[] = [];
    for (const [index, wallet] of list.entries()) {
      setProgress(`Reconnecting ${wallet.name} (${index + 1} of ${list.length})…`);
      const ended: ConnectOutcome = (await connectCard(wallet.provider)) ?? "failed";
      if (ended !== "connected") failed.push(wallet.name);
    }
    setProgress(null);
    const text =
      failed.length === 0
        ? `Reconnected ${list.length} wallets.`
        : `Reconnected ${list.length - failed.length} of ${list.length} wallets. Not reconnected: ${failed.join(", ")}; see ${failed.length === 1 ? "its card" : "their cards"}.`;
    setOutcome({ text, ok: failed.length === 0 });
    announce(text);
  }

  return (
    <section className="card space-y-3" aria-labelledby="reconnect-previous-heading" data-testid="reconnect-previous">
      <h2 id="reconnect-previous-heading" className="font-semibold">
        Your wallets from before
      </h2>
      {wallets.length > 0 && (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          You connected {wallets.map((w) => w.name).join(", ")} before. Reconnect them one after the other; one that asks for something (an
          email code) asks on its card, and the next waits for it.
        </p>
      )}
      {progress && (
        <p role="status" className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
          <span aria-hidden className="size-3 animate-spin rounded-full border-2 border-brand-500 border-t-transparent" />
          {progress}
        </p>
      )}
      {outcome && (
        <div ref={result} tabIndex={-1} className="outline-none">
          <Alert tone={outcome.ok ? "success" : "error"} testId="reconnect-previous-outcome">
            {outcome.text}
          </Alert>
        </div>
      )}
      {wallets.length > 0 && (
        <button type="button" className="btn-primary" disabled={!hydrated || progress !== null} onClick={() => void reconnectAll()}>
          Reconnect previous wallets
        </button>
      )}
    </section>
  );
}
