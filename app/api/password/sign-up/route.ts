import { mutation } from "@/lib/http/route";
import { signUp } from "@/providers/identity/password/service";

export const POST = mutation((body, _params, { client }) => signUp(body, client), { ipLimit: "signUp" });
