"use client";

import { type RefObject, useEffect, useRef } from "react";

/** The first field a person would type in; buttons are left out so focus lands where typing starts. */
export const FIRST_FIELD = "input:not([type=hidden]):not([disabled]), select, textarea";

/** The id of a wallet card's heading (tabIndex -1): where focus goes when the card's content is replaced. */
export const walletHeadingId = (provider: string) => `wallet-${provider}-heading`;

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
    const target = element.querySelector<HTMLElement>(FIRST_FIELD) ?? element.querySelector<HTMLElement>("h1[tabindex], h2[tabindex], h3[tabindex]");
    target?.focus();
  }, [root, step]);
}
