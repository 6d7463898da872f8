"use client";

import { useEffect, useState } from "react";

const EVENT = "app:announce";

/**
 * Says `message` through the page's one polite live region (<Announcer />, in the root layout):
 * successes a screen-reader user would otherwise miss ("AIR Kit connected", "Code sent to …").
 * Errors are not announced here: they render as alerts where they happened.
 */
export function announce(message: string): void {
  window.dispatchEvent(new CustomEvent<string>(EVENT, { detail: message }));
}

/**
 * The page's one polite live region. It exists (empty) from the first render, as a live region
 * must for screen readers to watch it; the text stays until the next announcement, so a
 * refresh of the page's content (router.refresh) does not cut it short.
 */
export function Announcer() {
  const [message, setMessage] = useState("");
  useEffect(() => {
    const listener = (event: Event) => {
      const text = (event as CustomEvent<string>).detail;
      // The same text twice in a row is a change too: clear first, then set on the next frame.
      setMessage("");
      requestAnimationFrame(() => setMessage(text));
    };
    window.addEventListener(EVENT, listener);
    return () => window.removeEventListener(EVENT, listener);
  }, []);
  return (
    <div role="status" aria-live="polite" aria-atomic="true" className="sr-only" data-testid="announcer">
      {message}
    </div>
  );
}
