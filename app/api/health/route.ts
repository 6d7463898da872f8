import { getStore } from "@/lib/store";

export const dynamic = "force-dynamic";

/**
 * Liveness: configuration parsed and the store opened once. It stays 200 while a shared
 * PostgreSQL is down (the process is fine; restarting it would not help): readiness, which
 * checks the database, is /api/ready.
 */
export async function GET() {
  try {
    await getStore();
    return Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ ok: false }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
