// Vitest global setup: one real PostgreSQL for the whole unit run, so store tests run against
// both engines (PGlite and PostgreSQL). Each test gets its own schema (lib/store/testing/engines.ts), so
// tests stay independent without a server each. TEST_DATABASE_URL skips the start and uses
// a server you run yourself; TEST_POSTGRES_PORT pins the embedded one's port (default: a free
// port, so parallel runs on one machine never collide).
import { createServer } from "node:net";
import type { TestProject } from "vitest/node";
import { startTestPostgres, type TestPostgres } from "../lib/test-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

let server: TestPostgres | undefined;

export async function setup(project: TestProject) {
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    server = await startTestPostgres({ port: Number(process.env.TEST_POSTGRES_PORT) || (await freePort()), name: "vitest" });
    url = server.url;
  }
  project.provide("postgresUrl", url);
}

export async function teardown() {
  await server?.destroy();
}

/** A port nothing listens on right now (the kernel's pick for port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
