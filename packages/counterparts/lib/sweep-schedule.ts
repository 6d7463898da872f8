/**
 * The counterparts' side of a public demo's retention (the app sweeps its own data in
 * lib/store/retention.ts): every started counterpart that offers `sweep` is asked, at start and
 * then every hour, to remove what visitors created more than `maxAgeHours` ago.
 *
 * Invariants:
 * - A failing sweep is logged and tried again at the next tick; it never throws into the
 *   launcher, and one counterpart's failure does not skip the others.
 * - Runs never overlap: a tick that arrives while the previous run is still going is skipped.
 * - The timer is unref'd (it never keeps the process alive) and `stop()` clears it and waits
 *   for a run in progress, so services are not closed under a running sweep.
 */
import type { SweepResult } from "./counterpart";

export const SWEEP_INTERVAL_MS = 60 * 60_000;

export interface SweepTarget {
  readonly name: string;
  sweep(createdBefore: Date): Promise<SweepResult>;
}

export interface SweepSchedule {
  /** The first run, started at once; resolves when it is done (never rejects). */
  readonly firstRun: Promise<void>;
  stop(): Promise<void>;
}

export function startSweepSchedule(options: {
  targets: readonly SweepTarget[];
  maxAgeHours: number;
  log: (line: string) => void;
  now?: () => Date;
}): SweepSchedule {
  if (!(options.maxAgeHours > 0)) throw new RangeError(`counterparts: dataMaxAgeHours must be positive, got ${options.maxAgeHours}`);
  const now = options.now ?? (() => new Date());
  let running: Promise<void> | undefined;

  const runOnce = async (): Promise<void> => {
    const cutoff = new Date(now().getTime() - options.maxAgeHours * 3600_000);
    for (const target of options.targets) {
      try {
        const { removed } = await target.sweep(cutoff);
        if (removed > 0) options.log(`retention: ${target.name} removed ${removed} record(s) created before ${cutoff.toISOString()}`);
      } catch (error) {
        options.log(`retention: ${target.name} sweep failed, will try again: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  const tick = (): Promise<void> => {
    if (running) return running;
    running = runOnce().finally(() => {
      running = undefined;
    });
    return running;
  };

  const timer = setInterval(() => void tick(), SWEEP_INTERVAL_MS);
  timer.unref();
  const firstRun = tick();
  return {
    firstRun,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
