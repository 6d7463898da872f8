"use client";

import { Alert } from "@/components/alert";

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
