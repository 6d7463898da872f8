import type { ComponentType, ReactNode } from "react";

type ClientConfig = Record<string, string | null>;

/** What the dashboard passes to a wallet provider's browser connector. */
export interface ConnectorProps {
  /** The provider's id and display name (WalletProvider.id, .name): for focus and announcements. */
  provider: string;
  name: string;
  /** Non-secret settings from the provider's `clientConfig`. */
  config: Record<string, string | null>;
  /**
   * True when this user has had this wallet before: a connection that has expired, or one
   * from an earlier sign-in (the store's previous wallets). The wallet exists: connect again.
   */
  reconnect: boolean;
  /** True when the provider verified a session that has no address yet (AIR Kit before MFA). */
  awaitingAddress?: boolean;
  /**
   * The intent (ConnectIntent.id) pressed on the card before this connector had loaded: the
   * connector runs it once, as soon as it can, as if pressed again (no second click).
   */
  start?: string | null;
}

/** One button of a card's connector, as the card shows it before the provider's code has loaded. */
export interface ConnectIntent {
  /** What the connector runs for it (ConnectorProps.start once loaded). */
  id: string;
  label: string;
  /** The first intent is the primary button; the others are secondary unless said. */
  style?: "secondary" | "ghost";
  /** The id of the hint (ConnectFace.hint) that explains it. */
  describedBy?: string;
}

/**
 * What a card's connector shows at rest: plain data and markup, no provider SDK, so that a
 * card can render it before (and without) loading the provider's code.
 */
export interface ConnectFace {
  /** The buttons, the primary one first. */
  intents: ConnectIntent[];
  /** A short line under the buttons (its element carries the id intents are described by). */
  hint?: ReactNode;
  /** Shown above the buttons (e.g. why a step is needed). */
  notice?: ReactNode;
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
  /** The connector's buttons at rest, from light code (the card renders them without loading the connector). */
  face(props: ConnectorProps): ConnectFace;
  /**
   * Loads the connector: the buttons and their flows, with the provider's SDK. Called on the
   * first intent (a pointer over, focus on, or a press of a card's button), never on render,
   * so that a dashboard with nothing connected loads no provider code. It renders the same
   * face and runs `start` when given. A module import (`() => import("./connect")`), not
   * next/dynamic, which would load it as soon as a card renders.
   */
  loadConnector(): Promise<{ default: ComponentType<ConnectorProps> }>;
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
