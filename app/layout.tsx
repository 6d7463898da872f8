import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { Announcer } from "@/components/announcer";
import { getConfig } from "@/lib/config";
import { REPOSITORY_URL, repositoryFileUrl } from "@/lib/ui/repository";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "BYO Auth → Embedded Wallets", template: "%s · BYO Auth → Embedded Wallets" },
  description: "Reference app: sign in with your own auth, vouch for the user with a signed token, get an embedded wallet.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// Every page depends on run-time configuration (and most on the session): nothing is prerendered
// at build time, when production secrets are rightly absent.
export const dynamic = "force-dynamic";

/** An inline SVG mark: a text glyph rendered as an empty box on a stock Linux Chromium. */
function Logo() {
  return (
    <svg aria-hidden viewBox="0 0 28 28" className="size-7 shrink-0" focusable="false">
      <rect width="28" height="28" rx="7" className="fill-brand-600" />
      <circle cx="11" cy="14" r="4.5" fill="none" stroke="white" strokeWidth="2.2" />
      <path d="M15.5 14h7.5m-2.5 0v3.5m-3-3.5v2.5" fill="none" stroke="white" strokeWidth="2.2" strokeLinecap="round" />
    </svg>
  );
}

/**
 * Shown while the app runs on the local counterparts (the launcher sets DEMO_MAILBOX_URL only
 * then: the mailbox is one of them). A stranger on the demo learns first that nothing here is a
 * real wallet, and where to read how to go live.
 */
function DemoBanner() {
  return (
    <aside
      aria-label="Demo"
      data-testid="demo-banner"
      className="border-b border-amber-200 bg-amber-50 text-amber-950 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-100"
    >
      <p className="mx-auto max-w-5xl px-4 py-2 text-sm">
        This is a demo on local stand-ins of the real providers. Nothing here is a real wallet.{" "}
        <a href={REPOSITORY_URL} className="font-medium underline underline-offset-2">
          Source code
        </a>
        {" · "}
        <a href={repositoryFileUrl("docs/going-live.md")} className="font-medium underline underline-offset-2">
          Going live
        </a>
      </p>
    </aside>
  );
}

export default async function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  const { demoMailboxUrl } = await getConfig();
  return (
    <html lang="en">
      <body className="min-h-dvh font-sans">
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <header className="border-b border-slate-200 bg-white/80 backdrop-blur dark:border-slate-800 dark:bg-slate-900/80">
          <div className="mx-auto flex max-w-5xl items-center justify-between px-4 py-3">
            <Link href="/" className="flex items-center gap-2 font-semibold">
              <Logo />
              <span>BYO Auth → Wallets</span>
            </Link>
            <nav
              aria-label="Developer links"
              className="flex flex-wrap items-center justify-end gap-x-1 text-sm text-slate-600 dark:text-slate-300"
            >
              {demoMailboxUrl && (
                <>
                  <a href={demoMailboxUrl} target="_blank" rel="noreferrer" className="nav-link">
                    Mailbox
                  </a>
                  <span aria-hidden>·</span>
                </>
              )}
              <a href="/.well-known/jwks.json" className="nav-link">
                JWKS
              </a>
              <span aria-hidden>·</span>
              <a href="/.well-known/openid-configuration" className="nav-link">
                OIDC discovery
              </a>
            </nav>
          </div>
        </header>
        {demoMailboxUrl && <DemoBanner />}
        <main id="main" tabIndex={-1} className="mx-auto max-w-5xl px-4 py-8 outline-none">
          {children}
        </main>
        <Announcer />
      </body>
    </html>
  );
}
