import { getStore } from "@/lib/store";

export const dynamic = "force-dynamic";

/** Liveness and readiness: configuration parsed and the database opened. */
export async function GET() {
  try {
    await getStore();
    return Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ ok: false }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
