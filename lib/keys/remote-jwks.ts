import { createRemoteJWKSet, type JWTVerifyGetKey } from "jose";

// One remote key set per URL for the life of the process, never one per request: jose caches
// the keys and refetches at most once per cooldown when it meets an unknown `kid`, so a
// flood of forged kids cannot turn into a flood of requests to the issuer.
const sets = new Map<string, JWTVerifyGetKey>();

export function remoteJwks(url: string): JWTVerifyGetKey {
  let set = sets.get(url);
  if (!set) {
    set = createRemoteJWKSet(new URL(url), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000, timeoutDuration: 5000 });
    sets.set(url, set);
  }
  return set;
}
