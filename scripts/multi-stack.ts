// Several app instances behind one origin, sharing one real PostgreSQL: what docs/deploy.md
// describes, on one machine. Starts an embedded PostgreSQL, the local counterparts, two
// production app servers (scripts/server.mjs) with the same AUTH_SECRET, signing keys and
// DATABASE_URL, and a round-robin balancer on the public port. Used by
// playwright.multi.config.ts (e2e/multi) and `npm run load`.
//
//   tsx scripts/multi-stack.ts        (E2E_PORT_BASE moves everything; default 3400)
//
// Ports from the base B: B balancer (the public AUTH_URL), B+1…B+8 counterparts, B+10 and
// B+11 the two instances, B+12 a test-only control endpoint (POST /db/stop, /db/start: a
// database restart in the middle of a test), B+90 PostgreSQL.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, request as httpRequest } from "node:http";
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { ensureCounterpartSecrets } from "@byo/counterparts/lib/dev-secrets";
import { ensureDevSecrets } from "../lib/config/dev-defaults";
import { counterpartSecrets, parseCounterpartVariant, startCounterparts } from "@byo/counterparts";
import { PROVIDER_VARS } from "./lib/stack";
import { startTestPostgres } from "./lib/test-postgres";

const say = (line: string) => process.stdout.write(`\x1b[35m[multi]\x1b[0m ${line}\n`);

export function multiStackPorts(base = Number(process.env.E2E_PORT_BASE || 3400)) {
  return {
    balancer: base,
    instances: [base + 10, base + 11],
    control: base + 12,
    postgres: base + 90,
    /** Counterparts on base + their fixed offsets 1…8 (packages/counterparts/registry.ts). */
    counterpartBase: base,
  };
}

async function waitFor(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with code ${child.exitCode}`);
    if (
      await fetch(url, { signal: AbortSignal.timeout(10_000) }).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

async function main() {
  const ports = multiStackPorts();
  const variant = parseCounterpartVariant(process.env.COUNTERPART_VARIANT);
  const dataDir = resolve(process.env.DATA_DIR ?? `.data/multi-${variant}`);
  rmSync(dataDir, { recursive: true, force: true });
  const publicUrl = `http://localhost:${ports.balancer}`;

  say(`starting PostgreSQL on 127.0.0.1:${ports.postgres}`);
  const db = await startTestPostgres({ port: ports.postgres, name: `multi-${ports.balancer}` });
  // The app's own dev secrets, then those the counterparts share with it (one file).
  const secrets = { ...(await ensureDevSecrets(dataDir)), ...ensureCounterpartSecrets(dataDir, counterpartSecrets()) };
  const counterparts = await startCounterparts({
    appUrl: publicUrl,
    dataDir: `${dataDir}/counterparts`,
    host: "127.0.0.1",
    portBase: ports.counterpartBase,
    secrets: { ...secrets },
    log: (line) => say(`  ${line}`),
    faultInjection: true,
    variant,
  });

  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of PROVIDER_VARS) env[name] = "";
  // counterparts.env includes the app's Turnkey API key pair (the counterpart knows its public half).
  Object.assign(env, counterparts.env, {
    NODE_ENV: undefined,
    // One public origin, one secret, one key set, one database: any instance can serve anyone.
    AUTH_URL: publicUrl,
    AUTH_SECRET: secrets.AUTH_SECRET,
    SIGNING_KEYS: secrets.SIGNING_KEYS,
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    FIREBASE_AUTH_EMULATOR_PRIVATE: "true",
    NEXT_TELEMETRY_DISABLED: "1",
    ALLOW_DEV_DEFAULTS: "true",
    CLIENT_IP_HEADER: "x-test-client-ip",
  });

  const children = ports.instances.map((port, i) => {
    const child = spawn(process.execPath, [resolve("scripts/server.mjs"), "-H", "127.0.0.1", "-p", String(port)], {
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const tag = `[app ${"AB"[i]}] `;
    child.stdout!.on("data", (d: Buffer) => process.stdout.write(d.toString().replace(/^(?=.)/gm, tag)));
    child.stderr!.on("data", (d: Buffer) => process.stderr.write(d.toString().replace(/^(?=.)/gm, tag)));
    return child;
  });

  // Round-robin, as a load balancer without sticky sessions would: consecutive requests of one
  // browser land on different instances.
  let next = 0;
  const balancer = createServer((req, res) => {
    const port = ports.instances[next++ % ports.instances.length]!;
    const upstream = httpRequest({ host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  balancer.listen(ports.balancer, "127.0.0.1");

  // Test-only: restart the database under the running instances.
  const control = createServer((req, res) => {
    const action = req.method === "POST" ? req.url : undefined;
    const run = action === "/db/stop" ? db.stop() : action === "/db/start" ? db.start() : Promise.reject(new Error("unknown"));
    run.then(
      () => res.writeHead(204).end(),
      () => res.writeHead(404).end(),
    );
  });
  control.listen(ports.control, "127.0.0.1");

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
    balancer.close();
    control.close();
    await counterparts.close().catch(() => undefined);
    await db.destroy().catch(() => undefined);
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  for (const child of children) child.on("exit", (code) => void stop(code ?? 1));

  try {
    await Promise.all(ports.instances.map((port, i) => waitFor(`http://127.0.0.1:${port}/api/ready`, children[i]!, 120_000)));
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    await stop(1);
    return;
  }
  say(`ready: ${publicUrl} → instances ${ports.instances.map((p) => `http://localhost:${p}`).join(", ")}; PostgreSQL ${ports.postgres}`);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("multi-stack.ts")) void main();
