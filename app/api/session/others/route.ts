import { mutation } from "@/lib/http/route";
import { requireIdentity } from "@/lib/identity/session";
import { signOutOtherSessions } from "@/lib/identity/sessions";

// "Sign out everywhere else": POST only, Origin-checked, for the session's own user.
export const POST = mutation(async () => signOutOtherSessions(await requireIdentity()), { body: false });
