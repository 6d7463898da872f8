import { errorResponse } from "@/lib/http/respond";
import { requireIdentity } from "@/lib/identity/session";
import { listMySessions } from "@/lib/identity/sessions";

export const dynamic = "force-dynamic";

/** The signed-in user's live sessions (device, started, last seen; no ids). 401 when the session is not live. */
export async function GET() {
  try {
    return Response.json({ sessions: await listMySessions(await requireIdentity()) }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
