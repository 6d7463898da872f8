import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { signIn } from "@/auth";
import { Alert } from "@/components/alert";
import { FocusOnMount } from "@/components/focus-on-mount";
import { DemoAccounts } from "@/components/identity/demo-accounts";
import { CollapsedBrowserSignIn } from "@/providers/identity/registry.client";
import { getConfig } from "@/lib/config";
import { configuredIdentityProviders } from "@/providers/identity/registry";
import { REAUTH_COOKIE, SIGNED_OUT_STATE } from "@/lib/identity/reauth";
import { getIdentity } from "@/lib/identity/session";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

// Auth.js error types → what the person should do next. Never echo the raw query text.
const ERRORS: Record<string, string> = {
  Configuration: "The identity provider could not be reached or is misconfigured. Check that it is running, then try again.",
  OAuthCallbackError: "The identity provider did not complete the sign-in. Try again.",
  CallbackRouteError: "The identity provider did not complete the sign-in. Try again.",
  AccessDenied: "Access was denied. Try another account.",
  Verification: "That sign-in link is no longer valid. Start again.",
  InvalidCheck: "The sign-in took too long or was started in another tab. Start again.",
};
const REASONS: Record<string, string> = {
  session_expired: "Your session has ended. Sign in again to continue.",
  signed_out: "You are signed out of the app and of your wallet.",
  signed_out_reauth:
    "You are signed out of the app and of your wallet. Your identity provider offers no sign-out from here, so signing in with it again will ask for your password.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (await getIdentity()) redirect("/dashboard");
  const params = await searchParams;
  const config = await getConfig();
  const providers = configuredIdentityProviders(config);
  const error = typeof params.error === "string" ? (ERRORS[params.error] ?? "Sign-in failed. Try again.") : null;
  // Back from the identity provider's logout (RP-initiated logout echoes our `state`).
  const loggedOutOf = params.state === SIGNED_OUT_STATE ? providers.find((p) => p.logoutUrl) : undefined;
  const reason = loggedOutOf
    ? `You are signed out of the app, of your wallet, and of ${loggedOutOf.label(config)}.`
    : typeof params.reason === "string"
      ? REASONS[params.reason]
      : undefined;
  // After a sign-out, a redirect provider must ask for credentials: this browser may be shared.
  const reauth = (await cookies()).has(REAUTH_COOKIE);
  // DEMO_ACCOUNTS names sign-in methods by provider id; only configured ones are offered.
  const demoAccounts = (config.demoAccounts ?? [])
    .map((account) => ({
      email: account.email,
      password: account.password,
      ...(account.note ? { note: account.note } : {}),
      methods: providers.filter((p) => account.signInMethods.includes(p.id)).map((p) => p.label(config)),
    }))
    .filter((account) => account.methods.length > 0);

  return (
    <div className="mx-auto max-w-md space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Sign in</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Choose how you sign in. Your wallet follows you, whichever you pick.
        </p>
      </div>
      {reason && (
        <FocusOnMount testId="signin-reason">
          <Alert tone="info">{reason}</Alert>
        </FocusOnMount>
      )}
      {error && <Alert testId="signin-error">{error}</Alert>}
      {providers.length === 0 && (
        <Alert>No identity provider is configured. Run `npm run dev`, or set the variables in `.env.example`.</Alert>
      )}
      {providers
        .filter((p) => p.signIn === "redirect")
        .map((p) => (
          <form
            key={p.id}
            className="card"
            action={async () => {
              "use server";
              try {
                await signIn(p.id, { redirectTo: "/dashboard" }, reauth ? { prompt: "login" } : undefined);
              } catch (e) {
                // signIn() redirects by throwing; only Auth.js errors are ours to show.
                if (e instanceof AuthError) redirect(`/signin?error=${encodeURIComponent(e.type)}`);
                throw e;
              }
            }}
          >
            <button type="submit" className="btn-primary w-full">
              Continue with {p.label(config)}
            </button>
          </form>
        ))}
      {providers
        .filter((p) => p.signIn === "browser")
        .map((p) => (
          <CollapsedBrowserSignIn
            key={p.id}
            provider={p.id}
            label={p.label(config)}
            config={p.clientConfig?.(config) ?? {}}
            mailboxUrl={config.demoMailboxUrl ?? null}
          />
        ))}
      <DemoAccounts accounts={demoAccounts} />
    </div>
  );
}
