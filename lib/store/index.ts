import "server-only";
import { join } from "node:path";
import { getConfig } from "@/lib/config";
import { openPgliteStore } from "./pglite";
import { openPostgresStore } from "./postgres";
import type { AppStore } from "./types";

export type * from "./types";

// Kept on globalThis so that Next.js dev reloads and separately bundled route modules share
// one store: one PGlite instance (opening the same data folder twice in one process corrupts
// nothing only because it never happens), or one PostgreSQL pool per process. A failed open
// (database down at start) is forgotten, so the next call tries again.
const slot = globalThis as typeof globalThis & { __appStore?: Promise<AppStore> };

export function getStore(): Promise<AppStore> {
  slot.__appStore ??= getConfig()
    .then((config) => {
      const options = { issuers: config.identityIssuers };
      return config.env.DATABASE_URL
        ? openPostgresStore(config.env.DATABASE_URL, { ...options, pool: { max: config.env.DATABASE_POOL_MAX } })
        : openPgliteStore(join(config.env.DATA_DIR, "app-db"), options);
    })
    .catch((error: unknown) => {
      slot.__appStore = undefined;
      throw error;
    });
  return slot.__appStore;
}
