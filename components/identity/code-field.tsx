"use client";

export function CodeField({
  id,
  label,
  value,
  onChange,
  mailboxUrl,
  length = 6,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  mailboxUrl: string | null;
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
          <a className="font-medium text-brand-700 dark:text-brand-300 underline" href={mailboxUrl} target="_blank" rel="noreferrer">
            local mailbox
          </a>
          .
        </p>
      )}
    </div>
  );
}
