import { createHttpAirService } from "./http-client";
import { createAirClient } from "./session-policy";
import type { AirClient, AirClientConfig, AirServiceLike } from "./types";

export * from "./types";

let client: Promise<AirClient> | undefined;

/** The browser's AIR client, created once per page (again after its session was ended). */
export function getAirClient(config: AirClientConfig): Promise<AirClient> {
  if (client) return client;
  const { apiUrl } = config;
  const created = (async () => {
    const service: AirServiceLike = apiUrl
      ? createHttpAirService({ ...config, apiUrl })
      : await import("./sdk-client").then((m) => m.createSdkAirService(config));
    // Never restore a saved login: see session-policy.ts.
    await service.init({ skipRehydration: true });
    return createAirClient(service, () => {
      if (client === created) client = undefined;
    });
  })();
  client = created;
  // A failed start is not cached: the next attempt tries again.
  created.catch(() => {
    if (client === created) client = undefined;
  });
  return created;
}
