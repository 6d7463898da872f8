import { mutation } from "@/lib/http/route";
import { signUp } from "@/lib/identity/providers/password/service";

export const POST = mutation((body, _params, { client }) => signUp(body, client), { ipLimit: "signUp" });
