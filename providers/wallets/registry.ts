// The wallet providers present, in dashboard order: the only server-side list of them.
// One import and one entry line per provider (`npm run prune` removes both).
import type { AppConfig } from "@/lib/config/load";
import type { WalletProvider } from "@/lib/wallets/types";
import { airkitProvider } from "./airkit";
import { alchemyProvider } from "./alchemy";
import { moojoProvider } from "./moojo";
import { turnkeyProvider } from "./turnkey";

const registry: Record<string, WalletProvider> = {
  airkit: airkitProvider,
  turnkey: turnkeyProvider,
  alchemy: alchemyProvider,
  moojo: moojoProvider,
};

/** Every wallet provider the app knows, in dashboard order. */
export const walletProviders: readonly WalletProvider[] = Object.values(registry);

export function configuredWalletProviders(config: AppConfig): WalletProvider[] {
  return walletProviders.filter((p) => p.isConfigured(config));
}

/** The provider with this id, or undefined: ids from requests are checked here, nowhere else. */
export function getWalletProvider(id: string): WalletProvider | undefined {
  return Object.hasOwn(registry, id) ? registry[id] : undefined;
}
