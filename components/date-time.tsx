"use client";

import { formatDateTime } from "./format-date";
import { useHydrated } from "./use-hydrated";

/**
 * A date in the app's one format, in the reader's local time, as a <time> with the exact
 * instant in `dateTime`. The server does not know the reader's zone: it renders UTC (said so),
 * and the browser replaces it with local time once hydrated.
 */
export function DateTime({ value, testId }: { value: Date | number | string; testId?: string }) {
  const local = useHydrated();
  const iso = new Date(value).toISOString();
  return (
    <time dateTime={iso} data-testid={testId} title={iso}>
      {local ? formatDateTime(value) : `${formatDateTime(value, "UTC")} UTC`}
    </time>
  );
}
