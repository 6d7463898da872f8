import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { getConfig } from "@/lib/config";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "BYO Auth → Embedded Wallets", template: "%s · BYO Auth → Embedded Wallets" },
  description: "Reference app: sign in with your own auth, vouch for the user with a signed token, get an embedded wallet.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// Every page depends on run-time configuration (and most on the session): nothing is prerendered
// at build time, when production secrets are rightly absent.
export const dynamic = "force-dynamic";

export default async function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  const { demoMailboxUrl } = await getConfig();
  return (
    <html lang="en">
      <body className="min-h-dvh font-sans">
        <header className="border-b border-slate-200 bg-white/80 backdrop-blur dark:border-slate-800 dark:bg-slate-900/80">
          <div className="mx-auto flex max-w-5xl items-center justify-between px-4 py-3">
            <Link href="/" className="flex items-center gap-2 font-semibold">
              <span aria-hidden className="grid size-7 place-items-center rounded-lg bg-brand-600 text-sm font-bold text-white">
                ⚿
              </span>
              <span>BYO Auth → Wallets</span>
            </Link>
            <nav className="flex flex-wrap items-center justify-end gap-x-2 text-sm text-slate-500">
              {demoMailboxUrl && (
                <>
                  <a href={demoMailboxUrl} target="_blank" rel="noreferrer" className="hover:text-slate-900 dark:hover:text-white">
                    Mailbox
                  </a>
                  <span aria-hidden>·</span>
                </>
              )}
              <a href="/.well-known/jwks.json" className="hover:text-slate-900 dark:hover:text-white">
                JWKS
              </a>
              <span aria-hidden>·</span>
              <a href="/.well-known/openid-configuration" className="hover:text-slate-900 dark:hover:text-white">
                OIDC discovery
              </a>
            </nav>
          </div>
        </header>
        <main className="mx-auto max-w-5xl px-4 py-8">{children}</main>
      </body>
    </html>
  );
}
