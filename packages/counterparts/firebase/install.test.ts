/**
 * The first-use install of firebase-tools (./install.ts), with a stand-in installer on a
 * scratch folder: installed once however many ask at the same time, again when the lockfile
 * changes, never taken as done after a failed install, and not blocked by a lock whose owner died.
 * (The real `npm ci` runs in the emulator tests' first start and in `npm run counterparts:install`.)
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EMULATOR_DIR, ensureFirebaseTools, firebaseToolsInstalled } from "./install";

let dir: string;
let installs: number;
const quiet = () => undefined;
const slowInstall = async (target: string) => {
  installs += 1;
  await new Promise((r) => setTimeout(r, 200));
  mkdirSync(path.join(target, "node_modules", "firebase-tools"), { recursive: true });
};

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "firebase-install-"));
  writeFileSync(path.join(dir, "package-lock.json"), '{"lockfileVersion":3}\n');
  installs = 0;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("ensureFirebaseTools", () => {
  it("installs once for callers arriving together, then only checks", async () => {
    const lines: string[] = [];
    const options = { dir, install: slowInstall, pollMs: 20, log: (line: string) => lines.push(line) };
    expect(firebaseToolsInstalled(dir)).toBe(false);
    await Promise.all([ensureFirebaseTools(options), ensureFirebaseTools(options), ensureFirebaseTools(options)]);
    expect(installs).toBe(1);
    expect(firebaseToolsInstalled(dir)).toBe(true);
    expect(lines).toContain("installing the Firebase Auth Emulator (firebase-tools) once, ~2-4 min");
    expect(existsSync(path.join(dir, ".install-lock"))).toBe(false);
    await ensureFirebaseTools(options);
    expect(installs).toBe(1);
  });

  it("installs again when the lockfile changes (a new pin)", async () => {
    const options = { dir, install: slowInstall, log: quiet };
    await ensureFirebaseTools(options);
    writeFileSync(path.join(dir, "package-lock.json"), '{"lockfileVersion":3,"changed":true}\n');
    expect(firebaseToolsInstalled(dir)).toBe(false);
    await ensureFirebaseTools(options);
    expect(installs).toBe(2);
  });

  it("a failed install is not taken as done and releases the lock", async () => {
    const failing = async () => {
      installs += 1;
      throw new Error("npm ci failed");
    };
    await expect(ensureFirebaseTools({ dir, install: failing, log: quiet })).rejects.toThrow("npm ci failed");
    expect(firebaseToolsInstalled(dir)).toBe(false);
    expect(existsSync(path.join(dir, ".install-lock"))).toBe(false);
    await ensureFirebaseTools({ dir, install: slowInstall, log: quiet });
    expect(firebaseToolsInstalled(dir)).toBe(true);
  });

  it("takes over a lock whose owner is no longer running", async () => {
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    mkdirSync(path.join(dir, ".install-lock"));
    writeFileSync(path.join(dir, ".install-lock", "pid"), String(dead));
    await ensureFirebaseTools({ dir, install: slowInstall, pollMs: 20, log: quiet });
    expect(installs).toBe(1);
  });

  it("the emulator's own folder pins firebase-tools with a lockfile and no registry URLs", () => {
    const manifest = JSON.parse(readFileSync(path.join(EMULATOR_DIR, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const lock = readFileSync(path.join(EMULATOR_DIR, "package-lock.json"), "utf8");
    expect(manifest.dependencies).toEqual({ "firebase-tools": "15.34.2" });
    expect(JSON.parse(lock).packages["node_modules/firebase-tools"].version).toBe("15.34.2");
    expect(lock).not.toContain('"resolved"');
    expect(readFileSync(path.join(EMULATOR_DIR, ".npmrc"), "utf8")).toContain("omit-lockfile-registry-resolved=true");
  });
});
