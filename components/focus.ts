"use client";

import { type RefObject, useEffect, useRef } from "react";
import { FIRST_FIELD } from "./focus-targets";

export { FIRST_FIELD, walletHeadingId } from "./focus-targets";

/** Moves focus to the element with `id`, if it is on the page. */
export function focusById(id: string): void {
  document.getElementById(id)?.focus();
}

/**
 * When `step` changes after the first render, focuses the first field inside `root` (or, with
 * none, its first heading, which must then have tabIndex -1). A step change replaces the
 * control that had focus (a "Create one" link, the submit button of the step before), and
 * focus must not fall back to the page's start.
 */
export function useFocusOnStep(root: RefObject<HTMLElement | null>, step: unknown): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const element = root.current;
    if (!element) return;
    const target =
      element.querySelector<HTMLElement>(FIRST_FIELD) ?? element.querySelector<HTMLElement>("h1[tabindex], h2[tabindex], h3[tabindex]");
    target?.focus();
  }, [root, step]);
}
