"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { Alert } from "@/components/alert";
import { useHydrated } from "@/components/use-hydrated";
import { BrowserSignIn, canLinkInBrowser } from "@/providers/identity/registry.client";
import type { LinkedMethod } from "./use-app-sign-in";

export interface LinkableMethod {
  provider: string;
  label: string;
  config: Record<string, string | null>;
}

/**
 * "Link <provider>" controls for the dashboard: each opens the provider's own sign-in form in
 * link mode, which proves the account and links it to the signed-in user (explicit account
 * linking; POST /api/identity/link). Stays mounted when the refreshed dashboard lists no more
 * methods, so the announcement of the last link survives the refresh.
 */
export function LinkSignInMethods({ methods, mailboxUrl }: { methods: LinkableMethod[]; mailboxUrl: string | null }) {
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const announced = useRef<HTMLDivElement>(null);
  const available = methods.filter((m) => canLinkInBrowser(m.provider));

  useEffect(() => {
    if (announcement) announced.current?.focus();
  }, [announcement]);

  if (available.length === 0 && !announcement) return null;
  return (
    <div className="space-y-2" data-testid="link-sign-in-methods">
      {announcement && (
        <div ref={announced} tabIndex={-1} className="outline-none">
          <Alert tone="success" testId="link-success">
            {announcement}
          </Alert>
        </div>
      )}
      {available.length > 0 && (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Add another way to sign in to this same account: prove it here while you are signed in.
        </p>
      )}
      {available.map((m) => (
        <LinkMethod
          key={m.provider}
          method={m}
          mailboxUrl={mailboxUrl}
          onOpen={() => setAnnouncement(null)}
          onLinked={(linked) =>
            setAnnouncement(
              `${m.label}${linked.email ? ` (${linked.email})` : ""} ${linked.created ? "is now linked" : "was already linked"} to this account. Sign in with it next time to reach this same account.`,
            )
          }
        />
      ))}
    </div>
  );
}

function LinkMethod({
  method,
  mailboxUrl,
  onOpen,
  onLinked,
}: {
  method: LinkableMethod;
  mailboxUrl: string | null;
  onOpen: () => void;
  onLinked: (linked: LinkedMethod) => void;
}) {
  const [open, setOpen] = useState(false);
  const hydrated = useHydrated();
  const panel = useRef<HTMLDivElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const panelId = `link-${method.provider}-panel`;

  const returnFocus = useRef(false);

  // Focus moves into the form when it opens (its fields load with the provider's SDK), and
  // back to the button when the form is cancelled.
  useEffect(() => {
    if (open) panel.current?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      opener.current?.focus();
    }
  }, [open]);

  const linked = useCallback(
    (result: LinkedMethod) => {
      setOpen(false);
      onLinked(result);
    },
    [onLinked],
  );

  if (!open) {
    return (
      <button
        ref={opener}
        type="button"
        className="btn-secondary"
        aria-expanded={false}
        aria-controls={panelId}
        disabled={!hydrated}
        onClick={() => {
          onOpen();
          setOpen(true);
        }}
      >
        Link {method.label}
      </button>
    );
  }
  return (
    <div
      ref={panel}
      id={panelId}
      tabIndex={-1}
      role="group"
      aria-label={`Link ${method.label}`}
      data-testid={`link-${method.provider}`}
      className="space-y-2 rounded-xl border border-slate-200 p-3 outline-none dark:border-slate-800"
    >
      <BrowserSignIn provider={method.provider} config={method.config} mailboxUrl={mailboxUrl} intent="link" onLinked={linked} />
      <button
        type="button"
        className="text-sm text-brand-700 dark:text-brand-300 hover:underline"
        onClick={() => {
          returnFocus.current = true;
          setOpen(false);
        }}
      >
        Cancel
      </button>
    </div>
  );
}
