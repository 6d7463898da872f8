import type { PGlite } from "@electric-sql/pglite";
import type { Adapter, AdapterPayload } from "oidc-provider";
import type { SweepResult } from "../lib/counterpart";
import { deleteCreatedBefore } from "../lib/retention";

/**
 * Storage adapter for oidc-provider: its records (sessions, grants, interactions, codes, opaque
 * access tokens) in the provider's PGlite database (../lib/db.ts), so that a restart on the same
 * data dir behaves like a hosted IdP's: a browser that was signed in stays signed in, and a
 * grant stays granted. Cookie and signing keys persist separately (./keys.ts).
 *
 * Invariants:
 * - A record past its `expires_at` is never returned; expired rows are deleted every
 *   SWEEP_EVERY writes (and found-expired ones at once).
 * - `created_at` is set on the first write of a record and kept on later ones (a Session is
 *   saved on every interaction), so the retention sweep ages a session from its sign-in.
 * - revokeByGrantId removes the grant's tokens and codes of every grantable model, whichever
 *   model's adapter it is called on (as oidc-provider expects).
 */
export const OIDC_MIGRATIONS: readonly string[] = [
  `CREATE TABLE oidc_records (
     model text NOT NULL,
     id text NOT NULL,
     payload jsonb NOT NULL,
     -- Indexed look-ups oidc-provider needs: Session by uid, device flow by user code, revocation by grant.
     uid text,
     user_code text,
     grant_id text,
     created_at timestamptz NOT NULL,
     expires_at timestamptz,
     PRIMARY KEY (model, id)
   );
   CREATE INDEX oidc_records_uid ON oidc_records (uid) WHERE uid IS NOT NULL;
   CREATE INDEX oidc_records_user_code ON oidc_records (user_code) WHERE user_code IS NOT NULL;
   CREATE INDEX oidc_records_grant ON oidc_records (grant_id) WHERE grant_id IS NOT NULL;
   CREATE INDEX oidc_records_expires ON oidc_records (expires_at);`,
];

/** Models whose records are revoked together when their grant is revoked. */
const GRANTABLE = [
  "AccessToken",
  "AuthorizationCode",
  "RefreshToken",
  "DeviceCode",
  "BackchannelAuthenticationRequest",
  "PreAuthorizedCode",
];

const SWEEP_EVERY = 256;

export interface OidcStore {
  adapter(model: string): Adapter;
  /** Retention (lib/counterpart.ts `sweep`): records created before the cutoff go. */
  sweep(createdBefore: Date): Promise<SweepResult>;
}

export function createAdapterFactory(db: PGlite, now: () => Date = () => new Date()): OidcStore {
  let writes = 0;
  const deleteExpired = () => db.query("DELETE FROM oidc_records WHERE expires_at <= $1", [now()]);

  return {
    sweep: (createdBefore) => deleteCreatedBefore(db, ["DELETE FROM oidc_records WHERE created_at < $1"], createdBefore),
    adapter(model: string): Adapter {
      const live = async (where: string, params: unknown[]): Promise<AdapterPayload | undefined> => {
        const row = (
          await db.query<{ payload: AdapterPayload; expires_at: Date | null; id: string }>(
            `SELECT id, payload, expires_at FROM oidc_records WHERE model = $1 AND ${where}`,
            [model, ...params],
          )
        ).rows[0];
        if (!row) return undefined;
        if (row.expires_at !== null && row.expires_at.getTime() <= now().getTime()) {
          await db.query("DELETE FROM oidc_records WHERE model = $1 AND id = $2", [model, row.id]);
          return undefined;
        }
        return row.payload;
      };

      return {
        async upsert(id, payload, expiresIn) {
          const at = now();
          const expiresAt = typeof expiresIn === "number" ? new Date(at.getTime() + expiresIn * 1000) : null;
          await db.query(
            `INSERT INTO oidc_records (model, id, payload, uid, user_code, grant_id, created_at, expires_at)
             VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8)
             ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, uid = EXCLUDED.uid,
               user_code = EXCLUDED.user_code, grant_id = EXCLUDED.grant_id, expires_at = EXCLUDED.expires_at`,
            [
              model,
              id,
              JSON.stringify(payload),
              model === "Session" && typeof payload.uid === "string" ? payload.uid : null,
              typeof payload.userCode === "string" ? payload.userCode : null,
              GRANTABLE.includes(model) && typeof payload.grantId === "string" ? payload.grantId : null,
              at,
              expiresAt,
            ],
          );
          if (++writes % SWEEP_EVERY === 0) await deleteExpired();
        },
        find: (id) => live("id = $2", [id]),
        findByUid: (uid) => live("uid = $2", [uid]),
        findByUserCode: (userCode) => live("user_code = $2", [userCode]),
        async consume(id) {
          await db.query(
            `UPDATE oidc_records SET payload = jsonb_set(payload, '{consumed}', to_jsonb($3::bigint)) WHERE model = $1 AND id = $2`,
            [model, id, Math.floor(now().getTime() / 1000)],
          );
        },
        async destroy(id) {
          await db.query("DELETE FROM oidc_records WHERE model = $1 AND id = $2", [model, id]);
        },
        async revokeByGrantId(grantId) {
          await db.query("DELETE FROM oidc_records WHERE grant_id = $1 AND model = ANY($2::text[])", [grantId, GRANTABLE]);
        },
      };
    },
  };
}
