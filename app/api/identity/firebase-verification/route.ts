import { mutation } from "@/lib/http/route";
import { demoVerificationCode } from "@/providers/identity/firebase/demo-verification";
import { requireIdentity } from "@/lib/identity/session";

/** Demo only (Firebase Auth Emulator): see providers/identity/firebase/demo-verification.ts. */
export const POST = mutation(async () => demoVerificationCode(await requireIdentity()), { body: false });
