import "server-only";
// "Verify now (demo)": the Firebase Auth Emulator sends no email. It keeps every out-of-band
// code it would have mailed, readable at GET /emulator/v1/projects/{project}/oobCodes
// (https://firebase.google.com/docs/emulator-suite/connect_auth#how_the_emulator_differs).
// With the emulator only, the server reads the newest email-verification code for the
// signed-in Firebase user's own address and hands it to that user's browser, which applies it
// as the link in the email would. Real Firebase sends the real email: there is no such path.
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/http/errors";
import type { Identity } from "@/lib/identity/types";

const oobCodesSchema = z.object({
  oobCodes: z.array(z.object({ email: z.string(), oobCode: z.string(), requestType: z.string() }).loose()).default([]),
});

/**
 * The newest VERIFY_EMAIL code the emulator holds for `email` (case-insensitive), or null. The
 * emulator lists codes oldest first; codes for other addresses and other purposes (password
 * resets, sign-in links) are never returned.
 */
export function newestVerificationCode(answer: unknown, email: string): string | null {
  const parsed = oobCodesSchema.safeParse(answer);
  if (!parsed.success) return null;
  const mine = parsed.data.oobCodes.filter((c) => c.requestType === "VERIFY_EMAIL" && c.email.toLowerCase() === email.toLowerCase());
  return mine.at(-1)?.oobCode ?? null;
}

/** For the signed-in user of a Firebase sign-in, with the emulator configured: the code to apply. */
export async function demoVerificationCode(identity: Identity): Promise<{ oobCode: string }> {
  const { firebase } = await getConfig();
  if (!firebase?.emulatorHost) {
    throw new AppError("not_demo", 404, "Firebase sends the verification link by email: open it there, then come back.");
  }
  if (identity.provider !== "firebase" || !identity.email) {
    throw new AppError("not_firebase_sign_in", 409, "Only a Firebase sign-in's own email can be verified here.");
  }
  const url = `http://${firebase.emulatorHost}/emulator/v1/projects/${encodeURIComponent(firebase.projectId)}/oobCodes`;
  let answer: unknown;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`status ${response.status}`);
    answer = await response.json();
  } catch {
    throw new AppError("upstream_unavailable", 502, "The Firebase Auth Emulator did not answer. Check that it is running and try again.");
  }
  const oobCode = newestVerificationCode(answer, identity.email);
  if (!oobCode)
    throw new AppError(
      "no_verification_sent",
      404,
      "No verification email was sent to this address yet. Select “Send verification email” first.",
    );
  return { oobCode };
}
