import type { AppConfig } from "@/lib/config/load";
import { airkitProvider } from "./airkit";
import { alchemyProvider } from "./alchemy";
import { moojoProvider } from "./moojo";
import { turnkeyProvider } from "./turnkey";
import type { WalletProvider, WalletProviderId } from "@/lib/wallets/types";

/** Every wallet provider the app knows, in dashboard order. */
export const walletProviders: readonly WalletProvider[] = [airkitProvider, turnkeyProvider, alchemyProvider, moojoProvider];

export function configuredWalletProviders(config: AppConfig): WalletProvider[] {
  return walletProviders.filter((p) => p.isConfigured(config));
}

export function getWalletProvider(id: string): WalletProvider | undefined {
  return walletProviders.find((p) => p.id === (id as WalletProviderId));
}
