/**
 * The Firebase descriptor against the REAL Auth Emulator (≈ 8-15 s per start): the seeded demo
 * users are there, the retention sweep removes visitors' accounts older than the cutoff and never
 * a seeded one, and what is left survives a restart on the same data dir.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CounterpartContext, StartedCounterpart } from "../lib/counterpart";
import { SEEDED_USERS } from "../lib/demo-users";
import { firebaseCounterpart, FIREBASE_PROJECT_ID } from "./counterpart";
import { listAccounts, signInWithPassword, signUpWithPassword } from "./emulator-rest";
import type { RunningFirebaseAuthEmulator } from "./emulator";
import { findFreePort } from "./ports";

const EMULATOR_TIMEOUT_MS = 60_000;
const PASSWORD = "visitor-password-1";

let dataDir: string;
let port: number;
let started: StartedCounterpart<RunningFirebaseAuthEmulator> | undefined;

function context(): CounterpartContext {
  return {
    appUrl: "http://localhost:3000",
    host: "127.0.0.1",
    port,
    dataDir,
    secrets: {},
    requested: true,
    needs: {},
    log: () => undefined,
  };
}

const host = () => started!.service.emulatorHost;
const emails = async () => (await listAccounts(host(), FIREBASE_PROJECT_ID)).map((a) => a.email).sort();

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "firebase-counterpart-"));
  port = await findFreePort();
  started = await firebaseCounterpart.start(context());
}, EMULATOR_TIMEOUT_MS);

afterAll(async () => {
  await started?.service.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("the Firebase counterpart", () => {
  it(
    "sweeps visitors' accounts created before the cutoff, never the seeded demo users, and keeps the rest across a restart",
    async () => {
      const seeded = SEEDED_USERS.map((u) => u.email).sort();
      expect(await emails()).toEqual(seeded);
      // What /signin lists (DEMO_ACCOUNTS) signs in here, as listed.
      expect(started!.demoAccounts?.signInMethod).toBe("firebase");
      for (const { email, password } of started!.demoAccounts!.accounts) {
        expect((await signInWithPassword(host(), { email, password })).email).toBe(email);
      }

      await signUpWithPassword(host(), { email: "old-visitor@example.com", password: PASSWORD });
      // The emulator stamps createdAt with its own clock (ms): step past it for a cutoff in between.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const cutoff = new Date();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const kept = await signUpWithPassword(host(), { email: "new-visitor@example.com", password: PASSWORD });

      // The seeded users are older than the cutoff too, and stay.
      expect(await started!.sweep!(cutoff)).toEqual({ removed: 1 });
      expect(await emails()).toEqual([...seeded, "new-visitor@example.com"].sort());
      expect(await started!.sweep!(cutoff)).toEqual({ removed: 0 });
      // The sweep also wrote the export (a checkpoint): on disk while the emulator still runs.
      const exported = await readFile(path.join(dataDir, "export", "auth_export", "accounts.json"), "utf8");
      expect(exported).toContain("new-visitor@example.com");
      expect(exported).not.toContain("old-visitor@example.com");

      // Restart on the same data dir: the export written on exit is imported.
      await started!.service.close();
      started = undefined;
      started = await firebaseCounterpart.start(context());
      expect(await emails()).toEqual([...seeded, "new-visitor@example.com"].sort());
      expect((await signInWithPassword(host(), { email: "new-visitor@example.com", password: PASSWORD })).localId).toBe(kept.localId);
    },
    3 * EMULATOR_TIMEOUT_MS,
  );
});
