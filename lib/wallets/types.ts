import type { z } from "zod";
import type { AppConfig } from "@/lib/config/load";
import type { Identity } from "@/lib/identity/types";
import type { KeySet } from "@/lib/keys/keyset";
import type { AppStore, User, WalletConnection, WalletProviderId } from "@/lib/store/types";

export type { WalletProviderId } from "@/lib/store/types";

/** Everything a wallet action may use. The subject is always `identity`, from the server session. */
export interface WalletContext {
  identity: Identity;
  /** The app user, as read by this request's session check (getIdentity); absent, read it from the store. */
  user?: User;
  config: AppConfig;
  store: AppStore;
  keySet: KeySet;
}

export interface WalletAction<Schema extends z.ZodType = z.ZodType> {
  input: Schema;
  run(ctx: WalletContext, input: z.output<Schema>): Promise<unknown>;
}

/** One wallet provider. Adding one means a folder under providers/wallets and one registry line. */
export interface WalletProvider {
  id: WalletProviderId;
  name: string;
  /** One line on the card, for someone who has not connected yet: what connecting will do. */
  description: string;
  /**
   * Under a live card's session countdown: what happens when the wallet session ends and what
   * reconnecting takes (say "skips the email code" only where it does). Absent: a generic line.
   */
  sessionEndNote?: string;
  isConfigured(config: AppConfig): boolean;
  /** Non-secret settings for the provider's browser connector. */
  clientConfig(config: AppConfig): Record<string, string | null>;
  /**
   * What the dashboard card shows for a recorded connection. The provider is the only reader of
   * its `connection.data` (whose shape it wrote): the dashboard renders the view and nothing else.
   * Total: any data, including an older or partial shape, gives a view (unknown values left out).
   */
  card(connection: WalletConnection): WalletCardView;
  /** Buttons on a live (connected, unexpired) card, each running one of `actions` on the server. */
  buttons?: WalletButton[];
  /** Server-side steps, reached at POST /api/wallets/{id}/{action}. */
  actions: Record<string, WalletAction>;
}

/** A label/value pair on a card, in display order (values are display-safe text). */
export type WalletFact = [label: string, value: string];

/** An address as a card shows it: the whole value, and the form shown (a long one is shortened). */
export interface WalletCardAddress {
  /** The whole value: what the copy button copies and what signatures are checked against. */
  full: string;
  /** What the card shows: `full` itself, or a shortened form of a long one (lib/wallets/card.ts shortForm). */
  display: string;
}

/**
 * Something the card shows folded, as JSON: a decoded token (header and claims, never a
 * signature), verified claims, the provider's user info. Values are display-safe.
 */
export interface WalletCardDocument {
  title: string;
  /** A line under the title. */
  note?: string;
  value: unknown;
  testId?: string;
  /** Unfolded when the card renders. */
  open: boolean;
}

/**
 * What one wallet card shows, by the state of its connection. Every state ends with its
 * `documents`, in order, after the connector or the buttons.
 * - `connected`: a session with an address: the address, the session's end, the facts and
 *   lists, and (while unexpired) the provider's buttons, signer and session panel;
 * - `awaiting_address`: a session the provider verified that has no address yet (AIR Kit before
 *   MFA): the facts, and the connector to finish;
 * - `reserved`: an address the provider created with nobody holding a session (Alchemy's
 *   pre-generation; the provider may not have returned the address yet): it, and the facts;
 * - `pending`: nothing but the documents (a login in progress), and the connector.
 * A user without a connection has no view: the card shows the connector alone.
 */
export type WalletCardView =
  | {
      state: "connected";
      /** What the address is ("Account address", "Public key"). */
      addressLabel: string;
      address: WalletCardAddress;
      /** When the wallet session ends; null when the provider states no end. */
      expiresAt: Date | null;
      facts: WalletFact[];
      records: WalletRecordList[];
      documents: WalletCardDocument[];
    }
  | { state: "awaiting_address"; facts: WalletFact[]; documents: WalletCardDocument[] }
  | { state: "reserved"; addressLabel: string; address: WalletCardAddress | null; facts: WalletFact[]; documents: WalletCardDocument[] }
  | { state: "pending"; documents: WalletCardDocument[] };

export interface WalletRecord {
  key: string;
  title: string;
  facts: WalletFact[];
}

export interface WalletRecordList {
  title: string;
  /** Shown when `items` is empty. */
  emptyText: string;
  items: WalletRecord[];
  testId: string;
}

export interface WalletButton {
  /** A key of the provider's `actions`; the button posts `{}` to it. */
  action: string;
  label: string;
  busyLabel: string;
}

export function defineAction<S extends z.ZodType>(
  input: S,
  run: (ctx: WalletContext, input: z.output<S>) => Promise<unknown>,
): WalletAction {
  return { input, run: run as WalletAction["run"] };
}
