"use client";

import { useState } from "react";
import { Alert } from "@/components/alert";
import { announce } from "@/components/announcer";
import { ApiError, postJson } from "@/components/api";
import type { EmailVerificationProps } from "@/components/identity/types";
import { useAppSignIn } from "@/components/identity/use-app-sign-in";
import { maskEmail } from "@/lib/ui/wording";
import { type FirebaseWebConfig, getFirebaseAuth } from "./browser";

class Refused extends Error {}

/**
 * On the dashboard of a Firebase sign-in whose email is not verified: sends Firebase's
 * verification email (sendEmailVerification) and, once the link was opened, signs in to the app
 * again with a fresh ID token, which now says `email_verified: true`.
 *
 * With the Auth Emulator (the demo), no email leaves the machine: "Verify now (demo)" asks the
 * server for the code the emulator kept for this address and applies it here, as opening the
 * link would. The app still counts an emulator's email as unverified (anyone who reaches the
 * emulator can mark any address verified: providers/identity/firebase/index.ts), and says so.
 */
export default function FirebaseVerifyEmail({ config, email, providerSaysVerified }: EmailVerificationProps) {
  const appSignIn = useAppSignIn();
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const demo = Boolean(config.emulatorUrl);
  const web: FirebaseWebConfig = {
    apiKey: config.apiKey!,
    authDomain: config.authDomain!,
    projectId: config.projectId!,
    emulatorUrl: config.emulatorUrl ?? null,
  };

  async function signedInUser() {
    const auth = await getFirebaseAuth(web);
    await auth.authStateReady();
    if (!auth.currentUser)
      throw new Refused("This browser no longer holds your Firebase sign-in. Sign out, then sign in with Firebase again.");
    return { auth, user: auth.currentUser };
  }

  async function run(label: string, task: () => Promise<void>) {
    setBusy(label);
    setError(null);
    try {
      await task();
    } catch (e) {
      setError(e instanceof Refused || e instanceof ApiError ? e.message : "Firebase did not answer. Try again.");
    } finally {
      setBusy(null);
    }
  }

  const send = () =>
    run("Sending…", async () => {
      const { sendEmailVerification } = await import("firebase/auth");
      await sendEmailVerification((await signedInUser()).user);
      setSent(true);
      announce(`Verification email sent to ${maskEmail(email)}`);
    });

  /** Reads the account again and starts a new app session from a fresh ID token. */
  async function signInAgain() {
    const { user } = await signedInUser();
    await user.reload();
    if (!user.emailVerified)
      throw new Refused("Firebase does not see the link opened yet. Open the newest verification email, then try again.");
    const refused = await appSignIn("firebase", { idToken: await user.getIdToken(true) });
    if (refused) throw new Refused(refused.message);
    announce("Email verified");
  }

  const verifyNow = () =>
    run("Verifying…", async () => {
      const { oobCode } = await postJson<{ oobCode: string }>("/api/identity/firebase-verification", undefined);
      const { applyActionCode } = await import("firebase/auth");
      await applyActionCode((await signedInUser()).auth, oobCode);
      await signInAgain();
    });

  if (providerSaysVerified) {
    // Only reachable with the emulator: real Firebase's word is taken (the badge says verified).
    return (
      <Alert tone="info" testId="email-verification">
        Firebase now says {email} is verified. This demo&apos;s Firebase is the local Auth Emulator, whose word on an email the app does not
        take (anyone who reaches it can mark any address verified), so wallets that need a verified email still refuse it. In the demo, sign
        in with email and password or the OpenID Provider for those; with real Firebase, this step is all it takes.
      </Alert>
    );
  }

  return (
    <section aria-labelledby="verify-email-heading" className="card space-y-3" data-testid="email-verification">
      <h2 id="verify-email-heading" className="font-semibold">
        Verify your email
      </h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Firebase has not verified {email} yet. Wallets that need a verified email (AIR Kit) will refuse until it is.
        {sent &&
          (demo
            ? " The local Firebase Auth Emulator sends no email: it keeps the link, and the demo can open it for you."
            : " Open the link in the email Firebase sent, then come back here.")}
      </p>
      {error && <Alert testId="email-verification-error">{error}</Alert>}
      <div className="flex flex-wrap gap-2">
        <button type="button" className={sent ? "btn-secondary" : "btn-primary"} onClick={() => void send()} disabled={busy !== null}>
          {busy === "Sending…" ? busy : sent ? "Send it again" : "Send verification email"}
        </button>
        {sent && demo && (
          <button type="button" className="btn-primary" onClick={() => void verifyNow()} disabled={busy !== null}>
            {busy === "Verifying…" ? busy : "Verify now (demo)"}
          </button>
        )}
        {sent && !demo && (
          <button type="button" className="btn-primary" onClick={() => void run("Checking…", signInAgain)} disabled={busy !== null}>
            {busy === "Checking…" ? busy : "I opened the link"}
          </button>
        )}
      </div>
    </section>
  );
}
