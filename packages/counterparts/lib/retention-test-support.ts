/**
 * Test support for the retention sweeps (lib/retention.ts): what a database holds, per table,
 * and what it still holds from before a cutoff. Used by tests only.
 *
 * `rowsBefore` looks at every table that records when its rows were made (a `created_at`,
 * `issued_at` or `attempted_at` column), found in the catalog rather than listed by hand, so a
 * table added later that the sweep forgets shows up in the tests.
 */
import type { PGlite } from "@electric-sql/pglite";

const CREATION_COLUMNS = ["created_at", "issued_at", "attempted_at"];

export async function rowCounts(db: PGlite): Promise<Record<string, number>> {
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
     ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables.rows) {
    const result = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}"`);
    counts[table_name] = result.rows[0]?.n ?? 0;
  }
  return counts;
}

/** Tables that still hold rows made before `cutoff`, with how many (tables with none are left out). */
export async function rowsBefore(db: PGlite, cutoff: Date): Promise<Record<string, number>> {
  const columns = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND column_name = ANY($1::text[]) AND table_name <> 'schema_migrations'
     ORDER BY table_name`,
    [CREATION_COLUMNS],
  );
  const old: Record<string, number> = {};
  for (const { table_name, column_name } of columns.rows) {
    const result = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}" < $1`, [cutoff]);
    const n = result.rows[0]?.n ?? 0;
    if (n > 0) old[table_name] = n;
  }
  return old;
}
