"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/alert";
import { ApiError } from "@/components/api";

/** The shared face of a wallet connector: what is happening now, what went wrong, the button. */
export function ConnectShell({ status, error, busy, label, onConnect }: {
  status: string | null;
  error: string | null;
  busy: boolean;
  label: string;
  onConnect: () => void;
}) {
  return (
    <div className="space-y-3">
      {status && (
        <p role="status" className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
          <span aria-hidden className="size-3 animate-spin rounded-full border-2 border-brand-500 border-t-transparent" />
          {status}
        </p>
      )}
      {error && <Alert testId="wallet-error">{error}</Alert>}
      <button type="button" className="btn-primary" onClick={onConnect} disabled={busy}>
        {label}
      </button>
    </div>
  );
}

/**
 * The state every connector shares: which step is running (its text is the status line),
 * the last error (the server's message, or `failure`), and a page refresh on success so the
 * server-rendered dashboard shows the new wallet.
 */
export function useConnectFlow<S extends string>(steps: Record<S, string>, failure: string) {
  const router = useRouter();
  const [step, setStep] = useState<S | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function run(task: (step: (s: S) => void) => Promise<void>) {
    setError(null);
    try {
      await task(setStep);
      router.refresh();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : failure);
    } finally {
      setStep(null);
    }
  }
  return { status: step === null ? null : steps[step], error, busy: step !== null, run };
}
