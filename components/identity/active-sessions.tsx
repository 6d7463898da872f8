"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { postJson } from "../api";
import { DateTime } from "../date-time";

export interface ActiveSession {
  device: string;
  startedAt: string;
  lastSeenAt: string;
  current: boolean;
}

/** The user's live app sessions, and "Sign out everywhere else". */
export function ActiveSessions({ sessions }: { sessions: ActiveSession[] }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const others = sessions.filter((s) => !s.current).length;
  return (
    <div>
      <ul className="space-y-2" data-testid="active-sessions">
        {sessions.map((s, i) => (
          <li
            key={`${s.startedAt}-${i}`}
            className="rounded-lg border border-slate-200 px-3 py-2 text-sm dark:border-slate-800"
            data-testid="active-session"
          >
            <p className="font-medium">
              {s.device}
              {s.current && (
                <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">
                  this device
                </span>
              )}
            </p>
            <p className="text-xs text-slate-500">
              Started <DateTime value={s.startedAt} /> · last seen <DateTime value={s.lastSeenAt} />
            </p>
          </li>
        ))}
      </ul>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <button
          type="button"
          className="btn-secondary"
          disabled={busy || others === 0}
          onClick={async () => {
            setBusy(true);
            setMessage(null);
            try {
              const { ended } = await postJson<{ ended: number }>("/api/session/others", undefined);
              setMessage({ ok: true, text: ended === 1 ? "Signed out 1 other session." : `Signed out ${ended} other sessions.` });
              router.refresh();
            } catch (error) {
              setMessage({ ok: false, text: error instanceof Error ? error.message : "That did not work. Try again." });
            } finally {
              setBusy(false);
            }
          }}
        >
          {busy ? "Signing out other sessions…" : "Sign out everywhere else"}
        </button>
        {others === 0 && !message && <span className="text-xs text-slate-500">No other sessions.</span>}
        {message && (
          <span
            role={message.ok ? "status" : "alert"}
            className={`text-sm ${message.ok ? "text-emerald-700 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}`}
          >
            {message.text}
          </span>
        )}
      </div>
    </div>
  );
}
