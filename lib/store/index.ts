import "server-only";
import { join } from "node:path";
import { getConfig } from "@/lib/config";
import { firebaseIssuer } from "@/lib/identity/providers/firebase/verify-id-token";
import { supabaseIssuer } from "@/lib/identity/providers/supabase/verify-access-token";
import { openPgliteStore } from "./pglite";
import type { AppStore } from "./types";

export type * from "./types";

// Kept on globalThis so that Next.js dev reloads and separately bundled route modules share
// one PGlite instance: opening the same data folder twice in one process corrupts nothing
// only because it never happens.
const slot = globalThis as typeof globalThis & { __appStore?: Promise<AppStore> };

export function getStore(): Promise<AppStore> {
  slot.__appStore ??= getConfig()
    .then((config) =>
      openPgliteStore(join(config.env.DATA_DIR, "app-db"), {
        issuers: {
          oidc: config.oidc?.issuer,
          firebase: config.firebase ? firebaseIssuer(config.firebase.projectId) : undefined,
          supabase: config.supabase ? supabaseIssuer(config.supabase.url) : undefined,
        },
      }),
    )
    .catch((error: unknown) => {
      slot.__appStore = undefined;
      throw error;
    });
  return slot.__appStore;
}
