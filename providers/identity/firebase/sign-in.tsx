"use client";

import { useRef, useState } from "react";
import { useFocusOnStep } from "@/components/focus";
import { missingCredentials } from "@/components/identity/missing-credentials";
import { Alert } from "@/components/alert";
import { PasswordField } from "@/components/identity/password-field";
import { type FirebaseWebConfig, getFirebaseAuth, getFirebaseLinkAuth } from "@/providers/identity/firebase/browser";
import { type BrowserSignInProps, useSubmitProof } from "@/components/identity/use-app-sign-in";

const FIREBASE_ERRORS: Record<string, string> = {
  "auth/invalid-credential": "Wrong email or password.",
  "auth/wrong-password": "Wrong email or password.",
  "auth/user-not-found": "Wrong email or password.",
  "auth/invalid-email": "Enter a valid email address.",
  "auth/email-already-in-use": "An account with this email already exists. Sign in instead.",
  "auth/weak-password": "Use at least 6 characters.",
  "auth/too-many-requests": "Too many attempts. Wait a few minutes, then try again.",
  "auth/network-request-failed": "Firebase could not be reached. Check your connection and try again.",
  "auth/popup-closed-by-user": "The Google window was closed before signing in.",
};

function message(error: unknown): string {
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  return FIREBASE_ERRORS[code] ?? "Firebase sign-in failed. Try again.";
}

export default function FirebaseSignIn({ config, intent = "sign-in", onLinked }: BrowserSignInProps) {
  const submitProof = useSubmitProof(intent, onLinked);
  const linking = intent === "link";
  const [mode, setMode] = useState<"signin" | "signup">("signin");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  // "Create one" / "Sign in" replace the button that had focus: focus the form's first field.
  useFocusOnStep(form, mode);
  const web: FirebaseWebConfig = {
    apiKey: config.apiKey!,
    authDomain: config.authDomain!,
    projectId: config.projectId!,
    emulatorUrl: config.emulatorUrl ?? null,
  };

  async function run(task: (auth: import("firebase/auth").Auth) => Promise<import("firebase/auth").UserCredential>) {
    setBusy(true);
    setError(null);
    // Linking proves the account in an in-memory instance of its own, signed out afterwards:
    // the person stays signed in to the app as before, with no second Firebase session around.
    let auth: import("firebase/auth").Auth | undefined;
    try {
      auth = await (linking ? getFirebaseLinkAuth(web) : getFirebaseAuth(web));
      const credential = await task(auth);
      const idToken = await credential.user.getIdToken();
      const refused = await submitProof("firebase", { idToken });
      if (refused) setError(refused.message);
    } catch (e) {
      setError(message(e));
    } finally {
      if (linking && auth) await (await import("firebase/auth")).signOut(auth).catch(() => undefined);
      setBusy(false);
    }
  }

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const missing = missingCredentials(email, password);
    if (missing) return setError(missing);
    void run(async (auth) => {
      const { signInWithEmailAndPassword, createUserWithEmailAndPassword, sendEmailVerification } = await import("firebase/auth");
      if (mode === "signin") return signInWithEmailAndPassword(auth, email, password);
      const created = await createUserWithEmailAndPassword(auth, email, password);
      await sendEmailVerification(created.user).catch(() => undefined);
      setNotice(`Account created. Firebase sent a verification link to ${email}; wallets need a verified email.`);
      return created;
    });
  }

  return (
    <form ref={form} onSubmit={onSubmit} className="space-y-3" noValidate data-testid="firebase-form">
      <h2 className="font-semibold">
        {linking
          ? mode === "signin"
            ? "Link a Firebase account"
            : "Create a Firebase account to link"
          : mode === "signin"
            ? "Sign in with Firebase"
            : "Create a Firebase account"}
      </h2>
      {linking && (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Sign in to the Firebase account to add. You stay signed in as you are; next time, either way of signing in opens this account.
        </p>
      )}
      {notice && <Alert tone="info">{notice}</Alert>}
      <div>
        <label className="label" htmlFor="fb-email">
          Email
        </label>
        <input id="fb-email" className="input" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" />
      </div>
      <PasswordField id="fb-password" value={password} onChange={setPassword} isNew={mode !== "signin"} />
      {error && <Alert testId="form-error">{error}</Alert>}
      <button type="submit" className="btn-primary w-full" disabled={busy}>
        {busy
          ? "Please wait…"
          : mode === "signin"
            ? linking
              ? "Link Firebase account"
              : "Sign in with Firebase"
            : linking
              ? "Create and link account"
              : "Create account"}
      </button>
      {config.googleSignIn && (
        <button
          type="button"
          className="btn-secondary w-full"
          disabled={busy}
          onClick={() =>
            void run(async (auth) => {
              const { GoogleAuthProvider, signInWithPopup } = await import("firebase/auth");
              return signInWithPopup(auth, new GoogleAuthProvider());
            })
          }
        >
          Continue with Google
        </button>
      )}
      <button
        type="button"
        className="text-sm text-brand-700 dark:text-brand-300 hover:underline"
        onClick={() => (setMode(mode === "signin" ? "signup" : "signin"), setError(null), setNotice(null))}
      >
        {mode === "signin" ? "No Firebase account? Create one" : "Have an account? Sign in"}
      </button>
    </form>
  );
}

/** Ends the Firebase session in this browser. */
export async function endFirebaseSession(config: Record<string, string | null>): Promise<void> {
  const auth = await getFirebaseAuth({
    apiKey: config.apiKey!,
    authDomain: config.authDomain!,
    projectId: config.projectId!,
    emulatorUrl: config.emulatorUrl ?? null,
  });
  const { signOut } = await import("firebase/auth");
  await signOut(auth);
}
