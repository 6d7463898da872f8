"use client";

/** A password input labelled "Password"; `isNew` sets what password managers offer (and a hint with `minLength`). */
export function PasswordField({
  id,
  value,
  onChange,
  isNew,
  minLength,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  isNew: boolean;
  minLength?: number;
}) {
  return (
    <div>
      <label className="label" htmlFor={id}>
        Password
      </label>
      <input
        id={id}
        className="input"
        type="password"
        required
        minLength={isNew ? minLength : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoComplete={isNew ? "new-password" : "current-password"}
      />
      {isNew && minLength !== undefined && (
        <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">At least {minLength} characters.</p>
      )}
    </div>
  );
}
