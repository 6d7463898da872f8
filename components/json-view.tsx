/** Pretty JSON with Unix timestamps annotated, for decoded tokens and claims. */
export function JsonView({ value, testId }: { value: unknown; testId?: string }) {
  const text = JSON.stringify(
    value,
    (key, v) =>
      ["iat", "exp", "nbf", "auth_time"].includes(key) && typeof v === "number" ? `${v} (${new Date(v * 1000).toISOString()})` : v,
    2,
  );
  return (
    <pre data-testid={testId} className="overflow-x-auto rounded-xl bg-slate-950 p-3 font-mono text-xs leading-relaxed text-slate-100">
      {text}
    </pre>
  );
}
