import type { z } from "zod";
import type { AppConfig } from "@/lib/config/load";
import type { Identity } from "@/lib/identity/types";
import type { KeySet } from "@/lib/keys/keyset";
import type { AppStore, User, WalletProviderId } from "@/lib/store/types";

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

/** One wallet provider. Adding one means a module under lib/wallets and one registry line. */
export interface WalletProvider {
  id: WalletProviderId;
  name: string;
  isConfigured(config: AppConfig): boolean;
  /** Non-secret settings for the provider's browser connector. */
  clientConfig(config: AppConfig): Record<string, string | null>;
  /** What the primary address is, on the dashboard ("Account address", "Public key"). */
  addressLabel: string;
  /** Display-safe facts from a connection's data, as label/value pairs. */
  describe(data: Record<string, unknown>): [string, string][];
  /** Display-safe lists from a connection's data (e.g. Moojo's credentials), shown on the card. */
  records?(data: Record<string, unknown>): WalletRecordList[];
  /** Buttons on a live (connected, unexpired) card, each running one of `actions` on the server. */
  buttons?: WalletButton[];
  /** Server-side steps, reached at POST /api/wallets/{id}/{action}. */
  actions: Record<string, WalletAction>;
}

export interface WalletRecord {
  key: string;
  title: string;
  /** Label/value pairs, in display order. */
  facts: [string, string][];
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

export function defineAction<S extends z.ZodType>(input: S, run: (ctx: WalletContext, input: z.output<S>) => Promise<unknown>): WalletAction {
  return { input, run: run as WalletAction["run"] };
}
