"use client";

import dynamic from "next/dynamic";
import type { ComponentType } from "react";
import type { ConnectorProps, SignerProps, WalletSessionProps } from "@/components/wallets/types";

type ClientConfig = Record<string, string | null>;

interface BrowserWallet {
  /** The connect button and its flow, loaded only when shown. */
  Connector: ComponentType<ConnectorProps>;
  /** Shown on a live connected card: the provider's own session in this browser (Turnkey's kit). */
  Session?: ComponentType<WalletSessionProps>;
  /** Ends the provider's own session in this browser (called on sign-out and disconnect). */
  endSession(config: ClientConfig): Promise<void>;
  /**
   * "Sign a test message" on a live card, for providers whose wallets sign: a component that
   * renders <SignMessageButton> (./sign-message.tsx) with the provider's own signing call.
   */
  Signer?: ComponentType<SignerProps>;
}

// One line per wallet provider.
const wallets: Record<string, BrowserWallet> = {
  airkit: {
    Connector: dynamic(() => import("./airkit/connect")),
    async endSession(config) {
      const { getAirClient } = await import("@/providers/wallets/airkit/browser");
      const air = await getAirClient({ partnerId: config.partnerId!, apiUrl: config.apiUrl ?? null, buildEnv: config.buildEnv ?? "sandbox" });
      await air.endSession();
    },
    Signer: dynamic(() => import("./airkit/sign")),
  },
  turnkey: {
    Connector: dynamic(() => import("./turnkey/connect")),
    Session: dynamic(() => import("./turnkey/session")),
    endSession: async (config) => (await import("./turnkey/kit")).clearTurnkeySessions(config),
  },
  alchemy: {
    Connector: dynamic(() => import("./alchemy/connect")),
    // The session key kept for signing (non-extractable, IndexedDB) goes; the server forgets the wallet.
    endSession: async () => (await import("@/providers/wallets/alchemy/browser/session-key")).deleteSessionKey(),
    Signer: dynamic(() => import("./alchemy/sign")),
  },
  moojo: {
    Connector: dynamic(() => import("./moojo/connect")),
    // Moojo's session token stays on the server and simply expires; nothing to end here.
    endSession: async () => undefined,
  },
};

export function WalletConnector({ provider, ...props }: ConnectorProps & { provider: string }) {
  const wallet = wallets[provider];
  if (!wallet) return <p className="text-sm text-slate-500 dark:text-slate-400">No browser connector for {provider}.</p>;
  return <wallet.Connector {...props} />;
}

/** The provider's browser-side session panel on a live connected card, if it has one. */
export function WalletSession({ provider, ...props }: WalletSessionProps & { provider: string }) {
  const Session = wallets[provider]?.Session;
  return Session ? <Session {...props} /> : null;
}

/** The provider's signer on a live card; nothing for providers that do not sign (Moojo). */
export function WalletSigner({ provider, ...props }: SignerProps & { provider: string }) {
  const Signer = wallets[provider]?.Signer;
  return Signer ? <Signer {...props} /> : null;
}

/** Best effort: a provider that cannot be reached must not block signing out. */
export async function endWalletSessions(configs: { provider: string; config: ClientConfig }[]): Promise<void> {
  await Promise.all(configs.map(({ provider, config }) => wallets[provider]?.endSession(config).catch(() => undefined)));
}
