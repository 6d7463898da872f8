// AppStore on a shared PostgreSQL (DATABASE_URL): the engine for several app instances.
//
// Driver: postgres.js (`postgres`), chosen over node-postgres (`pg`) by
// scripts/measure/pg-drivers.ts: on the check every signed-in request makes (session row joined
// to its user) it did 2,959 / 4,795 ops/s against pg's 491 / 1,119 in two rounds (50
// concurrent, pool of 10, p50 11.5 / 6.4 ms against 67.5 / 40.9 ms), and as well as pg on the
// rate-limit upsert. Its prepared statements are named and reused per connection, so the
// join is planned once, not on every request. Figures in docs/deploy.md.
//
// Invariants:
// - A broken connection never breaks the app for good: postgres.js drops connections that fail
//   and opens new ones on demand, so after a database restart the next query reconnects.
// - While the database is down, queries fail fast (connect timeout) instead of waiting without
//   end; callers that guard something (limits, sessions) then refuse: fail closed.
import postgres from "postgres";
import type { SqlDb } from "./sql";
import { openSqlStore, type StoreOptions } from "./sql-store";
import type { AppStore } from "./types";

export interface PoolSettings {
  /** Connections per instance (DATABASE_POOL_MAX). Instances × this must stay under the server's max_connections. */
  max?: number;
  connectTimeoutSeconds?: number;
  /** Longest a statement may run (server-side statement_timeout, ms). */
  statementTimeoutMs?: number;
}

type Parameters = postgres.ParameterOrJSON<never>[];

function over(sql: postgres.Sql | postgres.TransactionSql): Omit<SqlDb, "transaction" | "close"> {
  return {
    query: async <T>(text: string, params: unknown[] = []) => ({
      rows: (await sql.unsafe(text, params as Parameters, { prepare: true })) as unknown as T[],
    }),
    // Simple protocol: a migration is a script of several statements without parameters.
    exec: async (text) => {
      await sql.unsafe(text).simple();
    },
  };
}

export function postgresDb(url: string, settings: PoolSettings = {}): SqlDb & { sql: postgres.Sql } {
  const sql = postgres(url, {
    max: settings.max ?? 10,
    connect_timeout: settings.connectTimeoutSeconds ?? 5,
    idle_timeout: 30,
    onnotice: () => undefined,
    // The store hands JSON to jsonb parameters already serialised (as PGlite takes it); the
    // driver must not serialise that text a second time into a JSON string.
    types: {
      json: {
        to: 114,
        from: [114, 3802],
        serialize: (x: unknown) => (typeof x === "string" ? x : JSON.stringify(x)),
        parse: (x: string) => JSON.parse(x) as unknown,
      },
    },
    connection: { application_name: "byo-auth-wallets", statement_timeout: settings.statementTimeoutMs ?? 15_000 },
  });
  return {
    sql,
    ...over(sql),
    transaction: <T>(fn: (tx: SqlDb) => Promise<T>) =>
      sql.begin((tx) =>
        fn({
          ...over(tx),
          transaction: () => Promise.reject(new Error("nested transactions are not supported")),
          close: async () => undefined,
        }),
      ) as Promise<T>,
    close: () => sql.end({ timeout: 5 }),
  };
}

export async function openPostgresStore(url: string, options: StoreOptions & { pool?: PoolSettings } = {}): Promise<AppStore> {
  const db = postgresDb(url, options.pool);
  try {
    return await openSqlStore(db, options);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
