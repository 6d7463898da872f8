import { mutation } from "@/lib/http/route";
import { linkSignInMethod } from "@/lib/identity/link";
import { requireIdentity } from "@/lib/identity/session";

/** Explicit account linking for the signed-in user: see lib/identity/link.ts. */
export const POST = mutation(async (body) => ({ linked: await linkSignInMethod(await requireIdentity(), body) }));
