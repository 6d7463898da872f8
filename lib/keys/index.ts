import "server-only";
import { getConfig } from "@/lib/config";
import { createKeySet, type KeySet } from "./keyset";

export type { KeySet, SigningKey } from "./keyset";

let cached: Promise<KeySet> | undefined;

/** The app's key set, imported once per process (never per request). */
export function getKeySet(): Promise<KeySet> {
  cached ??= getConfig()
    .then(({ env }) => createKeySet(env.SIGNING_KEYS, env.SIGNING_KEYS_PREVIOUS))
    .catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
  return cached;
}
