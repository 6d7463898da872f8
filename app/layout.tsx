import type { Metadata, Viewport } from "next";
import Link from "next/link";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "BYO Auth → Embedded Wallets", template: "%s · BYO Auth → Embedded Wallets" },
  description: "Reference app: sign in with your own auth, vouch for the user with a signed token, get an embedded wallet.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <html lang="en">
      <body className="min-h-dvh font-sans">
        <header className="border-b border-slate-200 bg-white/80 backdrop-blur dark:border-slate-800 dark:bg-slate-900/80">
          <div className="mx-auto flex max-w-5xl items-center justify-between px-4 py-3">
            <Link href="/" className="flex items-center gap-2 font-semibold">
              <span aria-hidden className="grid size-7 place-items-center rounded-lg bg-brand-600 text-xs font-bold text-white">
                BYO
              </span>
              <span>BYO Auth → Wallets</span>
            </Link>
            <nav className="text-sm text-slate-500">
              <a href="/.well-known/jwks.json" className="hover:text-slate-900 dark:hover:text-white">
                JWKS
              </a>
              <span className="mx-2">·</span>
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
