"use client";

import { useState } from "react";
import { useHydrated } from "@/components/use-hydrated";

/** A short visible "Copy"; screen readers hear what is copied (`what`) and the value. */
export function CopyButton({ value, what }: { value: string; what: string }) {
  const [copied, setCopied] = useState(false);
  // Copying needs JavaScript: before hydration a click would do nothing, so the button says so.
  const hydrated = useHydrated();
  return (
    <button
      type="button"
      disabled={!hydrated}
      className="btn-secondary px-2.5 py-1.5 text-xs"
      aria-label={`Copy ${what}: ${value}`}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        } catch {
          // Clipboard can be unavailable (permissions, insecure context); the value stays selectable.
        }
      }}
    >
      {copied ? "Copied ✓" : "Copy"}
    </button>
  );
}
