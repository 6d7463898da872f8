import { mutation } from "@/lib/http/route";
import { signOutEverywhere } from "@/lib/identity/sign-out";

// POST only, Origin-checked: a cross-site page cannot sign a person out (or out of their provider).
export const POST = mutation(async (_body, _params, { request }) => signOutEverywhere(request), { body: false });
