import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatabaseError, openDatabase } from "./db";

const V1 = "CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL)";
const V2 = "ALTER TABLE notes ADD COLUMN tag text";

describe("openDatabase", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "db-test-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("persists data and applies each migration exactly once", async () => {
    const dataDir = path.join(dir, "nested", "service");
    const first = await openDatabase(dataDir, [V1]);
    await first.query("INSERT INTO notes (id, body) VALUES (1, 'hello')");
    await first.close();
    expect(await readdir(dataDir)).toContain("pgdata");

    // Reopen with one more migration: V1 is not re-run (it would fail), V2 is applied.
    const second = await openDatabase(dataDir, [V1, V2]);
    const rows = await second.query<{ body: string; tag: string | null }>("SELECT body, tag FROM notes");
    expect(rows.rows).toEqual([{ body: "hello", tag: null }]);
    const versions = await second.query<{ version: number }>("SELECT version FROM schema_migrations ORDER BY version");
    expect(versions.rows.map((r) => r.version)).toEqual([1, 2]);
    await second.close();

    // Code that knows fewer migrations than the database refuses to run on it.
    await expect(openDatabase(dataDir, [V1])).rejects.toMatchObject({ code: "schema_too_new" });
  });

  it("rolls back a failing migration and reports it", async () => {
    const error = await openDatabase("memory://", [V1, "CREATE TABLE broken (", V2]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).code).toBe("migration_failed");
    expect((error as DatabaseError).message).toBe("Migration 2 failed");
  });
});
