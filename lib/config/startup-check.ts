// Imported once at server start by instrumentation.ts. A production server with missing or
// invalid configuration refuses to start, naming the variable, instead of failing on the
// first request.
import { ConfigError, loadConfig } from "./load";

try {
  const config = await loadConfig(process.env);
  if (config.usingDevDefaults && config.isProduction) {
    console.warn("[config] ALLOW_DEV_DEFAULTS: using generated dev secrets from DATA_DIR. Fine for the offline demo; never for real users.");
  }
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`\n${error.message}\n`);
  if (process.env.NODE_ENV === "production") process.exit(1);
}
