// Runs once when the server starts. A production server with missing or invalid
// configuration refuses to start, naming the variable, instead of failing on the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { loadConfig, ConfigError } = await import("./lib/config/load");
  try {
    const config = await loadConfig(process.env);
    if (config.usingDevDefaults && config.isProduction) {
      console.warn("[config] ALLOW_DEV_DEFAULTS: using generated dev secrets from DATA_DIR. Fine for the offline demo; never for real users.");
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`\n${error.message}\n`);
      if (process.env.NODE_ENV === "production") process.exit(1);
      return;
    }
    throw error;
  }
}
