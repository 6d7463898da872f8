/**
 * Test support: a frozen clock that tests move by hand (expiry cases). Used by tests only.
 */
export interface Clock {
  now(): Date;
  advance(seconds: number): void;
  reset(): void;
}

/** Starts at `startSeconds` (Unix time) and moves only when told to. */
export function frozenClock(startSeconds: number): Clock {
  let current = startSeconds * 1000;
  return {
    now: () => new Date(current),
    advance: (seconds) => {
      current += seconds * 1000;
    },
    reset: () => {
      current = startSeconds * 1000;
    },
  };
}
