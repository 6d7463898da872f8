"use client";

import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { Alert } from "@/components/alert";
import { ApiError } from "@/components/api";

/** The shared face of a wallet connector: what is happening now, what went wrong, the button. */
export function ConnectShell({
  status,
  error,
  busy,
  label,
  onConnect,
  children,
  actions,
}: {
  status: string | null;
  error: string | null;
  busy: boolean;
  label: string;
  onConnect: () => void;
  /** Shown above the buttons (e.g. a code field). */
  children?: ReactNode;
  /** Further buttons beside the main one. */
  actions?: ReactNode;
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
      {children}
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className="btn-primary" onClick={onConnect} disabled={busy}>
          {label}
        </button>
        {actions}
      </div>
    </div>
  );
}

/**
 * The state every connector shares: which step is running (its text is the status line),
 * the last error (the server's message, or `failure`), and a page refresh on success so the
 * server-rendered dashboard shows the new wallet. `run` resolves to whether the task
 * succeeded; a task that is only a first step passes `{ refresh: false }`.
 */
export function useConnectFlow<S extends string>(steps: Record<S, string>, failure: string) {
  const router = useRouter();
  const [step, setStep] = useState<S | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function run(task: (step: (s: S) => void) => Promise<void>, { refresh = true } = {}): Promise<boolean> {
    setError(null);
    try {
      await task(setStep);
      if (refresh) router.refresh();
      return true;
    } catch (e) {
      // The person sees `failure`; a developer finds the SDK's own error in the console.
      if (!(e instanceof ApiError)) console.error(e);
      setError(e instanceof ApiError ? e.message : failure);
      return false;
    } finally {
      setStep(null);
    }
  }
  return { status: step === null ? null : steps[step], error, busy: step !== null, run };
}
