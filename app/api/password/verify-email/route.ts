import { mutation } from "@/lib/http/route";
import { confirmEmail } from "@/providers/identity/password/service";

export const POST = mutation(async (body) => {
  await confirmEmail(body);
  return { verified: true };
});
