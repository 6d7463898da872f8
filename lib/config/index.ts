import "server-only";
import { type AppConfig, loadConfig } from "./load";

export type { AppConfig } from "./load";
export { ConfigError } from "./load";

let cached: Promise<AppConfig> | undefined;

/** The app's configuration, parsed once per process from `process.env`. */
export function getConfig(): Promise<AppConfig> {
  cached ??= loadConfig(process.env).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
