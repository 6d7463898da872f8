"use client";

// The wallet providers' browser parts: the only client-side list of them. One import and one
// entry line per provider (`npm run prune` removes both).
import { LazyConnector } from "@/components/wallets/lazy-connector";
import type { BrowserWallet, ConnectorProps, SignerProps, WalletSessionProps } from "@/components/wallets/types";
import { airkitBrowser } from "./airkit/ui";
import { alchemyBrowser } from "./alchemy/ui";
import { moojoBrowser } from "./moojo/ui";
import { turnkeyBrowser } from "./turnkey/ui";

type ClientConfig = Record<string, string | null>;

const wallets: Record<string, BrowserWallet> = {
  airkit: airkitBrowser,
  turnkey: turnkeyBrowser,
  alchemy: alchemyBrowser,
  moojo: moojoBrowser,
};

const browserWallet = (provider: string) => (Object.hasOwn(wallets, provider) ? wallets[provider] : undefined);

/** The card's connector: the provider's face at once, its code (and SDK) only on the first intent. */
export function WalletConnector(props: ConnectorProps) {
  const wallet = browserWallet(props.provider);
  if (!wallet) return <p className="text-sm text-slate-500 dark:text-slate-400">No browser connector for {props.provider}.</p>;
  return <LazyConnector {...props} face={wallet.face(props)} load={wallet.loadConnector} />;
}

/** The provider's browser-side session panel on a live connected card, if it has one. */
export function WalletSession({ provider, ...props }: WalletSessionProps & { provider: string }) {
  const Session = browserWallet(provider)?.Session;
  return Session ? <Session {...props} /> : null;
}

/** The provider's signer on a live card; nothing for providers that do not sign (Moojo). */
export function WalletSigner({ provider, ...props }: SignerProps & { provider: string }) {
  const Signer = browserWallet(provider)?.Signer;
  return Signer ? <Signer {...props} /> : null;
}

/** Best effort: a provider that cannot be reached must not block signing out. */
export async function endWalletSessions(configs: { provider: string; config: ClientConfig }[]): Promise<void> {
  await Promise.all(
    configs.map(({ provider, config }) =>
      browserWallet(provider)
        ?.endSession(config)
        .catch(() => undefined),
    ),
  );
}
