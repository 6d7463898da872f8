// `npm run load`: mint-and-exchange rounds against two production instances on one PostgreSQL
// (scripts/multi-stack.ts), at a fixed concurrency, spread over both instances. A round is what
// a signed-in person's wallet connects cost the server:
//   1. AIR Kit: POST /api/wallets/airkit/partner-token (the app mints the partner JWT),
//      POST {AIR}/v1/auth/login with it (AIR's exchange), POST /api/wallets/airkit/session
//      (the app verifies AIR's token and records the connection);
//   2. Alchemy: POST /api/wallets/alchemy/pregenerate (the app mints an ID token and runs
//      Alchemy's auth-jwt exchange server-side).
// Consecutive steps of one round go to different instances. Passes only with 0 errors and 0
// duplicates: every person ends with one AIR account, one Alchemy address, one row per
// provider, and no account shared between people. Bounded in count and time; loopback only.
//
//   npm run build && npm run load [-- rounds=5000 concurrency=50 users=50]
import { spawn } from "node:child_process";
import pg from "pg";
import { AppClient, codeFromMailbox, createConfirmedPasswordUser } from "./lib/app-client";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`${name}=`))?.split("=")[1] ?? fallback);
const ROUNDS = arg("rounds", 5000);
const CONCURRENCY = arg("concurrency", 50);
const USERS = arg("users", 50);
const BASE = Number(process.env.E2E_PORT_BASE || 3500);
const PUBLIC_URL = `http://localhost:${BASE}`;
const INSTANCES = [`http://127.0.0.1:${BASE + 10}`, `http://127.0.0.1:${BASE + 11}`];
const AIR = `http://127.0.0.1:${BASE + 2}`;
const MAILBOX = `http://127.0.0.1:${BASE + 3}`;
const DATABASE_URL = `postgres://postgres:test-only-password@127.0.0.1:${BASE + 90}/postgres`;
const DEADLINE_MS = 20 * 60_000;

const say = (line: string) => process.stdout.write(`[load] ${line}\n`);
const stack = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/multi-stack.ts"], {
  env: { ...process.env, E2E_PORT_BASE: String(BASE) },
  stdio: ["ignore", "ignore", "inherit"],
  detached: true,
});
const stopStack = () => {
  try {
    process.kill(-stack.pid!, "SIGTERM");
  } catch {
    // already gone
  }
};
process.on("exit", stopStack);
process.on("SIGINT", () => process.exit(130));

let ip = 0;
/** Every request from its own address in 198.18.0.0/15 (benchmarking range; only a header here). */
const nextIp = () => `198.${18 + ((ip >> 16) & 1)}.${(ip >> 8) & 255}.${ip++ & 255}`;
function asPerson(cookies: Map<string, string>): AppClient {
  const c = new AppClient({ origin: PUBLIC_URL, ip: nextIp() });
  for (const [k, v] of cookies) c.cookies.set(k, v);
  return c;
}

async function airLogin(partnerToken: string): Promise<{ status: string; result?: { id: string; token: string }; challengeId?: string }> {
  const r = await fetch(`${AIR}/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: PUBLIC_URL },
    body: JSON.stringify({ partnerId: "demo-partner", authToken: partnerToken }),
  });
  if (!r.ok) throw new Error(`AIR login ${r.status}`);
  return (await r.json()) as { status: string; result?: { id: string; token: string }; challengeId?: string };
}

async function main() {
  const t0 = Date.now();
  for (let i = 0; ; i++) {
    if (stack.exitCode !== null) throw new Error("the stack exited");
    if (
      await Promise.all(
        INSTANCES.map((u) =>
          fetch(`${u}/api/ready`).then(
            (r) => r.ok,
            () => false,
          ),
        ),
      ).then((a) => a.every(Boolean))
    )
      break;
    if (i > 600) throw new Error("the stack did not start");
    await new Promise((r) => setTimeout(r, 500));
  }
  say(
    `stack ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; setting up ${USERS} people (sign-up, confirm, sign-in, first AIR login with its email code)`,
  );

  const people: { email: string; cookies: Map<string, string>; airId?: string; alchemy?: string }[] = [];
  for (let i = 0; i < USERS; i++) {
    const email = `load-${i}-${Date.now()}@example.com`;
    const client = new AppClient({ origin: PUBLIC_URL, ip: nextIp() });
    await createConfirmedPasswordUser(client, INSTANCES[i % 2]!, MAILBOX, email, "load-test-password-1");
    const signedIn = await client.signInWithPassword(INSTANCES[(i + 1) % 2]!, email, "load-test-password-1");
    if (!signedIn.ok) throw new Error(`sign-in failed for ${email}: ${signedIn.location}`);
    const { body: minted } = await client.json<{ token: string }>(INSTANCES[i % 2]!, "/api/wallets/airkit/partner-token", {});
    const first = await airLogin(minted.token);
    if (first.status !== "verification_required") throw new Error(`AIR did not ask ${email} for a code`);
    const code = await codeFromMailbox(MAILBOX, email, /AIR Kit/);
    const verified = (await (
      await fetch(`${AIR}/v1/auth/verify`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ challengeId: first.challengeId, code }),
      })
    ).json()) as { result: { token: string } };
    const session = await client.json(INSTANCES[(i + 1) % 2]!, "/api/wallets/airkit/session", { token: verified.result.token });
    if (session.status !== 200) throw new Error(`AIR session for ${email}: ${session.status}`);
    people.push({ email, cookies: new Map(client.cookies) });
  }
  say(
    `set up in ${((Date.now() - t0) / 1000).toFixed(1)} s; running ${ROUNDS} rounds at ${CONCURRENCY} concurrent over ${INSTANCES.length} instances`,
  );

  const steps: Record<string, number[]> = {
    "airkit partner-token": [],
    "AIR login": [],
    "airkit session": [],
    "alchemy pregenerate": [],
    round: [],
  };
  const errors: string[] = [];
  const duplicates: string[] = [];
  let next = 0;
  const started = performance.now();
  const timed = async <T>(step: string, f: () => Promise<T>) => {
    const s = performance.now();
    const v = await f();
    steps[step]!.push(performance.now() - s);
    return v;
  };
  async function round(i: number) {
    const person = people[i % people.length]!;
    const a = INSTANCES[i % 2]!;
    const b = INSTANCES[(i + 1) % 2]!;
    const s = performance.now();
    const minted = await timed("airkit partner-token", () =>
      asPerson(person.cookies).json<{ token: string }>(a, "/api/wallets/airkit/partner-token", {}),
    );
    if (minted.status !== 200) throw new Error(`partner-token ${minted.status}`);
    const air = await timed("AIR login", () => airLogin(minted.body.token));
    if (air.status !== "authenticated" || !air.result) throw new Error(`AIR login ${air.status}`);
    const recorded = await timed("airkit session", () =>
      asPerson(person.cookies).json(b, "/api/wallets/airkit/session", { token: air.result!.token }),
    );
    if (recorded.status !== 200) throw new Error(`airkit session ${recorded.status} ${JSON.stringify(recorded.body)}`);
    const alchemy = await timed("alchemy pregenerate", () =>
      asPerson(person.cookies).json<{ address: string }>(a, "/api/wallets/alchemy/pregenerate", {}),
    );
    if (alchemy.status !== 200) throw new Error(`alchemy pregenerate ${alchemy.status}`);
    steps.round!.push(performance.now() - s);
    // The same person always reaches the same accounts.
    if ((person.airId ??= air.result.id) !== air.result.id) duplicates.push(`${person.email}: second AIR account ${air.result.id}`);
    if ((person.alchemy ??= alchemy.body.address) !== alchemy.body.address)
      duplicates.push(`${person.email}: second Alchemy address ${alchemy.body.address}`);
  }
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ROUNDS && performance.now() - started < DEADLINE_MS) {
        const i = next++;
        await round(i).catch((error: unknown) => errors.push(`round ${i}: ${error instanceof Error ? error.message : String(error)}`));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const done = Math.min(next, ROUNDS);

  // What the database holds: one row per person and provider, no account for two people.
  const db = new pg.Client(DATABASE_URL);
  await db.connect();
  const perUser = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM wallet_connections GROUP BY user_id, provider HAVING count(*) > 1`,
  );
  const shared = await db.query(`SELECT account_id FROM wallet_accounts GROUP BY provider, account_id HAVING count(DISTINCT user_id) > 1`);
  const airAccounts = await db.query<{ n: number }>(
    `SELECT count(DISTINCT account_id)::int AS n FROM wallet_accounts WHERE provider = 'airkit'`,
  );
  const users = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users`);
  await db.end();
  if (perUser.rows.length > 0) duplicates.push(`${perUser.rows.length} (user, provider) pairs with more than one row`);
  if (shared.rows.length > 0) duplicates.push(`${shared.rows.length} wallet accounts bound to two users`);
  if (airAccounts.rows[0]!.n !== USERS) duplicates.push(`${airAccounts.rows[0]!.n} AIR accounts for ${USERS} people`);
  if (new Set(people.map((p) => p.alchemy)).size !== USERS) duplicates.push("two people share an Alchemy address");

  const pct = (xs: number[], q: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
  say(
    `${done} rounds in ${seconds.toFixed(1)} s: ${(done / seconds).toFixed(1)} rounds/s, ${((done * 4) / seconds).toFixed(0)} requests/s (${CONCURRENCY} concurrent, ${INSTANCES.length} instances, ${USERS} people, ${users.rows[0]!.n} users in the database)`,
  );
  for (const [step, xs] of Object.entries(steps)) {
    say(
      `  ${step.padEnd(22)} n=${String(xs.length).padStart(5)}  p50 ${pct(xs, 0.5).toFixed(1).padStart(7)} ms  p95 ${pct(xs, 0.95).toFixed(1).padStart(7)} ms  p99 ${pct(xs, 0.99).toFixed(1).padStart(7)} ms`,
    );
  }
  say(`errors: ${errors.length}${errors.length ? ` (first: ${errors.slice(0, 5).join("; ")})` : ""}`);
  say(`duplicates: ${duplicates.length}${duplicates.length ? ` (${duplicates.slice(0, 5).join("; ")})` : ""}`);
  const ok = errors.length === 0 && duplicates.length === 0 && done === ROUNDS;
  say(ok ? "PASS" : "FAIL");
  stopStack();
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  stopStack();
  process.exit(1);
});
