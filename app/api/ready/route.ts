import { getStore } from "@/lib/store";

export const dynamic = "force-dynamic";

/**
 * Readiness: this instance can serve now, i.e. its database answers (PostgreSQL: a round trip
 * through the pool, within 2 s). A load balancer takes an instance out while this is 503 and
 * back in once it is 200 again; no restart is needed (the pool reconnects by itself).
 * Liveness is /api/health, which stays 200 through a database outage.
 */
export async function GET() {
  const headers = { "Cache-Control": "no-store" };
  try {
    const store = await getStore();
    await Promise.race([store.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2000).unref())]);
    return Response.json({ ok: true, database: "up" }, { headers });
  } catch {
    return Response.json({ ok: false, database: "down" }, { status: 503, headers });
  }
}
