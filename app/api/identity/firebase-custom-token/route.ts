import { mutation } from "@/lib/http/route";
import { mintFirebaseCustomToken } from "@/providers/identity/firebase/bridge";
import { requireIdentity } from "@/lib/identity/session";

/** The Firebase bridge for users of any identity provider: see providers/identity/firebase/bridge.ts. */
export const POST = mutation(async () => mintFirebaseCustomToken(await requireIdentity()), { body: false });
