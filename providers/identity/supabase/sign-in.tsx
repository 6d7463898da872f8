"use client";

import { useRef, useState } from "react";
import { useFocusOnStep } from "@/components/focus";
import { missingCredentials } from "@/components/identity/missing-credentials";
import { announce } from "@/components/announcer";
import { maskEmail } from "@/lib/ui/wording";
import { Alert } from "@/components/alert";
import { getSupabaseBrowserClient } from "@/providers/identity/supabase/browser";
import { CodeField } from "@/components/identity/code-field";
import { PasswordField } from "@/components/identity/password-field";
import { type BrowserSignInProps, useSubmitProof } from "@/components/identity/use-app-sign-in";
import { WRONG_CODE } from "@/lib/ui/wording";

type Mode = "signin" | "signup" | "otp" | "code";

// Supabase Auth error codes (AuthApiError.code) in words.
const SUPABASE_ERRORS: Record<string, string> = {
  invalid_credentials: "Wrong email or password.",
  email_not_confirmed: "Confirm your email first: we sent you a new code.",
  user_already_exists: "An account with this email already exists. Sign in instead.",
  weak_password: "Choose a stronger password (at least 6 characters).",
  // Supabase answers a wrong code and an expired one alike.
  otp_expired: WRONG_CODE,
  over_email_send_rate_limit: "A code was sent very recently. Wait a minute before asking for another.",
  over_request_rate_limit: "Too many attempts. Wait a few minutes, then try again.",
  validation_failed: "Enter a valid email address.",
};

function describe(error: { code?: string; name?: string } | null): string {
  if (!error) return "Supabase sign-in failed. Try again.";
  if (error.name === "AuthRetryableFetchError") return "Supabase could not be reached. Check your connection and try again.";
  return SUPABASE_ERRORS[error.code ?? ""] ?? "Supabase sign-in failed. Try again.";
}

export default function SupabaseSignIn({ config, mailboxUrl, intent = "sign-in", onLinked }: BrowserSignInProps) {
  const submitProof = useSubmitProof(intent, onLinked);
  const linking = intent === "link";
  const [mode, setMode] = useState<Mode>("signin");
  const [codeFor, setCodeFor] = useState<"signup" | "email">("email");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  // Each mode replaces the control that had focus ("Create one", the code step): focus its first field.
  useFocusOnStep(form, mode);
  const client = () => getSupabaseBrowserClient(config.url!, config.publishableKey!);

  function askForCode(kind: "signup" | "email", text: string) {
    setCodeFor(kind);
    setCode("");
    setMode("code");
    setNotice(text);
    announce(`Code sent to ${maskEmail(email)}`);
  }

  async function finish(accessToken: string) {
    const refused = await submitProof("supabase", { accessToken });
    if (refused) setError(refused.message);
    // From here on the app session stands alone; end the Supabase one (kept only in memory).
    // A session opened only to link is ended whatever the app answered.
    if (!refused || linking) await (await client()).auth.signOut({ scope: "local" }).catch(() => undefined);
  }

  async function submit() {
    const supabase = await client();
    if (mode === "signin") {
      const { data, error } = await supabase.auth.signInWithPassword({ email, password });
      if (error?.code === "email_not_confirmed") {
        await supabase.auth.resend({ type: "signup", email });
        return askForCode("signup", `Confirm your email: we sent a 6-digit code to ${email}.`);
      }
      if (error || !data.session) return setError(describe(error));
      return finish(data.session.access_token);
    }
    if (mode === "signup") {
      const { data, error } = await supabase.auth.signUp({ email, password });
      if (error) return setError(describe(error));
      if (data.session) return finish(data.session.access_token);
      // With email confirmation on, Supabase answers a sign-up for a taken, confirmed email with
      // an obfuscated user that has no identities (so that sign-up does not reveal accounts).
      if (data.user && data.user.identities?.length === 0) return setError(SUPABASE_ERRORS.user_already_exists!);
      return askForCode("signup", `We sent a 6-digit code to ${email}. Enter it to confirm your email.`);
    }
    if (mode === "otp") {
      const { error } = await supabase.auth.signInWithOtp({ email, options: { shouldCreateUser: true } });
      if (error) return setError(describe(error));
      return askForCode("email", `We sent a 6-digit sign-in code to ${email}.`);
    }
    const { data, error } = await supabase.auth.verifyOtp({ email, token: code, type: codeFor });
    if (error || !data.session) return setError(describe(error));
    return finish(data.session.access_token);
  }

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    if (mode !== "code") {
      const missing = missingCredentials(email, mode === "otp" ? null : password);
      if (missing) return setError(missing);
    }
    setBusy(true);
    setError(null);
    submit()
      .catch(() => setError("Supabase could not be reached. Check your connection and try again."))
      .finally(() => setBusy(false));
  }

  const titles: Record<Mode, string> = linking
    ? {
        signin: "Link a Supabase account",
        signup: "Create a Supabase account to link",
        otp: "Link with an email code",
        code: "Enter your code",
      }
    : { signin: "Sign in with Supabase", signup: "Create a Supabase account", otp: "Sign in with an email code", code: "Enter your code" };
  const actions: Record<Mode, string> = linking
    ? { signin: "Link Supabase account", signup: "Create and link account", otp: "Email me a code", code: "Verify code and link" }
    : { signin: "Sign in with Supabase", signup: "Create account", otp: "Email me a code", code: "Verify code" };
  const switchTo = (next: Mode) => () => (setMode(next), setError(null), setNotice(null));

  return (
    <form ref={form} onSubmit={onSubmit} className="space-y-3" noValidate data-testid="supabase-form">
      <h2 className="font-semibold">{titles[mode]}</h2>
      {linking && (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Sign in to the Supabase account to add. You stay signed in as you are; next time, either way of signing in opens this account.
        </p>
      )}
      {notice && <Alert tone="info">{notice}</Alert>}
      {mode === "code" ? (
        <CodeField id="sb-code" label="6-digit code" value={code} onChange={setCode} mailboxUrl={mailboxUrl} to={email} />
      ) : (
        <div>
          <label className="label" htmlFor="sb-email">
            Email
          </label>
          <input
            id="sb-email"
            className="input"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            autoComplete="email"
          />
        </div>
      )}
      {(mode === "signin" || mode === "signup") && (
        <PasswordField id="sb-password" value={password} onChange={setPassword} isNew={mode === "signup"} />
      )}
      {error && <Alert testId="form-error">{error}</Alert>}
      <button type="submit" className="btn-primary w-full" disabled={busy}>
        {busy ? "Please wait…" : actions[mode]}
      </button>
      <div className="flex flex-wrap justify-between gap-2 text-sm">
        {mode !== "signin" && (
          <button type="button" className="text-brand-700 dark:text-brand-300 hover:underline" onClick={switchTo("signin")}>
            Sign in with a password
          </button>
        )}
        {mode === "signin" && (
          <button type="button" className="text-brand-700 dark:text-brand-300 hover:underline" onClick={switchTo("signup")}>
            No account? Create one
          </button>
        )}
        {mode !== "otp" && mode !== "code" && (
          <button type="button" className="text-brand-700 dark:text-brand-300 hover:underline" onClick={switchTo("otp")}>
            Email me a code instead
          </button>
        )}
      </div>
    </form>
  );
}
