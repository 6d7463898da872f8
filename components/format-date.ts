// Plain (no "use client"): server modules format with it too (a card's facts).

/**
 * The app's one date format: "26 Nov 2026, 14:05" (day, short month, year, 24-hour time).
 * `timeZone` undefined means the runtime's own zone; pass "UTC" for a value rendered on the server.
 */
export function formatDateTime(value: Date | number | string, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  }).format(new Date(value));
}
