import { createHttpAirClient } from "./http-client";
import type { AirClient, AirClientConfig } from "./types";

export * from "./types";

let client: Promise<AirClient> | undefined;

/** The browser's AIR client, created once per page. */
export function getAirClient(config: AirClientConfig): Promise<AirClient> {
  const { apiUrl } = config;
  client ??= apiUrl
    ? Promise.resolve(createHttpAirClient({ ...config, apiUrl }))
    : import("./sdk-client").then((m) => m.createSdkAirClient(config));
  return client;
}
