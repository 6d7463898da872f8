// The two engines store tests run on. PostgreSQL tests get a schema of their own on the run's
// server (scripts/test/postgres-global-setup.ts), selected through the connection's search_path.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { openPgliteStore } from "@/lib/store/pglite";
import { openPostgresStore } from "@/lib/store/postgres";
import type { StoreOptions } from "@/lib/store/sql-store";
import type { AppStore, VerifiedIdentity } from "@/lib/store/types";

export interface Engine {
  name: "pglite" | "postgres";
  /** A fresh, empty store; `reopen` opens another store on the same data (a second instance, or a restart). */
  open(
    options?: StoreOptions,
  ): Promise<{ store: AppStore; reopen: (options?: StoreOptions) => Promise<AppStore>; cleanup: () => Promise<void> }>;
}

/** A fresh schema on the test server; returns a URL whose connections use it. */
export async function freshPostgresSchema(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = inject("postgresUrl");
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client(base);
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    url: url.href,
    drop: async () => {
      const c = new pg.Client(base);
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

export const ENGINES: Engine[] = [
  {
    name: "pglite",
    async open(options) {
      const dir = mkdtempSync(join(tmpdir(), "store-"));
      let store = await openPgliteStore(dir, options);
      return {
        store,
        // PGlite is single-process: a second store on the folder only after the first is closed.
        reopen: async (o) => {
          await store.close();
          store = await openPgliteStore(dir, o);
          return store;
        },
        cleanup: async () => {
          await store.close().catch(() => undefined);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: "postgres",
    async open(options) {
      const { url, drop } = await freshPostgresSchema();
      const stores = [await openPostgresStore(url, options)];
      return {
        store: stores[0]!,
        reopen: async (o) => {
          const s = await openPostgresStore(url, o);
          stores.push(s);
          return s;
        },
        cleanup: async () => {
          for (const s of stores) await s.close().catch(() => undefined);
          await drop();
        },
      };
    },
  },
];

/** A verified OpenID identity for Ada, with any field overridden. */
export const sampleIdentity = (over: Partial<VerifiedIdentity> = {}): VerifiedIdentity => ({
  provider: "oidc",
  issuer: "https://issuer.example",
  subject: "sub-1",
  email: "ada@example.com",
  emailVerified: true,
  name: "Ada",
  profile: {},
  ...over,
});
