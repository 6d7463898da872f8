import { mutation } from "@/lib/http/route";
import { signOutEverywhere } from "./sign-out";

// POST only, Origin-checked: a cross-site page cannot sign a person out (or out of their provider).
export const POST = mutation(async (_body, _params, { request }) => signOutEverywhere(request), { body: false });
