import Link from "next/link";
import { redirect } from "next/navigation";
import { getIdentity } from "@/lib/identity/session";

export const dynamic = "force-dynamic";

const steps = [
  ["Sign in", "with the identity provider your app already uses: an OpenID Connect provider such as Auth0, or your own user table."],
  ["Vouch", "The app's server mints a short-lived token signed with its own key, published at /.well-known/jwks.json."],
  ["Exchange", "The wallet provider verifies the token against that JWKS and creates or loads the user's wallet."],
  ["Use it", "The dashboard shows the account address, who you are on each side, and when each session ends."],
] as const;

export default async function Home() {
  if (await getIdentity()) redirect("/dashboard");
  return (
    <div className="space-y-10">
      <section className="space-y-4 pt-6">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-700 dark:text-brand-300">Reference app</p>
        <h1 className="max-w-2xl text-3xl font-bold tracking-tight sm:text-4xl">Bring your own authentication to embedded wallets.</h1>
        <p className="max-w-2xl text-slate-600 dark:text-slate-400">
          Your users already sign in to your app. Here your server vouches for them with a signed token, and the wallet provider creates or
          loads their wallet, without a second login.
        </p>
        <Link href="/signin" className="btn-primary">
          Try it: sign in
        </Link>
      </section>
      <ol className="grid gap-4 sm:grid-cols-2">
        {steps.map(([title, text], i) => (
          <li key={title} className="card">
            <p className="text-xs font-semibold text-brand-700 dark:text-brand-300">Step {i + 1}</p>
            <h2 className="mt-1 font-semibold">{title}</h2>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{text}</p>
          </li>
        ))}
      </ol>
    </div>
  );
}
