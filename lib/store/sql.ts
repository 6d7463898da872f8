// The one thing the store needs from a database: parameterised queries ($1, $2 …), multi-statement
// scripts, and transactions. PGlite (embedded) and node-postgres (a pooled PostgreSQL) both
// provide it, so the store's SQL (sql-store.ts) and its migrations are written once.
export type Row = Record<string, unknown>;

export interface SqlDb {
  query<T = Row>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction (READ COMMITTED): committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
