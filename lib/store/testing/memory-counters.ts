// A CounterStore in process memory, for fast unit tests of the limiters' logic. The app's
// counters live in its database (sql-store.ts); this shows the interface is all a backend needs.
import type { CounterState, CounterStore } from "@/lib/store/types";

export function memoryCounters(): CounterStore & { size(): number } {
  const rows = new Map<string, CounterState>();
  const live = (key: string, now: number) => {
    const r = rows.get(key);
    return r && r.expiresAt > now ? r : null;
  };
  return {
    async hitWindow(key, windowMs, now = new Date()) {
      const t = now.getTime();
      const r = live(key, t) ?? { first: t, last: t, count: 0, expiresAt: t + windowMs };
      const next = { ...r, count: r.count + 1, last: t };
      rows.set(key, next);
      return { count: next.count, resetMs: next.expiresAt - t };
    },
    async updateCounter(key, update, now = new Date()) {
      const { next, result } = update(live(key, now.getTime()), now.getTime());
      if (next) rows.set(key, next);
      else rows.delete(key);
      return result;
    },
    async deleteCounter(key) {
      rows.delete(key);
    },
    size: () => rows.size,
  };
}
