import { mutation } from "@/lib/http/route";
import { resendConfirmation } from "@/providers/identity/password/service";

export const POST = mutation(async (body) => {
  await resendConfirmation(body);
  return { sent: true };
});
