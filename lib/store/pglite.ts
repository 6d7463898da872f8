// AppStore on PGlite: real PostgreSQL compiled to WASM, embedded, persisted in a folder.
// One process owns the folder at a time (PGlite is single-connection): the default for one
// instance. Several instances share a PostgreSQL instead (postgres.ts, DATABASE_URL).
import { mkdirSync } from "node:fs";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import type { SqlDb } from "./sql";
import { openSqlStore, type StoreOptions } from "./sql-store";
import type { AppStore } from "./types";

export { MIGRATIONS } from "./migrations";
export { UNKNOWN_ISSUER, type StoreOptions } from "./sql-store";

function wrap(db: PGlite | Transaction, top: PGlite | null): SqlDb {
  return {
    query: (sql, params) => db.query(sql, params),
    exec: async (sql) => {
      await db.exec(sql);
    },
    transaction: (fn) => {
      if (!top) throw new Error("nested transactions are not supported");
      return top.transaction((tx) => fn(wrap(tx, null)));
    },
    close: async () => {
      if (top) await top.close();
    },
  };
}

export function pgliteDb(dataDir: string): SqlDb {
  if (dataDir !== "memory://") mkdirSync(dataDir, { recursive: true });
  const db = new PGlite(dataDir);
  return wrap(db, db);
}

export async function openPgliteStore(dataDir: string, options: StoreOptions = {}): Promise<AppStore> {
  return openSqlStore(pgliteDb(dataDir), options);
}
