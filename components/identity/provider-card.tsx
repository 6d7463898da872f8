"use client";

import { useEffect, useRef, useState } from "react";
import { FIRST_FIELD } from "@/components/focus";
import { useHydrated } from "@/components/use-hydrated";

/**
 * A collapsed sign-in option. Its form, and the provider's SDK behind it, load only when a
 * person picks it, so the sign-in page stays light. Opening it moves focus to the form's first
 * field once that field exists (the form may load its SDK first): the button that had focus is
 * gone, and focus must not fall back to the page's start.
 */
export function ProviderCard({ label, children }: { label: string; children: () => React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const hydrated = useHydrated();
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = body.current;
    if (!open || !root) return;
    const focusFirstField = () => {
      const field = root.querySelector<HTMLElement>(FIRST_FIELD);
      if (!field) return false;
      field.focus();
      return true;
    };
    if (focusFirstField()) return;
    const observer = new MutationObserver(() => {
      if (focusFirstField()) observer.disconnect();
    });
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [open]);
  return (
    <div className="card" ref={body}>
      {open ? (
        children()
      ) : (
        <button type="button" className="btn-secondary w-full" disabled={!hydrated} onClick={() => setOpen(true)}>
          Continue with {label}
        </button>
      )}
    </div>
  );
}
