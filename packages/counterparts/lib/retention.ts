/**
 * The SQL side of a counterpart's retention sweep (StartedCounterpart.sweep, lib/counterpart.ts).
 *
 * Each statement deletes with `$1` bound to the cutoff; they run in the given order (children
 * before the rows they reference) inside one transaction, so a sweep removes a visitor's data
 * entirely or not at all. `removed` sums the rows each statement deleted.
 */
import type { PGlite } from "@electric-sql/pglite";
import type { SweepResult } from "./counterpart";

export async function deleteCreatedBefore(db: PGlite, statements: readonly string[], createdBefore: Date): Promise<SweepResult> {
  if (Number.isNaN(createdBefore.getTime())) throw new RangeError("counterparts: sweep cutoff is not a valid date");
  return db.transaction(async (tx) => {
    let removed = 0;
    for (const sql of statements) removed += (await tx.query(sql, [createdBefore])).affectedRows ?? 0;
    return { removed };
  });
}
