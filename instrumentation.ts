// Runs once when the server starts (Node.js runtime only).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  await import("./lib/config/startup-check");
  // A public demo's retention (DEMO_DATA_MAX_AGE_HOURS); nothing happens when it is unset.
  const { startRetentionSweep } = await import("./lib/store/retention");
  await startRetentionSweep().catch((error: unknown) =>
    console.warn(`[retention] not started: ${error instanceof Error ? error.message : String(error)}`),
  );
}
