/**
 * Installs the Firebase Auth Emulator (firebase-tools, pinned in ./emulator/package.json and
 * ./emulator/package-lock.json) on first use, outside the npm workspace: firebase-tools pulls
 * in re2, which compiles from source, and only the Firebase counterpart needs it. A clean
 * install of the app therefore skips it; `npm run dev`, the tests and `npm run
 * counterparts:install` (for CI) install it here once.
 *
 * Invariants:
 * - "Installed" means `emulator/node_modules/.byo-installed` holds the SHA-256 of the lockfile
 *   the install ran from; it is written last, so an interrupted install is never taken as done,
 *   and a changed pin installs again.
 * - One installer at a time: `emulator/.install-lock` is created with mkdir (atomic) and holds
 *   the owner's pid. Other processes wait for it to go away and then check the marker again;
 *   a lock whose owner is no longer alive (killed mid-install) is taken over.
 * - `npm ci` runs with cwd and --prefix on that folder, so it reads that folder's .npmrc and
 *   lockfile and never touches the workspace's node_modules.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const EMULATOR_DIR = fileURLToPath(new URL("./emulator/", import.meta.url));
const MARKER_NAME = ".byo-installed";
const LOCK_NAME = ".install-lock";
const WAIT_POLL_MS = 1_000;
/** A wait longer than any plausible install means the lock is wrong, not slow. */
const WAIT_LIMIT_MS = 20 * 60_000;
const STALE_WITHOUT_PID_MS = 10_000;

export class FirebaseToolsInstallError extends Error {
  override readonly name = "FirebaseToolsInstallError";
}

function lockfileHash(dir: string): string {
  return createHash("sha256")
    .update(readFileSync(path.join(dir, "package-lock.json")))
    .digest("hex");
}

/** True when `dir` (by default the emulator's folder) is installed from its current lockfile. */
export function firebaseToolsInstalled(dir = EMULATOR_DIR): boolean {
  try {
    return readFileSync(path.join(dir, "node_modules", MARKER_NAME), "utf8").trim() === lockfileHash(dir);
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid in the lock, or undefined when none is written (yet). */
function lockOwner(lock: string): number | undefined {
  try {
    return Number(readFileSync(path.join(lock, "pid"), "utf8").trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** Takes the lock, or returns the pid of its live owner (-1 while the owner is still writing it). */
function tryLock(lock: string): number | null {
  try {
    mkdirSync(lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const owner = lockOwner(lock);
    if (owner !== undefined && alive(owner)) return owner;
    // No pid: the owner is between mkdir and writing it, unless that was long ago (it died there).
    const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    if (owner === undefined && age < STALE_WITHOUT_PID_MS) return -1;
    // Its owner is gone (killed mid-install): take over. Two waiters deciding this at the same
    // moment could both get through; the window is one rmdir wide and only costs a second npm ci.
    rmSync(lock, { recursive: true, force: true });
    return tryLock(lock);
  }
  writeFileSync(path.join(lock, "pid"), String(process.pid));
  return null;
}

/** `npm ci` in `dir`: its own .npmrc and lockfile, nothing of the workspace around it. */
function runNpmCi(dir: string, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const child = spawn(npm, ["ci", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
      shell: process.platform === "win32",
    });
    const tail: string[] = [];
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split(/\r?\n/)) if (line.trim()) tail.push(line);
      tail.splice(0, Math.max(0, tail.length - 40));
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const started = Date.now();
    const progress = setInterval(() => log(`  still installing firebase-tools (${Math.round((Date.now() - started) / 1000)} s)…`), 30_000);
    child.on("error", (error) => {
      clearInterval(progress);
      reject(new FirebaseToolsInstallError(`could not run ${npm} ci: ${error.message}`, { cause: error }));
    });
    child.on("exit", (code) => {
      clearInterval(progress);
      if (code === 0) resolve();
      else reject(new FirebaseToolsInstallError(`npm ci in ${dir} exited with code ${code}\n${tail.join("\n")}`));
    });
  });
}

export interface InstallOptions {
  /** Progress lines; by default to stderr, so a first run never looks stuck. */
  log?: (line: string) => void;
  /** The folder with package.json and package-lock.json (the emulator's by default). */
  dir?: string;
  /** What installs it (`npm ci` by default); tests pass a stand-in. */
  install?: (dir: string, log: (line: string) => void) => Promise<void>;
  /** How often a waiting process looks again. */
  pollMs?: number;
}

/**
 * Makes sure firebase-tools is installed in ./emulator, installing it (once, whoever asks first)
 * if not. Accepts a log function directly, or options.
 */
export async function ensureFirebaseTools(options: InstallOptions | ((line: string) => void) = {}): Promise<void> {
  const o = typeof options === "function" ? { log: options } : options;
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dir = o.dir ?? EMULATOR_DIR;
  const install = o.install ?? runNpmCi;
  const lock = path.join(dir, LOCK_NAME);
  if (firebaseToolsInstalled(dir)) return;
  const waitStarted = Date.now();
  let announcedWait = false;
  for (;;) {
    const owner = tryLock(lock);
    if (owner === null) break;
    if (!announcedWait) {
      announcedWait = true;
      log(
        `waiting for another process${owner > 0 ? ` (pid ${owner})` : ""} that is installing the Firebase Auth Emulator (firebase-tools)…`,
      );
    }
    if (Date.now() - waitStarted > WAIT_LIMIT_MS) {
      throw new FirebaseToolsInstallError(`${lock} has been held for ${WAIT_LIMIT_MS / 60_000} min; remove it if no install is running`);
    }
    await new Promise((r) => setTimeout(r, o.pollMs ?? WAIT_POLL_MS));
    if (firebaseToolsInstalled(dir)) return;
  }
  try {
    // The previous owner may have finished between our check and taking the lock.
    if (firebaseToolsInstalled(dir)) return;
    log("installing the Firebase Auth Emulator (firebase-tools) once, ~2-4 min");
    const started = Date.now();
    await install(dir, log);
    // Written last: an install that fails or is killed before this line is never taken as done.
    mkdirSync(path.join(dir, "node_modules"), { recursive: true });
    writeFileSync(path.join(dir, "node_modules", MARKER_NAME), `${lockfileHash(dir)}\n`);
    log(`firebase-tools installed in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
