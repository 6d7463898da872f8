// Imported once at server start by instrumentation.ts. A production server with missing or
// invalid configuration refuses to start, naming the variable, instead of failing on the
// first request.
import { KeyConfigError } from "../keys/parse";
import { createKeySet } from "../keys/keyset";
import { ConfigError, loadConfig } from "./load";

try {
  const config = await loadConfig(process.env);
  await createKeySet(config.env.SIGNING_KEYS, config.env.SIGNING_KEYS_PREVIOUS);
  if (config.usingDevDefaults && config.isProduction) {
    console.warn(
      "[config] ALLOW_DEV_DEFAULTS: using generated dev secrets from DATA_DIR. Fine for the offline demo; never for real users.",
    );
  }
} catch (error) {
  if (!(error instanceof ConfigError) && !(error instanceof KeyConfigError)) throw error;
  console.error(`\n${error instanceof KeyConfigError ? `Configuration error: ${error.message}` : error.message}\n`);
  if (process.env.NODE_ENV === "production") process.exit(1);
}
