"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Alert } from "@/components/alert";
import { announce } from "@/components/announcer";
import { ApiError } from "@/components/api";
import { focusById, walletHeadingId } from "@/components/focus";
import { useHydrated } from "@/components/use-hydrated";
import { reportConnectOutcome } from "./connect-outcomes";
import type { ConnectFace } from "./types";

/** The shared face of a wallet connector: what is happening now, what went wrong, the button. */
export function ConnectShell({
  status,
  error,
  busy,
  label,
  onConnect,
  children,
  actions,
  hint,
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
  /** A short line under the buttons explaining the further ones. */
  hint?: ReactNode;
}) {
  const hydrated = useHydrated();
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
      {/* Disabled as a group until hydrated: every button here runs JavaScript. */}
      <fieldset disabled={!hydrated} className="m-0 flex min-w-0 flex-wrap items-center gap-2 border-0 p-0">
        <button type="button" className="btn-primary" onClick={onConnect} disabled={busy}>
          {label}
        </button>
        {actions}
      </fieldset>
      {hint && <p className="text-xs text-slate-600 dark:text-slate-400">{hint}</p>}
    </div>
  );
}

/**
 * A connector's face (ConnectFace) in the shared shell: each intent's button runs `run(id)`.
 * The card renders it before the connector loads (LazyConnector) and the loaded connector
 * renders the same, so the buttons do not change under the pointer when the code arrives.
 */
export function FaceShell({
  face,
  run,
  status,
  error,
  busy,
  disabled,
  children,
}: {
  face: ConnectFace;
  run: (intent: string) => void;
  status: string | null;
  error: string | null;
  busy: boolean;
  /** Intents that cannot run yet (beyond `busy`, which stops them all). */
  disabled?: (intent: string) => boolean;
  children?: ReactNode;
}) {
  const [primary, ...more] = face.intents;
  if (!primary) return null;
  const off = (intent: string) => busy || (disabled?.(intent) ?? false);
  return (
    <ConnectShell
      status={status}
      error={error}
      busy={off(primary.id)}
      label={primary.label}
      onConnect={() => run(primary.id)}
      actions={
        more.length === 0
          ? undefined
          : more.map((intent) => (
              <button
                key={intent.id}
                type="button"
                className={intent.style === "ghost" ? "btn-ghost" : "btn-secondary"}
                onClick={() => run(intent.id)}
                disabled={off(intent.id)}
                aria-describedby={intent.describedBy}
              >
                {intent.label}
              </button>
            ))
      }
      hint={face.hint}
    >
      {face.notice}
      {children}
    </ConnectShell>
  );
}

/**
 * Runs the intent pressed before the connector had loaded (ConnectorProps.start) once, as soon
 * as `ready`: the person pressed the button once and the flow goes on without a second press.
 */
export function useStartIntent(start: string | null | undefined, run: (intent: string) => void, ready = true): void {
  const started = useRef(false);
  const latest = useRef(run);
  useEffect(() => {
    latest.current = run;
  });
  useEffect(() => {
    if (!start || started.current || !ready) return;
    started.current = true;
    latest.current(start);
  }, [start, ready]);
}

/**
 * What a connector does once its task succeeded and the card will be re-rendered: says so
 * through the live region (`success`, by default "{name} connected") and moves focus to the
 * card's heading, which stays while the button that had focus is replaced.
 */
export function connected({ provider, name }: { provider: string; name: string }, success = `${name} connected`): void {
  announce(success);
  focusById(walletHeadingId(provider));
  reportConnectOutcome(provider, "connected");
}

/**
 * The state every connector shares: which step is running (its text is the status line),
 * the last error (the server's message, or `failure`), and a page refresh on success so the
 * server-rendered dashboard shows the new wallet. `run` resolves to whether the task
 * succeeded; a task that is only a first step passes `{ refresh: false }` (nothing is
 * announced for it); `success` replaces the "{name} connected" announcement.
 */
export function useConnectFlow<S extends string>(wallet: { provider: string; name: string }, steps: Record<S, string>, failure: string) {
  const router = useRouter();
  const [step, setStep] = useState<S | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function run(
    task: (step: (s: S) => void) => Promise<void>,
    { refresh = true, success }: { refresh?: boolean; success?: string } = {},
  ): Promise<boolean> {
    setError(null);
    try {
      await task(setStep);
      if (refresh) {
        connected(wallet, success);
        router.refresh();
      }
      return true;
    } catch (e) {
      // The person sees `failure`; a developer finds the SDK's own error in the console.
      if (!(e instanceof ApiError)) console.error(e);
      setError(e instanceof ApiError ? e.message : failure);
      reportConnectOutcome(wallet.provider, "failed");
      return false;
    } finally {
      setStep(null);
    }
  }
  return { status: step === null ? null : steps[step], error, busy: step !== null, run };
}
