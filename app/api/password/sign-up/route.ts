import { mutation } from "@/lib/http/route";
import { signUp } from "@/lib/identity/providers/password/service";

export const POST = mutation((body) => signUp(body), { ipLimit: "signUp" });
