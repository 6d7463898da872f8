import { describe, expect, it } from "vitest";
import { formatDateTime } from "./format-date";

describe("formatDateTime", () => {
  it("writes day, short month, year and 24-hour time", () => {
    expect(formatDateTime(Date.UTC(2026, 10, 26, 14, 5), "UTC")).toBe("26 Nov 2026, 14:05");
    expect(formatDateTime("2026-01-02T00:07:00Z", "UTC")).toBe("2 Jan 2026, 00:07");
  });
  it("follows the zone it is given", () => {
    expect(formatDateTime(Date.UTC(2026, 10, 26, 23, 30), "Asia/Tokyo")).toBe("27 Nov 2026, 08:30");
  });
});
