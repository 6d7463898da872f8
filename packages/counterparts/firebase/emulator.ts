/**
 * Runs the real Firebase Auth Emulator (firebase-tools, installed on first use into ./emulator by
 * ./install.ts) as a child process, for development and tests. Offline, no Java, no login.
 *
 * Invariants:
 * - Only `demo-*` project ids: the CLI then never calls production Google services for the
 *   project, and a `demo-` project cannot exist in production, so nothing configured here can
 *   be mistaken for a real project (Moojo relies on this before it accepts unsigned tokens).
 * - Everything the CLI writes stays under `dataDir`: firebase.json and the debug log
 *   (`<dataDir>/emulator`), persisted users (`<dataDir>/export`), its config store
 *   (XDG_CONFIG_HOME), and the hub locator file (TMPDIR, which also isolates two emulators
 *   started for the same project id from each other).
 * - The emulator never outlives its parent. It runs under a small supervisor process in a
 *   process group of its own (`detached`). The supervisor's stdin is a pipe from the parent;
 *   when the parent goes away for any reason (clean exit, crash, SIGKILL) the pipe closes and
 *   the supervisor stops the emulator: SIGINT once (a clean shutdown, which writes the export),
 *   SIGKILL after the grace period. A plain `exit` handler could not cover a parent killed by
 *   a signal; the handler registered here is only a faster path for a clean parent exit.
 * - `close()` stops it the same way and then SIGKILLs the whole process group if anything is
 *   still alive after the grace period, so the ports are free when `close()` resolves.
 * - Readiness means: our child is still running, the CLI has printed its "All emulators
 *   ready" banner, and the port answers the emulator's own `authEmulator.ready` document.
 *   The banner matters: the auth emulator answers HTTP *before* `--import` has loaded the
 *   persisted users (the CLI imports them through that same HTTP API), so the port alone
 *   would report ready while users are still missing or while a broken import is about to
 *   make the CLI exit. The banner text was checked against firebase-tools 15.34.2; if a new
 *   version changes it, starts time out with the CLI output in the error (and tests fail).
 *   The port is checked to be free before spawning, so a different process that already
 *   holds the port can never be mistaken for our emulator.
 *
 * Persistence (`persist`, default on): `--import` and `--export-on-exit` on `<dataDir>/export`
 * (https://firebase.google.com/docs/emulator-suite/install_and_configure, "Export and import
 * emulator data"). This works offline (the export goes through the local emulator hub). The
 * export is written on a clean shutdown and whenever `checkpoint()` asks the hub for one
 * (`POST /_admin/export`, what `firebase emulators:export` sends; the hub writes to a temporary
 * folder and swaps it in); users created since the last of those are lost if the emulator has
 * to be SIGKILLed (grace period exceeded) or the machine dies.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import type { RunningService } from "../lib/http";
import { EMULATOR_DIR, ensureFirebaseTools } from "./install";
import { findFreePorts, isPortFree } from "./ports";

export const DEFAULT_START_TIMEOUT_MS = 60_000;
export const DEFAULT_STOP_GRACE_MS = 15_000;
const PROGRESS_INTERVAL_MS = 3_000;
const POLL_INTERVAL_MS = 250;
const PROBE_TIMEOUT_MS = 1_000;
/** Lines of emulator output kept for error messages. */
const OUTPUT_TAIL_LINES = 40;
/** Printed by `firebase emulators:start` once every emulator is up and imports are done. */
const READY_BANNER = /All emulators ready!/;
/** Firebase project ids: 6-30 chars, lower-case letters, digits and hyphens; here `demo-` first. */
const DEMO_PROJECT_ID = /^demo-[a-z0-9](?:[a-z0-9-]{0,23}[a-z0-9])?$/;
/** An IP literal or a plain host name; nothing that could smuggle a path or credentials into a URL. */
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|[0-9A-Fa-f:]+)$/;

export type FirebaseEmulatorErrorCode =
  "emulator_config_invalid" | "firebase_tools_missing" | "port_in_use" | "emulator_exited" | "emulator_start_timeout";

export class FirebaseEmulatorError extends Error {
  override readonly name = "FirebaseEmulatorError";
  constructor(
    readonly code: FirebaseEmulatorErrorCode,
    message: string,
    /** The last lines the emulator printed, oldest first (also part of `message`). */
    readonly outputTail: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(outputTail.length > 0 ? `${message}\n--- last emulator output ---\n${outputTail.join("\n")}` : message, options);
  }
}

export interface FirebaseAuthEmulatorOptions {
  /** Fixed port (the emulator cannot pick one itself; see `findFreePort`). */
  readonly port: number;
  readonly host?: string;
  /** Must start with `demo-`. */
  readonly projectId: string;
  /** Directory for firebase.json, the CLI's own state and persisted users. */
  readonly dataDir: string;
  /** Progress reports while starting and stopping. */
  readonly log?: (line: string) => void;
  readonly startTimeoutMs?: number;
  /** Keep users across restarts in `<dataDir>/export`. Default true. */
  readonly persist?: boolean;
  /** Time allowed for a clean shutdown (and export) before SIGKILL. */
  readonly stopGraceMs?: number;
}

export interface RunningFirebaseAuthEmulator extends RunningService {
  readonly projectId: string;
  /** `host:port`, the value for FIREBASE_AUTH_EMULATOR_HOST. */
  readonly emulatorHost: string;
  /** How long the start took, for diagnostics. */
  readonly startupMs: number;
  /** The last lines the emulator printed (including its shutdown), for diagnostics. */
  outputTail(): string[];
  /**
   * Writes the export now (with `persist`; a no-op without), as `--export-on-exit` does at a
   * clean shutdown, so a crash or a killed machine loses only what came after it.
   */
  checkpoint(): Promise<void>;
}

/**
 * Supervisor run with `node -e`: starts `node <argv...>` and stops it when our stdin closes
 * (the parent is gone or called close()) or on SIGINT/SIGTERM/SIGHUP, with exactly one SIGINT
 * (a second one makes the CLI skip its export) and SIGKILL after the grace period. Output is
 * relayed; write errors after the parent died are ignored so they cannot crash the relay.
 */
const SUPERVISOR_SOURCE = String.raw`
"use strict";
const { spawn } = require("node:child_process");
const graceMs = Number(process.env.COUNTERPART_SUPERVISOR_GRACE_MS) || 15000;
const child = spawn(process.execPath, process.argv.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
process.stdout.on("error", () => {});
process.stderr.on("error", () => {});
child.stdout.on("data", (chunk) => { try { process.stdout.write(chunk); } catch {} });
child.stderr.on("data", (chunk) => { try { process.stderr.write(chunk); } catch {} });
let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  child.kill("SIGINT");
  setTimeout(() => child.kill("SIGKILL"), graceMs);
}
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.on("error", stop);
process.stdin.resume();
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, stop);
child.on("error", (error) => { try { process.stderr.write(String(error) + "\n"); } catch {} process.exit(127); });
child.on("exit", (code, signal) => process.exit(code === null ? (signal === "SIGINT" ? 130 : 137) : code));
`;

function resolveFirebaseCli(): string {
  // Resolved from the pinned install in ./emulator (never a global install, never the cwd).
  const require = createRequire(path.join(EMULATOR_DIR, "package.json"));
  let packageJsonPath: string;
  try {
    packageJsonPath = require.resolve("firebase-tools/package.json");
  } catch (cause) {
    throw new FirebaseEmulatorError("firebase_tools_missing", `firebase-tools is not installed in ${EMULATOR_DIR}`, [], {
      cause,
    });
  }
  const pkg = require(packageJsonPath) as { bin?: { firebase?: unknown } };
  const bin = pkg.bin?.firebase;
  if (typeof bin !== "string") {
    throw new FirebaseEmulatorError("firebase_tools_missing", "firebase-tools has no `firebase` binary entry");
  }
  return path.resolve(path.dirname(packageJsonPath), bin);
}

function validate(options: FirebaseAuthEmulatorOptions): { host: string; hostForUrl: string } {
  const host = options.host ?? "127.0.0.1";
  if (!DEMO_PROJECT_ID.test(options.projectId)) {
    throw new FirebaseEmulatorError(
      "emulator_config_invalid",
      `projectId must be a demo project id (demo-<lower-case letters, digits, hyphens>), got ${JSON.stringify(options.projectId)}`,
    );
  }
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw new FirebaseEmulatorError(
      "emulator_config_invalid",
      "port must be a fixed port in 1-65535 (the emulator does not support port 0; use findFreePort())",
    );
  }
  if (!HOST.test(host)) throw new FirebaseEmulatorError("emulator_config_invalid", "host must be a host name or IP literal");
  return { host, hostForUrl: host.includes(":") ? `[${host}]` : host };
}

/** Keeps the last `limit` lines of a byte stream, split on newlines, without ANSI codes. */
class OutputTail {
  private readonly lines: string[] = [];
  private partial = "";
  constructor(
    private readonly limit: number,
    private readonly onLine: (line: string) => void = () => undefined,
  ) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const parts = text.split(/\r?\n/);
    this.partial = parts.pop() ?? "";
    for (const line of parts) this.add(line);
    // A line without newline that keeps growing must not grow memory without bound.
    if (this.partial.length > 4096) {
      this.add(this.partial);
      this.partial = "";
    }
  }

  snapshot(): string[] {
    return this.partial === "" ? [...this.lines] : [...this.lines, this.clean(this.partial)];
  }

  private add(line: string): void {
    const clean = this.clean(line);
    if (clean.trim() === "") return;
    this.onLine(clean);
    this.lines.push(clean);
    if (this.lines.length > this.limit) this.lines.shift();
  }

  private clean(line: string): string {
    return stripVTControlCharacters(line).trimEnd();
  }
}

async function emulatorAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (!response.ok) return false;
    const body = (await response.json()) as { authEmulator?: { ready?: unknown } };
    return body.authEmulator?.ready === true;
  } catch {
    return false;
  }
}

/** A delay that does not keep the process alive on its own (it is only ever raced). */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export async function startFirebaseAuthEmulator(options: FirebaseAuthEmulatorOptions): Promise<RunningFirebaseAuthEmulator> {
  const { host, hostForUrl } = validate(options);
  const { port, projectId } = options;
  const log = options.log ?? (() => undefined);
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const stopGraceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
  const persist = options.persist ?? true;
  const url = `http://${hostForUrl}:${port}`;
  const emulatorHost = `${hostForUrl}:${port}`;
  // A first run installs firebase-tools (minutes, with progress lines); later runs only check.
  await ensureFirebaseTools(options.log);
  const cli = resolveFirebaseCli();

  if (!(await isPortFree(port, host))) {
    throw new FirebaseEmulatorError("port_in_use", `${host}:${port} is already in use`);
  }

  const root = path.resolve(options.dataDir);
  const projectDir = path.join(root, "emulator");
  const exportDir = path.join(root, "export");
  const cliConfigDir = path.join(root, "cli", "config");
  const cliTmpDir = path.join(root, "cli", "tmp");
  const cliCacheDir = path.join(root, "cli", "cache");
  for (const dir of [root, projectDir, cliConfigDir, cliTmpDir, cliCacheDir]) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  }

  // The hub and the logging emulator start even with `--only auth`. They get kernel-chosen
  // ports so two emulators (or a developer's own emulator suite on 4400/4500) never collide.
  const [hubPort, loggingPort] = await findFreePorts(2, { host, exclude: [port] });
  if (hubPort === undefined || loggingPort === undefined) throw new Error("findFreePorts returned too few ports");
  const configFile = path.join(projectDir, "firebase.json");
  const config = {
    emulators: {
      auth: { host, port },
      hub: { host, port: hubPort },
      logging: { host, port: loggingPort },
      // The UI would be downloaded on first use, which fails offline and aborts the start.
      ui: { enabled: false },
      singleProjectMode: true,
    },
  };
  await writeFile(configFile, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
  // An export written by a previous run may be half-done if that run was killed mid-export;
  // the CLI then fails on import and the error below shows its message.
  const hasExport =
    persist &&
    (await stat(path.join(exportDir, "firebase-export-metadata.json")).then(
      () => true,
      () => false,
    ));

  const args = [
    cli,
    "emulators:start",
    "--only",
    "auth",
    "--project",
    projectId,
    "--config",
    configFile,
    "--non-interactive",
    ...(persist ? [...(hasExport ? ["--import", exportDir] : []), "--export-on-exit", exportDir] : []),
  ];

  const env: NodeJS.ProcessEnv = { ...process.env };
  // Nothing that could point the CLI at real credentials or a real project.
  for (const name of ["FIREBASE_TOKEN", "GOOGLE_APPLICATION_CREDENTIALS", "FIREBASE_CONFIG", "GCLOUD_PROJECT", "GOOGLE_CLOUD_PROJECT"]) {
    delete env[name];
  }
  // Loaders of the parent (tsx, a test runner) have no business inside the CLI.
  delete env.NODE_OPTIONS;
  Object.assign(env, {
    // CI skips the message-of-the-day fetch; NO_UPDATE_NOTIFIER the npm update check. Both
    // would only wait on a network that is not there.
    CI: "true",
    NO_UPDATE_NOTIFIER: "1",
    XDG_CONFIG_HOME: cliConfigDir,
    TMPDIR: cliTmpDir,
    FIREBASE_EMULATORS_PATH: cliCacheDir,
    COUNTERPART_SUPERVISOR_GRACE_MS: String(stopGraceMs),
  });

  const startedAt = Date.now();
  log(`firebase auth emulator: starting for ${projectId} on ${emulatorHost} (takes ~10-15 s)`);
  const child: ChildProcess = spawn(process.execPath, ["-e", SUPERVISOR_SOURCE, ...args], {
    cwd: projectDir,
    env,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let bannerSeen = false;
  const output = new OutputTail(OUTPUT_TAIL_LINES, (line) => {
    if (READY_BANNER.test(line)) bannerSeen = true;
  });
  // Both pipes must be drained for the whole lifetime of the child, or it blocks on a write.
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk));
  // Writes to the supervisor's stdin never happen; an EPIPE on it must not crash the parent.
  child.stdin?.on("error", () => undefined);

  let exitInfo: { code: number | null; signal: NodeJS.Signals | null; at: number } | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exitInfo = { code, signal, at: Date.now() };
      resolve();
    });
    child.once("error", (error) => {
      spawnError = error;
      // `exit` does not follow an `error` when the process never started.
      if (child.pid === undefined) resolve();
    });
  });

  const pid = child.pid;
  // Fast path for a clean parent exit: one SIGTERM to the supervisor, which SIGINTs the CLI.
  const onParentExit = () => {
    try {
      if (pid !== undefined && exitInfo === undefined) process.kill(pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  };
  process.on("exit", onParentExit);

  let stopPromise: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopPromise ??= (async () => {
      if (exitInfo === undefined && pid !== undefined) {
        log(`firebase auth emulator: stopping ${emulatorHost}`);
        child.stdin?.end(); // The supervisor's cue for a clean shutdown.
        const graceful = await Promise.race([exited.then(() => true), sleep(stopGraceMs + 2_000).then(() => false)]);
        if (!graceful) {
          log(`firebase auth emulator: no clean shutdown within ${stopGraceMs} ms, killing it`);
          try {
            process.kill(-pid, "SIGKILL");
          } catch {
            // Exited in the meantime.
          }
        }
      }
      // Sweep the group: the supervisor may be gone while the CLI it spawned lingers (e.g. the
      // supervisor was killed). Only right after the supervisor exited: a group id whose
      // members are all long gone could in principle be reused by an unrelated process.
      if (pid !== undefined && exitInfo !== undefined && Date.now() - exitInfo.at < 5_000) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          // ESRCH: the whole group has exited.
        }
      }
      await exited;
      process.off("exit", onParentExit);
    })();
    return stopPromise;
  };

  // Wait for readiness, reporting progress; fail fast on an early exit.
  let lastProgress = startedAt;
  for (;;) {
    if (spawnError !== undefined || exitInfo !== undefined) {
      await stop();
      const how = spawnError
        ? `could not be started (${spawnError.message})`
        : `exited early (code ${exitInfo?.code ?? "none"}, signal ${exitInfo?.signal ?? "none"})`;
      throw new FirebaseEmulatorError("emulator_exited", `Firebase Auth Emulator ${how}`, output.snapshot(), {
        cause: spawnError,
      });
    }
    if (bannerSeen && (await emulatorAnswers(url))) break;
    const elapsed = Date.now() - startedAt;
    if (elapsed >= startTimeoutMs) {
      await stop();
      throw new FirebaseEmulatorError(
        "emulator_start_timeout",
        `Firebase Auth Emulator did not answer on ${url} within ${startTimeoutMs} ms` +
          (bannerSeen ? "" : " (the CLI never printed its ready banner)"),
        output.snapshot(),
      );
    }
    if (Date.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = Date.now();
      log(`firebase auth emulator: still starting (${(elapsed / 1000).toFixed(0)} s)`);
    }
    await Promise.race([sleep(POLL_INTERVAL_MS), exited]);
  }

  const startupMs = Date.now() - startedAt;
  log(`firebase auth emulator: ready on ${url} after ${(startupMs / 1000).toFixed(1)} s`);
  return {
    name: "firebase-auth-emulator",
    url,
    projectId,
    emulatorHost,
    startupMs,
    outputTail: () => output.snapshot(),
    async checkpoint() {
      if (!persist) return;
      // No Origin header (the hub refuses browser callers); loopback only, like the hub itself.
      const response = await fetch(`http://${hostForUrl}:${hubPort}/_admin/export`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ path: exportDir, initiatedBy: "counterparts" }),
        signal: AbortSignal.timeout(30_000),
      });
      if (!response.ok) throw new Error(`Firebase emulator hub refused the export: HTTP ${response.status} ${await response.text()}`);
    },
    close: stop,
  };
}
