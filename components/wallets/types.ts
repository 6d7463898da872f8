import type { ComponentType } from "react";

type ClientConfig = Record<string, string | null>;

/** What the dashboard passes to a wallet provider's browser connector. */
export interface ConnectorProps {
  /** The provider's id and display name (WalletProvider.id, .name): for focus and announcements. */
  provider: string;
  name: string;
  /** Non-secret settings from the provider's `clientConfig`. */
  config: Record<string, string | null>;
  /** True when a connection exists but has expired: connect again. */
  reconnect: boolean;
  /** True when the provider verified a session that has no address yet (AIR Kit before MFA). */
  awaitingAddress?: boolean;
}

/** What the dashboard passes to a provider's session panel on a live connected card. */
export interface WalletSessionProps {
  config: Record<string, string | null>;
  /** When the server's record of the session ends (ms), or null if the provider states none. */
  expiresAt: number | null;
  /** The card's address (what a test signature must recover). */
  address: string;
}

/** What the dashboard passes to a provider's signer (a live card's "Sign a test message"). */
export interface SignerProps {
  /** Non-secret settings from the provider's `clientConfig`. */
  config: Record<string, string | null>;
  /** The address the server has on record for the connection (what the signature must recover). */
  address: string;
}

/** A wallet provider's entry in the browser registry. */
export interface BrowserWallet {
  /** The connect button and its flow; its module (and the provider's SDK) should load only when shown. */
  Connector: ComponentType<ConnectorProps>;
  /** Shown on a live connected card: the provider's own session in this browser (Turnkey's kit). */
  Session?: ComponentType<WalletSessionProps>;
  /** Ends the provider's own session in this browser (called on sign-out and disconnect). */
  endSession(config: ClientConfig): Promise<void>;
  /**
   * "Sign a test message" on a live card, for providers whose wallets sign: a component that
   * renders <SignMessageButton> (components/wallets/sign-message.tsx) with the provider's own signing call.
   */
  Signer?: ComponentType<SignerProps>;
}
