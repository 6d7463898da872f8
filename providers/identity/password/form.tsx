"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useRef, useState } from "react";
import { announce } from "@/components/announcer";
import { useFocusOnStep } from "@/components/focus";
import { missingCredentials } from "@/components/identity/missing-credentials";
import { maskEmail } from "@/lib/ui/wording";
import { Alert } from "@/components/alert";
import { ApiError, postJson } from "@/components/api";
import { CodeField } from "@/components/identity/code-field";
import { PasswordField } from "@/components/identity/password-field";

type Mode = "signin" | "signup" | "verify";

const SIGN_IN_ERRORS: Record<string, string> = {
  invalid_credentials: "Wrong email or password.",
  rate_limited: "Too many attempts. Wait a moment, then try again.",
  server_busy: "The server is busy. Try again in a few seconds.",
  email_unverified: "Confirm your email first: we sent you a new 6-digit code.",
};

export function PasswordForm({ mailboxUrl }: { mailboxUrl: string | null }) {
  const router = useRouter();
  const [mode, setMode] = useState<Mode>("signin");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [name, setName] = useState("");
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  // "Create one", the code step and back replace the control that had focus: focus the first field.
  useFocusOnStep(form, mode);

  async function finishSignIn() {
    const result = await signIn("password", { email, password, redirect: false });
    if (result?.error) {
      const code = result.code ?? "invalid_credentials";
      if (code === "email_unverified") {
        setMode("verify");
        setNotice(`We sent a 6-digit code to ${email}.`);
        return;
      }
      setError(SIGN_IN_ERRORS[code] ?? "Sign-in failed. Try again.");
      return;
    }
    router.push("/dashboard");
    router.refresh();
  }

  async function run(task: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await task();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "Something went wrong. Try again.");
    } finally {
      setBusy(false);
    }
  }

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    if (mode !== "verify") {
      const missing = missingCredentials(email, password);
      if (missing) return setError(missing);
    }
    void run(async () => {
      if (mode === "signin") return finishSignIn();
      if (mode === "signup") {
        await postJson("/api/password/sign-up", { email, password, name: name || undefined });
        setMode("verify");
        announce(`Code sent to ${maskEmail(email)}`);
        // The server answers the same whether or not the address already has an account (so
        // sign-up reveals nothing); the email says which it was.
        setNotice(
          `Check your email: we sent a message to ${email}. If the address is new here, it has a 6-digit code to enter below. If you already have an account, it says so: sign in instead.`,
        );
        return;
      }
      await postJson("/api/password/verify-email", { email, code });
      setNotice("Email confirmed. Signing you in…");
      await finishSignIn();
    });
  }

  const title = { signin: "Sign in with email", signup: "Create an account", verify: "Confirm your email" }[mode];
  const submit = { signin: "Sign in", signup: "Create account", verify: "Confirm and sign in" }[mode];

  return (
    <form ref={form} onSubmit={onSubmit} className="space-y-3" noValidate data-testid="password-form">
      <h2 className="font-semibold">{title}</h2>
      {notice && <Alert tone="info">{notice}</Alert>}
      {mode !== "verify" ? (
        <>
          {mode === "signup" && (
            <div>
              <label className="label" htmlFor="pw-name">
                Name <span className="font-normal text-slate-500 dark:text-slate-400">(optional)</span>
              </label>
              <input id="pw-name" className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
            </div>
          )}
          <div>
            <label className="label" htmlFor="pw-email">
              Email
            </label>
            <input
              id="pw-email"
              className="input"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              autoComplete="email"
            />
          </div>
          <PasswordField id="pw-password" value={password} onChange={setPassword} isNew={mode === "signup"} minLength={10} />
        </>
      ) : (
        <CodeField id="pw-code" label="6-digit code" value={code} onChange={setCode} mailboxUrl={mailboxUrl} to={email} />
      )}
      {error && <Alert testId="form-error">{error}</Alert>}
      <button type="submit" className="btn-primary w-full" disabled={busy}>
        {busy ? "Please wait…" : submit}
      </button>
      <div className="flex justify-between text-sm">
        {mode === "signin" && (
          <button
            type="button"
            className="text-brand-700 dark:text-brand-300 hover:underline"
            onClick={() => (setMode("signup"), setError(null), setNotice(null))}
          >
            No account? Create one
          </button>
        )}
        {mode === "signup" && (
          <button
            type="button"
            className="text-brand-700 dark:text-brand-300 hover:underline"
            onClick={() => (setMode("signin"), setError(null), setNotice(null))}
          >
            Have an account? Sign in
          </button>
        )}
        {mode === "verify" && (
          <button
            type="button"
            className="text-brand-700 dark:text-brand-300 hover:underline"
            onClick={() => (setMode("signin"), setCode(""), setError(null), setNotice(null))}
          >
            Have an account? Sign in
          </button>
        )}
        {mode === "verify" && (
          <button
            type="button"
            className="text-brand-700 dark:text-brand-300 hover:underline"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                await postJson("/api/password/resend", { email });
                setNotice(`We sent a new code to ${email}.`);
              })
            }
          >
            Send a new code
          </button>
        )}
      </div>
    </form>
  );
}
