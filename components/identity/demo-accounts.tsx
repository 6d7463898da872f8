import { CopyButton } from "@/components/copy-button";

export interface DemoAccountRow {
  readonly email: string;
  readonly password: string;
  readonly note?: string;
  /** Labels of the configured sign-in methods that accept this account, in sign-in page order. */
  readonly methods: readonly string[];
}

/** "A", "A or B", "A, B or C". */
function either(labels: readonly string[]): string {
  return labels.length <= 1 ? (labels[0] ?? "") : `${labels.slice(0, -1).join(", ")} or ${labels.at(-1)}`;
}

/**
 * The public demo people (DEMO_ACCOUNTS), on /signin of a demo: who to sign in as and with which
 * method, each value with a copy button. Rendered only when there is at least one row.
 */
export function DemoAccounts({ accounts }: { accounts: readonly DemoAccountRow[] }) {
  const first = accounts[0];
  if (!first) return null;
  // Said once when every account works with the same methods, else under each account.
  const shared = accounts.every((a) => a.methods.join("\u0000") === first.methods.join("\u0000")) ? first.methods : undefined;
  return (
    <section aria-labelledby="demo-accounts-heading" data-testid="demo-accounts" className="card space-y-3">
      <div>
        <h2 id="demo-accounts-heading" className="text-base font-semibold">
          Demo accounts
        </h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Public test people of this demo&apos;s stand-in providers, for anyone to use.
          {shared ? ` Sign in with ${either(shared)}.` : ""}
        </p>
      </div>
      <ul className="divide-y divide-slate-200 dark:divide-slate-800">
        {accounts.map((account) => (
          <li key={account.email} className="py-2 first:pt-0 last:pb-0" data-testid="demo-account">
            <dl className="grid grid-cols-[auto_minmax(0,1fr)_auto] items-center gap-x-3 gap-y-1 text-sm">
              <dt className="text-slate-600 dark:text-slate-400">Email</dt>
              <dd className="font-mono [overflow-wrap:anywhere]">{account.email}</dd>
              <dd>
                <CopyButton value={account.email} what="email" />
              </dd>
              <dt className="text-slate-600 dark:text-slate-400">Password</dt>
              <dd className="font-mono [overflow-wrap:anywhere]">{account.password}</dd>
              <dd>
                <CopyButton value={account.password} what={`password of ${account.email}`} />
              </dd>
            </dl>
            {!shared && <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">Sign in with {either(account.methods)}.</p>}
            {account.note && <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{account.note}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}
