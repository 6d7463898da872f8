/** Pretty JSON with Unix timestamps annotated, for decoded tokens and claims. */
export function JsonView({ value, testId }: { value: unknown; testId?: string }) {
  const text = JSON.stringify(
    value,
    (key, v) =>
      ["iat", "exp", "nbf", "auth_time"].includes(key) && typeof v === "number" ? `${v} (${new Date(v * 1000).toISOString()})` : v,
    2,
  );
  return (
    // Wrapped, never scrolled: a scrolling <pre> is a region only a mouse can scroll (axe
    // scrollable-region-focusable), and on a 360 px phone it would be most of the token.
    <pre
      data-testid={testId}
      className="rounded-xl bg-slate-950 p-3 font-mono text-xs leading-relaxed whitespace-pre-wrap text-slate-100 [overflow-wrap:anywhere]"
    >
      {text}
    </pre>
  );
}
