// AppStore on a shared PostgreSQL (DATABASE_URL), through a node-postgres pool: the engine for
// several app instances. The driver was chosen by scripts/measure/pg-drivers.ts (see
// docs/deploy.md for the figures).
//
// Invariants:
// - A broken connection never breaks the app for good: the pool drops clients that fail and
//   opens new ones on demand, so after a database restart the next request reconnects.
// - While the database is down, calls fail fast (connection timeout) instead of queueing
//   forever; callers that guard something (limits, sessions) then refuse: fail closed.
import pg from "pg";
import type { SqlDb } from "./sql";
import { openSqlStore, type StoreOptions } from "./sql-store";
import type { AppStore } from "./types";

export interface PoolSettings {
  /** Connections per instance (DATABASE_POOL_MAX). Instances × this must stay under the server's max_connections. */
  max?: number;
  connectionTimeoutMs?: number;
  /** Longest a statement may run (server-side statement_timeout). */
  statementTimeoutMs?: number;
}

export function postgresDb(url: string, settings: PoolSettings = {}): SqlDb & { pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    max: settings.max ?? 10,
    connectionTimeoutMillis: settings.connectionTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    statement_timeout: settings.statementTimeoutMs ?? 15_000,
    application_name: "byo-auth-wallets",
  });
  // An idle client whose connection dies (a database restart) emits 'error' on the pool; without
  // a listener that would crash the process. The pool has already discarded the client.
  pool.on("error", (error) => console.warn(`[db] an idle connection was lost (${(error as { code?: string }).code ?? error.message}); the pool reconnects on demand`));

  return {
    pool,
    query: async (sql, params) => {
      const result = await pool.query(sql, params as unknown[] | undefined);
      return { rows: result.rows };
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const tx: SqlDb = {
          query: async (sql, params) => ({ rows: (await client.query(sql, params as unknown[] | undefined)).rows }),
          exec: async (sql) => {
            await client.query(sql);
          },
          transaction: () => Promise.reject(new Error("nested transactions are not supported")),
          close: async () => undefined,
        };
        const result = await fn(tx);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch((rollbackError: Error) => {
          // The connection itself is gone: do not hand it back to the pool.
          broken = rollbackError;
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
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
