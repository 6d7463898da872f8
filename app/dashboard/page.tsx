import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { CopyButton } from "@/components/copy-button";
import { Countdown } from "@/components/countdown";
import { DateTime } from "@/components/date-time";
import { DisconnectButton } from "@/components/disconnect-button";
import { ActiveSessions } from "@/components/identity/active-sessions";
import { LinkSignInMethods } from "@/components/identity/link-sign-in-methods";
import { JsonView } from "@/components/json-view";
import { SessionBoundary } from "@/components/session-boundary";
import { SignOutButton } from "@/components/sign-out-button";
import { walletHeadingId } from "@/components/focus-targets";
import { repositoryFileUrl } from "@/lib/ui/repository";
import { WalletConnector, WalletSession, WalletSigner } from "@/providers/wallets/registry.client";
import { IdentityEmailVerification } from "@/providers/identity/registry.client";
import { WalletActionButton } from "@/components/wallets/wallet-action-button";
import { ReconnectPrevious } from "@/components/wallets/reconnect-previous";
import { getConfig } from "@/lib/config";
import { configuredIdentityProviders, getIdentityProvider } from "@/providers/identity/registry";
import { getIdentity } from "@/lib/identity/session";
import { listMySessions } from "@/lib/identity/sessions";
import { getStore } from "@/lib/store";
import type { PreviousWallet, WalletConnection } from "@/lib/store/types";
import { configuredWalletProviders } from "@/providers/wallets/registry";
import { canSignMessages } from "@/lib/wallets/signing/actions";
import { previousWalletView } from "@/lib/wallets/card";
import type { WalletCardAddress, WalletFact, WalletRecordList } from "@/lib/wallets/types";

export const metadata: Metadata = { title: "Dashboard" };
export const dynamic = "force-dynamic";

function Field({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="grid grid-cols-[8rem_1fr] gap-2 py-1.5 text-sm">
      <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
      <dd data-testid={testId} className="min-w-0 break-words">
        {children}
      </dd>
    </div>
  );
}

/** Server-side render time is the reference; the client countdown takes over from there. */
function hasEnded(expiresAt: Date | null): boolean {
  return expiresAt !== null && expiresAt.getTime() <= Date.now();
}

function Badge({ ok, children }: { ok: boolean; children: React.ReactNode }) {
  return (
    <span
      className={`ml-2 rounded-full px-2 py-0.5 text-xs font-medium ${ok ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200" : "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200"}`}
    >
      {children}
    </span>
  );
}

/** A card's label/value facts, as rows of a definition list. */
function Facts({ facts }: { facts: WalletFact[] }) {
  return facts.map(([label, value]) => (
    <Field key={label} label={label}>
      <code className="font-mono text-xs">{value}</code>
    </Field>
  ));
}

/** An address as the view gives it: the shown form, with the whole value on hover where it is shortened. */
function Address({ address, testId }: { address: WalletCardAddress; testId: string }) {
  return (
    <code
      data-testid={testId}
      title={address.display === address.full ? undefined : address.full}
      className="break-all rounded-lg bg-slate-100 px-2 py-1 font-mono text-sm dark:bg-slate-800"
    >
      {address.display}
    </code>
  );
}

/** A provider's list (e.g. Moojo's credentials): one small card per item, facts as a definition list. */
function RecordList({ list }: { list: WalletRecordList }) {
  const headingId = `${list.testId}-heading`;
  return (
    <section aria-labelledby={headingId} data-testid={list.testId}>
      <h3 id={headingId} className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">
        {list.title} <span className="normal-case">({list.items.length})</span>
      </h3>
      {list.items.length === 0 ? (
        <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">{list.emptyText}</p>
      ) : (
        <ul className="mt-2 space-y-2">
          {list.items.map((item) => (
            <li key={item.key} className="rounded-lg border border-slate-200 px-3 py-2 dark:border-slate-800">
              <p className="font-mono text-sm font-medium">{item.title}</p>
              <dl className="divide-y divide-slate-100 dark:divide-slate-800">
                {item.facts.map(([label, value]) => (
                  <Field key={label} label={label}>
                    <code className="font-mono text-xs break-all">{value}</code>
                  </Field>
                ))}
              </dl>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export default async function Dashboard() {
  const identity = await getIdentity();
  if (!identity) redirect("/signin?reason=session_expired");
  const [config, store] = await Promise.all([getConfig(), getStore()]);
  // Every read is of the signed-in user's own id, from the server session.
  const [identities, connections, previousWallets, sessions] = await Promise.all([
    store.listIdentities(identity.userId),
    store.listWalletConnections(identity.userId),
    store.listPreviousWallets(identity.userId),
    listMySessions(identity),
  ]);
  const wallets = configuredWalletProviders(config).map((p) => ({ provider: p, config: p.clientConfig(config) }));
  const providerLabel = (id: string) => getIdentityProvider(id)?.label(config) ?? id;
  const signedInWith = getIdentityProvider(identity.provider);
  const byProvider = new Map<string, WalletConnection>(connections.map((c) => [c.provider, c]));
  const previousByProvider = new Map<string, PreviousWallet>(previousWallets.map((w) => [w.provider, w]));
  // Sign-in methods this user could still link (explicit account linking): configured,
  // linkable (IdentityProvider.verifyForLink), and not linked to this user yet.
  const currentProfile = identities.find((i) => i.provider === identity.provider && i.subject === identity.subject)?.profile ?? {};
  const linkable = configuredIdentityProviders(config)
    .filter((p) => p.verifyForLink && p.linkable?.(config) !== false && !identities.some((i) => i.provider === p.id))
    .map((p) => ({ provider: p.id, label: p.label(config), config: p.clientConfig?.(config) ?? {} }));

  return (
    <SessionBoundary>
      <div className="space-y-6">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <div>
            <h1 className="text-2xl font-bold tracking-tight">Hello{identity.name ? `, ${identity.name}` : ""}</h1>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              Signed in with {providerLabel(identity.provider)} as <span data-testid="identity-email">{identity.email}</span>
            </p>
          </div>
          <SignOutButton
            wallets={wallets.map((w) => ({ provider: w.provider.id, config: w.config }))}
            identity={{ provider: identity.provider, config: signedInWith?.clientConfig?.(config) ?? null }}
          />
        </div>

        {!identity.emailVerified && identity.email && (
          <IdentityEmailVerification
            provider={identity.provider}
            config={signedInWith?.clientConfig?.(config) ?? {}}
            email={identity.email}
            // The provider's own claim, as it told the app (OpenID's email_verified).
            providerSaysVerified={(currentProfile as Record<string, unknown>).email_verified === true}
          />
        )}

        <ReconnectPrevious
          // Cards whose Reconnect needs no more than a press to start (AIR Kit awaiting MFA needs a passkey).
          wallets={wallets
            .filter(({ provider }) => {
              const connection = byProvider.get(provider.id);
              const view = connection ? provider.card(connection) : null;
              if (!previousByProvider.has(provider.id) || view?.state === "awaiting_address") return false;
              return view?.state !== "connected" || hasEnded(view.expiresAt);
            })
            .map(({ provider }) => ({ provider: provider.id, name: provider.name }))}
        />

        {wallets.map(({ provider, config: clientConfig }) => {
          const connection = byProvider.get(provider.id);
          // Everything the card shows of the connection comes from the provider's view of it.
          const view = connection ? provider.card(connection) : null;
          const connected = view?.state === "connected" ? view : null;
          const awaitingAddress = view?.state === "awaiting_address";
          const reserved = view?.state === "reserved" ? view : null;
          const expired = connected !== null && hasEnded(connected.expiresAt);
          // A wallet from an earlier sign-in (sign-out forgets the session, not the wallet): offered to reconnect.
          const previousRecord = connected ? undefined : previousByProvider.get(provider.id);
          const previous = previousRecord ? previousWalletView(provider, identity.userId, previousRecord) : null;
          return (
            <section key={provider.id} className="card space-y-4" data-testid={`wallet-${provider.id}`}>
              <div className="flex items-center justify-between gap-2">
                {/* tabIndex -1: focus lands here when the card's content is replaced (connected, disconnected). */}
                <h2 id={walletHeadingId(provider.id)} tabIndex={-1} className="font-semibold outline-none">
                  {provider.name}
                  {connected && <Badge ok={!expired}>{expired ? "session expired" : "connected"}</Badge>}
                  {awaitingAddress && <Badge ok={false}>no address yet</Badge>}
                </h2>
                {(connected || awaitingAddress) && <DisconnectButton provider={provider.id} name={provider.name} config={clientConfig} />}
              </div>
              {!connected && (
                <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="wallet-description">
                  {provider.description}{" "}
                  <a
                    href={repositoryFileUrl(`docs/going-live/${provider.id}.md`)}
                    className="font-medium text-brand-700 underline underline-offset-2 dark:text-brand-300"
                  >
                    Docs<span className="sr-only"> for {provider.name}</span>
                  </a>
                </p>
              )}
              {previous && (
                <div data-testid="previous-wallet" className="space-y-1 text-sm text-slate-700 dark:text-slate-300">
                  <p>
                    You connected this wallet before, last on <DateTime value={previous.lastConnectedAt.toISOString()} />. Its session has
                    ended, not the wallet: reconnect to use it again.
                  </p>
                  <p className="flex flex-wrap items-center gap-2">
                    <span className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">
                      {previous.addressLabel}
                    </span>
                    <Address address={previous.address} testId="previous-address" />
                  </p>
                </div>
              )}
              {connected ? (
                <>
                  <div>
                    <p className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">
                      {connected.addressLabel}
                    </p>
                    <div className="mt-1 flex flex-wrap items-center gap-2">
                      <Address address={connected.address} testId="account-address" />
                      <CopyButton value={connected.address.full} what={connected.addressLabel} />
                    </div>
                  </div>
                  <dl className="divide-y divide-slate-100 dark:divide-slate-800">
                    {connected.expiresAt && (
                      <Field label="Wallet session" testId="wallet-expiry">
                        {expired ? "expired" : <Countdown expiresAt={connected.expiresAt.getTime()} />}
                        <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">
                          {provider.sessionEndNote ?? "When it ends, the wallet shows as expired; reconnect to use it again."}
                        </p>
                      </Field>
                    )}
                    <Facts facts={connected.facts} />
                  </dl>
                  {connected.records.map((list) => (
                    <RecordList key={list.testId} list={list} />
                  ))}
                  {!expired && provider.buttons && provider.buttons.length > 0 && (
                    <div className="flex flex-wrap gap-2">
                      {provider.buttons.map((b) => (
                        <WalletActionButton
                          key={b.action}
                          provider={provider.id}
                          action={b.action}
                          label={b.label}
                          busyLabel={b.busyLabel}
                        />
                      ))}
                    </div>
                  )}
                  {!expired && canSignMessages(provider.actions) && (
                    <WalletSigner provider={provider.id} config={clientConfig} address={connected.address.full} />
                  )}
                  {!expired && (
                    <WalletSession
                      provider={provider.id}
                      config={clientConfig}
                      expiresAt={connected.expiresAt?.getTime() ?? null}
                      address={connected.address.full}
                    />
                  )}
                  {expired && <WalletConnector provider={provider.id} name={provider.name} config={clientConfig} reconnect />}
                </>
              ) : (
                <>
                  {reserved && (
                    <div data-testid="pregenerated">
                      <p className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">
                        {reserved.addressLabel}, pre-generated
                      </p>
                      <div className="mt-1 flex flex-wrap items-center gap-2">
                        {reserved.address ? (
                          <>
                            <Address address={reserved.address} testId="pregenerated-address" />
                            <CopyButton value={reserved.address.full} what={`pre-generated ${reserved.addressLabel}`} />
                          </>
                        ) : (
                          // The provider may answer a pre-generation without an address (Alchemy: "string or null").
                          <span data-testid="pregenerated-address-missing" className="text-sm text-slate-500 dark:text-slate-400">
                            not returned yet
                          </span>
                        )}
                      </div>
                      <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
                        The wallet exists, but nobody holds a session for it yet: your server asked without a browser key. Connect to sign
                        with it.
                      </p>
                      <dl className="mt-2 divide-y divide-slate-100 dark:divide-slate-800">
                        <Facts facts={reserved.facts} />
                      </dl>
                    </div>
                  )}
                  {view?.state === "awaiting_address" && (
                    <dl data-testid="awaiting-address" className="divide-y divide-slate-100 dark:divide-slate-800">
                      <Facts facts={view.facts} />
                    </dl>
                  )}
                  <WalletConnector
                    provider={provider.id}
                    name={provider.name}
                    config={clientConfig}
                    reconnect={previous !== null}
                    awaitingAddress={awaitingAddress}
                  />
                </>
              )}
              {view?.documents.map((document) => (
                <details key={document.title} open={document.open}>
                  <summary className="cursor-pointer text-sm font-medium">{document.title}</summary>
                  {document.note && <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{document.note}</p>}
                  <div className="mt-2">
                    <JsonView value={document.value} testId={document.testId} />
                  </div>
                </details>
              ))}
            </section>
          );
        })}

        <section className="card space-y-3">
          <h2 className="font-semibold">Your identity</h2>
          <dl className="divide-y divide-slate-100 dark:divide-slate-800">
            <Field label="Provider">{providerLabel(identity.provider)}</Field>
            <Field label="Subject">
              <code className="font-mono text-xs">{identity.subject}</code>
            </Field>
            <Field label="Email">
              {identity.email ?? "—"}
              <Badge ok={identity.emailVerified}>{identity.emailVerified ? "verified" : "unverified"}</Badge>
            </Field>
            {identity.name && <Field label="Name">{identity.name}</Field>}
            <Field label="App user id" testId="app-user-id">
              <code className="font-mono text-xs">{identity.userId}</code>
            </Field>
            {identity.sessionExpiresAt && (
              <Field label="App session" testId="app-session-expiry">
                <Countdown expiresAt={identity.sessionExpiresAt} />
                <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">
                  When it ends, the next page load or countdown sends you back to sign in. Signing out ends this and every wallet session.
                </p>
              </Field>
            )}
          </dl>
          <div>
            <p className="mb-1 text-sm font-medium">Linked sign-in methods</p>
            <ul className="space-y-1 text-sm" data-testid="linked-identities">
              {identities.map((i) => (
                <li key={`${i.provider}:${i.subject}`} className="flex flex-wrap items-center gap-x-2">
                  <span className="font-medium">{providerLabel(i.provider)}</span>
                  <span className="text-slate-500 dark:text-slate-400">{i.email}</span>
                  <span className="text-xs text-slate-500 dark:text-slate-400">
                    last used <DateTime value={i.lastSignInAt.toISOString()} />
                  </span>
                </li>
              ))}
            </ul>
            <div className="mt-3">
              <LinkSignInMethods methods={linkable} mailboxUrl={config.demoMailboxUrl ?? null} />
            </div>
          </div>
          {/* Folded: one look away, and its button never competes with the main "Sign out". */}
          <details data-testid="sessions">
            <summary className="cursor-pointer text-sm font-medium">
              Where you are signed in ({sessions.length === 1 ? "1 session" : `${sessions.length} sessions`})
            </summary>
            <div className="mt-2">
              <ActiveSessions sessions={sessions} />
            </div>
          </details>
          <details>
            <summary className="cursor-pointer text-sm font-medium">What your identity provider told the app</summary>
            <div className="mt-2">
              <JsonView value={currentProfile} testId="idp-user-info" />
            </div>
          </details>
        </section>
      </div>
    </SessionBoundary>
  );
}
