"use client";

/**
 * The demo mailbox's page for one address. On the shared public demo, opening an address's
 * mail is how a browser claims it (the first one to do so sees its codes, nobody else does), so
 * every link the app shows carries the address the code went to.
 */
export function mailboxLink(mailboxUrl: string, to: string | null | undefined): string {
  if (!to) return mailboxUrl;
  const url = new URL(mailboxUrl);
  url.searchParams.set("to", to);
  return url.href;
}

export function CodeField({
  id,
  label,
  value,
  onChange,
  mailboxUrl,
  to,
  length = 6,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  mailboxUrl: string | null;
  /** The address the code went to (the mailbox link opens its mail). */
  to?: string | null;
  length?: number;
}) {
  return (
    <div>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="input font-mono tracking-widest"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={length}
        value={value}
        onChange={(e) => onChange(e.target.value.replace(/\D/g, ""))}
      />
      {mailboxUrl && (
        <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          Demo: codes arrive in the{" "}
          <a
            className="font-medium text-brand-700 dark:text-brand-300 underline"
            href={mailboxLink(mailboxUrl, to)}
            target="_blank"
            rel="noreferrer"
          >
            local mailbox
          </a>
          .
        </p>
      )}
    </div>
  );
}
