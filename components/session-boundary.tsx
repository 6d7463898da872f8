"use client";

import { type ReactNode, useEffect, useRef, useState } from "react";
import { SESSION_ENDED_EVENT } from "./api";

/**
 * Wraps the signed-in pages. Once any call to the app's API answers that the app session has
 * ended (components/api.ts), the whole page becomes one "Sign in again" state with a link: the
 * wallet cards, their countdowns and the app-session countdown unmount (nothing goes on
 * claiming "connected" or counting down), and focus moves to the new heading.
 */
export function SessionBoundary({ children }: { children: ReactNode }) {
  const [ended, setEnded] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const listener = () => setEnded(true);
    window.addEventListener(SESSION_ENDED_EVENT, listener);
    return () => window.removeEventListener(SESSION_ENDED_EVENT, listener);
  }, []);
  useEffect(() => {
    if (ended) heading.current?.focus();
  }, [ended]);
  if (!ended) return children;
  return (
    <section className="card mx-auto max-w-md space-y-3" data-testid="session-ended">
      <h1 ref={heading} tabIndex={-1} className="text-xl font-bold tracking-tight outline-none">
        Your session ended
      </h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        The app no longer knows you in this tab (it expired, or you signed out elsewhere). Your wallets are not shown until you sign in
        again.
      </p>
      <a href="/signin?reason=session_expired" className="btn-primary inline-flex">
        Sign in again
      </a>
    </section>
  );
}
