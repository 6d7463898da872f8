// The app's retention scheduler (./retention.ts) as instrumentation.ts starts it: nothing without
// DEMO_DATA_MAX_AGE_HOURS; with it, a sweep at once and then every sweepIntervalMs, with the
// cutoff moving along, one timer per process (unref'd), and a failing store only logged.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ENGINES, sampleIdentity } from "@/lib/store/testing/engines";
import type { AppStore } from "./types";

const slot = globalThis as typeof globalThis & { __appStore?: Promise<AppStore>; __retentionTimer?: NodeJS.Timeout };
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const HOUR = 3600_000;

let opened: Awaited<ReturnType<(typeof ENGINES)[number]["open"]>>;
let dataDir: string;
const savedEnv = { ...process.env };

/** The scheduler with a fresh config module, reading `env` (as a new server process would). */
async function scheduler(env: Record<string, string>) {
  process.env = { ...savedEnv, NODE_ENV: "test", DATA_DIR: dataDir, MAIL_API_URL: "http://127.0.0.1:1/", MAIL_API_KEY: "k", ...env };
  vi.resetModules();
  return import("./retention");
}

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "retention-"));
  opened = await ENGINES[0]!.open();
  slot.__appStore = Promise.resolve(opened.store);
});

afterEach(async () => {
  clearInterval(slot.__retentionTimer);
  delete slot.__retentionTimer;
  delete slot.__appStore;
  vi.useRealTimers();
  vi.restoreAllMocks();
  process.env = savedEnv;
  await opened.cleanup();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("startRetentionSweep", () => {
  it("does nothing when DEMO_DATA_MAX_AGE_HOURS is unset", async () => {
    const { user } = await opened.store.linkIdentity(sampleIdentity({ subject: "kept" }));
    const { startRetentionSweep } = await scheduler({ DEMO_DATA_MAX_AGE_HOURS: "" });
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 48 * HOUR });
    await startRetentionSweep();
    expect(slot.__retentionTimer).toBeUndefined();
    expect(await opened.store.getUser(user.id)).not.toBeNull();
  });

  it("sweeps at once and then on every interval, with the cutoff moving along; starting twice keeps one timer", async () => {
    vi.spyOn(console, "info").mockImplementation(() => undefined);
    const old = (await opened.store.linkIdentity(sampleIdentity({ subject: "old", email: "old@retention.test" }))).user;
    await pause(250);
    const middle = Date.now();
    await pause(250);
    const recent = (await opened.store.linkIdentity(sampleIdentity({ subject: "recent", email: "recent@retention.test" }))).user;

    const { startRetentionSweep, sweepIntervalMs } = await scheduler({ DEMO_DATA_MAX_AGE_HOURS: "1" });
    // An hour after `middle`: the cutoff falls between the two users.
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"], now: middle + HOUR });
    await startRetentionSweep();
    expect(await opened.store.getUser(old.id)).toBeNull();
    expect(await opened.store.getUser(recent.id)).not.toBeNull();
    const timer = slot.__retentionTimer;
    expect(timer).toBeDefined();
    expect(timer!.hasRef()).toBe(false);

    await startRetentionSweep();
    expect(slot.__retentionTimer).toBe(timer);

    // The next tick (a twelfth of an hour, at least a minute): the cutoff has moved past `recent`.
    expect(sweepIntervalMs(1)).toBe(5 * 60_000);
    await vi.advanceTimersByTimeAsync(sweepIntervalMs(1));
    await vi.waitFor(async () => expect(await opened.store.getUser(recent.id)).toBeNull());
  });

  it("logs a failing sweep and keeps the timer for the next try", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    vi.spyOn(console, "info").mockImplementation(() => undefined);
    slot.__appStore = Promise.resolve({
      ...opened.store,
      sweepDataCreatedBefore: () => Promise.reject(new Error("database is down")),
    });
    const { startRetentionSweep } = await scheduler({ DEMO_DATA_MAX_AGE_HOURS: "24" });
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    await expect(startRetentionSweep()).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith("[retention] sweep failed, will try again: database is down");
    expect(slot.__retentionTimer).toBeDefined();
  });
});
