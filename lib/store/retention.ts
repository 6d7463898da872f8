// The public demo's retention: every few minutes, data older than DEMO_DATA_MAX_AGE_HOURS goes
// (AppStore.sweepDataCreatedBefore). Started once per server process by instrumentation.ts;
// with several instances each sweeps, which is harmless (the deletes are idempotent). A failed
// sweep (database down) is logged and tried again at the next tick; it never stops the server.
import { getConfig } from "@/lib/config";
import { getStore } from "@/lib/store";

const slot = globalThis as typeof globalThis & { __retentionTimer?: NodeJS.Timeout };

/** How often to sweep: a twelfth of the retention, between one and fifteen minutes. */
export function sweepIntervalMs(maxAgeHours: number): number {
  return Math.min(15 * 60_000, Math.max(60_000, (maxAgeHours * 3600_000) / 12));
}

export async function sweepOnce(maxAgeHours: number, now = new Date()): Promise<void> {
  const cutoff = new Date(now.getTime() - maxAgeHours * 3600_000);
  try {
    const removed = await (await getStore()).sweepDataCreatedBefore(cutoff);
    if (Object.values(removed).some((n) => n > 0)) {
      console.info(`[retention] removed data from before ${cutoff.toISOString()}: ${JSON.stringify(removed)}`);
    }
  } catch (error) {
    console.warn(`[retention] sweep failed, will try again: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function startRetentionSweep(): Promise<void> {
  const maxAge = (await getConfig()).env.DEMO_DATA_MAX_AGE_HOURS;
  if (maxAge === undefined || slot.__retentionTimer) return;
  console.info(`[retention] demo data older than ${maxAge} h is deleted every ${Math.round(sweepIntervalMs(maxAge) / 60_000)} min`);
  slot.__retentionTimer = setInterval(() => void sweepOnce(maxAge), sweepIntervalMs(maxAge));
  slot.__retentionTimer.unref();
  await sweepOnce(maxAge);
}
