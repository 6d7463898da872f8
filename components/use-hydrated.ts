"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => undefined;

/**
 * False in the server's HTML and during hydration, true once React runs the page. A button
 * whose click handler is JavaScript does nothing before then: render it disabled until this is
 * true, so an early click is visibly refused instead of silently lost.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
