import type { Adapter, AdapterPayload } from "oidc-provider";

/**
 * In-memory storage adapter for oidc-provider, one store per provider instance.
 *
 * State (sessions, interactions, codes, opaque access tokens, grants) is intentionally
 * ephemeral: restarting the dev/demo server behaves like an IdP that forgot its browser
 * sessions, which is harmless for a loopback stand-in. What must survive restarts (signing
 * keys and cookie keys) is persisted separately in the data directory (see ./keys.ts).
 * Supplying our own adapter also keeps oidc-provider from printing its "development-only
 * in-memory adapter" warning, which targets production deployments.
 */

/** Models whose records are revoked together when their grant is revoked. */
const GRANTABLE = new Set([
  "AccessToken",
  "AuthorizationCode",
  "RefreshToken",
  "DeviceCode",
  "BackchannelAuthenticationRequest",
  "PreAuthorizedCode",
]);

interface StoredRecord {
  payload: AdapterPayload;
  expiresAt: number; // epoch ms; Infinity when no expiry was given
}

const SWEEP_EVERY = 256;

export function createAdapterFactory(): (model: string) => Adapter {
  const records = new Map<string, StoredRecord>();
  const sessionUids = new Map<string, string>(); // Session uid -> record key
  const userCodes = new Map<string, string>(); // user code -> record key
  const grantMembers = new Map<string, Set<string>>(); // grantId -> record keys
  let writes = 0;

  function live(key: string): StoredRecord | undefined {
    const record = records.get(key);
    if (!record) return undefined;
    if (record.expiresAt <= Date.now()) {
      remove(key);
      return undefined;
    }
    return record;
  }

  function remove(key: string): void {
    const record = records.get(key);
    if (!record) return;
    records.delete(key);
    const { uid, userCode, grantId } = record.payload;
    if (typeof uid === "string" && sessionUids.get(uid) === key) sessionUids.delete(uid);
    if (typeof userCode === "string" && userCodes.get(userCode) === key) userCodes.delete(userCode);
    if (typeof grantId === "string") {
      const members = grantMembers.get(grantId);
      members?.delete(key);
      if (members?.size === 0) grantMembers.delete(grantId);
    }
  }

  function sweep(): void {
    const now = Date.now();
    for (const [key, record] of records) {
      if (record.expiresAt <= now) remove(key);
    }
  }

  return (model: string): Adapter => {
    const keyFor = (id: string) => `${model}:${id}`;
    const read = (key: string | undefined) => {
      const record = key === undefined ? undefined : live(key);
      return record ? structuredClone(record.payload) : undefined;
    };

    return {
      async upsert(id, payload, expiresIn) {
        const key = keyFor(id);
        remove(key);
        const expiresAt = typeof expiresIn === "number" ? Date.now() + expiresIn * 1000 : Infinity;
        const stored = structuredClone(payload);
        records.set(key, { payload: stored, expiresAt });
        if (model === "Session" && typeof stored.uid === "string") sessionUids.set(stored.uid, key);
        if (typeof stored.userCode === "string") userCodes.set(stored.userCode, key);
        if (GRANTABLE.has(model) && typeof stored.grantId === "string") {
          const members = grantMembers.get(stored.grantId) ?? new Set<string>();
          members.add(key);
          grantMembers.set(stored.grantId, members);
        }
        if (++writes % SWEEP_EVERY === 0) sweep();
      },
      async find(id) {
        return read(keyFor(id));
      },
      async findByUid(uid) {
        return read(sessionUids.get(uid));
      },
      async findByUserCode(userCode) {
        return read(userCodes.get(userCode));
      },
      async consume(id) {
        const record = live(keyFor(id));
        if (record) record.payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        remove(keyFor(id));
      },
      async revokeByGrantId(grantId) {
        for (const key of [...(grantMembers.get(grantId) ?? [])]) remove(key);
        grantMembers.delete(grantId);
      },
    };
  };
}
