"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { DateTime } from "./date-time";

function format(ms: number): string {
  if (ms <= 0) return "expired";
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, "0")}m ${String(sec).padStart(2, "0")}s` : `${m}m ${String(sec).padStart(2, "0")}s`;
}

/** Live countdown to `expiresAt`; refreshes the page once when it reaches zero so the server decides what happens next. */
export function Countdown({ expiresAt, testId }: { expiresAt: number; testId?: string }) {
  const router = useRouter();
  const [now, setNow] = useState<number | null>(null);
  const refreshed = useRef(false);

  useEffect(() => {
    const tick = () => setNow(Date.now());
    tick();
    const id = setInterval(tick, 1000);
    return () => clearInterval(id);
  }, []);

  const remaining = now === null ? null : expiresAt - now;
  useEffect(() => {
    if (remaining !== null && remaining <= 0 && !refreshed.current) {
      refreshed.current = true;
      router.refresh();
    }
  }, [remaining, router]);

  const warn = remaining !== null && remaining < 5 * 60_000;
  return (
    <span data-testid={testId} className={`font-mono tabular-nums ${warn ? "text-amber-600 dark:text-amber-400" : ""}`}>
      {remaining === null ? "…" : format(remaining)}
      <span className="ml-2 font-sans text-xs text-slate-500 dark:text-slate-400">
        (at <DateTime value={expiresAt} />)
      </span>
    </span>
  );
}
