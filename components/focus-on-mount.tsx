"use client";

import { type ReactNode, useEffect, useRef } from "react";

/**
 * Its children, focused once the page has loaded: for a page whose first news is a message
 * (the sign-in page after a sign-out or an ended session), so a keyboard or screen-reader user
 * starts there rather than at the top of an unexplained page.
 */
export function FocusOnMount({ children, testId }: { children: ReactNode; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  return (
    <div ref={box} tabIndex={-1} className="outline-none" data-testid={testId}>
      {children}
    </div>
  );
}
