/**
 * Embedded Postgres (PGlite) for the counterparts, with forward-only numbered migrations.
 *
 * Invariants:
 * - Migration `i` of the array has version `i + 1`; versions are applied in order, each inside
 *   its own transaction together with its `schema_migrations` row, so a crash never leaves a
 *   half-applied migration recorded as done.
 * - Migrations are append-only: never edit or reorder an entry once shipped. A database that
 *   records a version the code does not know was written by newer code and is refused.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite, type Transaction } from "@electric-sql/pglite";

/** Pass as `dataDir` to keep everything in memory (tests). Nothing touches the filesystem. */
export const MEMORY_DATA_DIR = "memory://";

/** The subset of PGlite that both the database and an open transaction offer. */
export type Queryable = Pick<Transaction, "query" | "exec">;

export type DatabaseErrorCode = "migration_failed" | "schema_too_new";

export class DatabaseError extends Error {
  override readonly name = "DatabaseError";
  constructor(
    readonly code: DatabaseErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isMemoryDataDir(dataDir: string): boolean {
  return dataDir === MEMORY_DATA_DIR;
}

/**
 * Opens (creating if needed) the database of a counterpart and brings its schema up to date.
 * On disk, Postgres files live in `<dataDir>/pgdata` so a service can keep other files (its
 * keys) next to them without mixing them into the Postgres data directory.
 */
export async function openDatabase(dataDir: string, migrations: readonly string[]): Promise<PGlite> {
  let location: string = MEMORY_DATA_DIR;
  if (!isMemoryDataDir(dataDir)) {
    // 0700: the directory holds private keys and hashed secrets.
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    location = path.join(path.resolve(dataDir), "pgdata");
  }
  const db = await PGlite.create(location);
  try {
    await migrate(db, migrations);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}

async function migrate(db: PGlite, migrations: readonly string[]): Promise<void> {
  await db.exec(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )
  `);
  const applied = await db.query<{ version: number }>("SELECT version FROM schema_migrations");
  const appliedVersions = new Set(applied.rows.map((row) => row.version));
  const newest = Math.max(0, ...appliedVersions);
  if (newest > migrations.length) {
    throw new DatabaseError(
      "schema_too_new",
      `Database schema is at version ${newest} but this code only knows ${migrations.length} migrations`,
    );
  }
  for (const [index, sql] of migrations.entries()) {
    const version = index + 1;
    if (appliedVersions.has(version)) continue;
    try {
      await db.transaction(async (tx) => {
        await tx.exec(sql);
        await tx.query("INSERT INTO schema_migrations (version) VALUES ($1)", [version]);
      });
    } catch (cause) {
      throw new DatabaseError("migration_failed", `Migration ${version} failed`, { cause });
    }
  }
}
