"use client";

import { useState } from "react";

/**
 * A collapsed sign-in option. Its form, and the provider's SDK behind it, load only when a
 * person picks it, so the sign-in page stays light.
 */
export function ProviderCard({ label, children }: { label: string; children: () => React.ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="card">
      {open ? (
        children()
      ) : (
        <button type="button" className="btn-secondary w-full" onClick={() => setOpen(true)}>
          Continue with {label}
        </button>
      )}
    </div>
  );
}
