// Builds a wallet card's view (WalletCardView) from a recorded connection. The rules every
// provider shares live here (which state a connection is in, how a long address shows, where
// the partner token goes), so a provider's card() says only what is its own: the address
// label, its facts and lists, its documents, whether it reserves addresses.
import { z } from "zod";
import type { PreviousWallet, WalletConnection } from "@/lib/store/types";
import type { WalletCardAddress, WalletCardDocument, WalletCardView, WalletFact, WalletProvider, WalletRecordList } from "./types";

/** The length of an EVM address ("0x" + 40 hex): anything longer is shown shortened. */
const SHOWN_WHOLE_UP_TO = 42;
const HEAD = 10;
const TAIL = 8;

/**
 * The form a card shows an address in: the value itself up to the length of an EVM address,
 * else its first 10 and last 8 characters around an ellipsis ("0x0288f893…dfb0a000" for
 * Moojo's 68-character public key), enough to tell two apart at a glance. The copy button
 * always copies the whole value.
 */
export function shortForm(value: string): string {
  return value.length <= SHOWN_WHOLE_UP_TO ? value : `${value.slice(0, HEAD)}…${value.slice(-TAIL)}`;
}

export function cardAddress(full: string): WalletCardAddress {
  return { full, display: shortForm(full) };
}

/** A token decoded for display (lib/tokens/decode.ts): header and claims, no signature. */
export const decodedTokenSchema = z.object({ header: z.record(z.string(), z.unknown()), claims: z.record(z.string(), z.unknown()) });

/**
 * What a provider's actions may write to a connection's data, from the shape its card() reads
 * back with (`satisfies StoredData<typeof shape>` on a write): a field written in a shape the
 * card cannot read is a type error, not a silently missing row.
 */
export type StoredData<S extends Record<string, z.ZodType>> = { [K in keyof S]?: z.input<S[K]> };

/**
 * Reads a connection's data field by field, each with its schema: a field that is missing or
 * of another shape (an older version's record, a hand-edited row) is left out, never an error,
 * so one odd field cannot take the whole card down. A null the schema accepts is kept (it can
 * mean "the provider answered null", which a card may show differently from "not recorded").
 */
export function readData<S extends Record<string, z.ZodType>>(
  shape: S,
  data: Record<string, unknown>,
): { [K in keyof S]?: z.output<S[K]> } {
  const read: { [K in keyof S]?: z.output<S[K]> } = {};
  for (const key of Object.keys(shape) as (keyof S & string)[]) {
    if (!Object.hasOwn(data, key)) continue;
    const parsed = shape[key]!.safeParse(data[key]);
    if (parsed.success && parsed.data !== undefined) read[key] = parsed.data as z.output<S[typeof key]>;
  }
  return read;
}

/** The partner token the app's server sent the provider: folded on a connected card, open while connecting. */
export function partnerTokenDocument(token: z.output<typeof decodedTokenSchema>, open: boolean): WalletCardDocument {
  return {
    title: "Partner token your server sent (decoded)",
    note: "Header and claims only; the signature is not kept, so this is not a usable credential.",
    value: token,
    testId: "partner-token",
    open,
  };
}

export interface CardParts {
  /** What the primary address is ("Account address", "Public key"). */
  addressLabel: string;
  /** Shown in every state but `pending`, in this order. */
  facts: WalletFact[];
  /** Shown on a connected card. */
  records?: WalletRecordList[];
  /** Shown, folded, on a connected card only (the session's claims, the provider's user info), before the partner token. */
  sessionDocuments?: Omit<WalletCardDocument, "open">[];
  /** The partner token the server sent, if the provider keeps one (see partnerTokenDocument). */
  partnerToken?: z.output<typeof decodedTokenSchema>;
  /** True when the provider created the address with no session (Alchemy's pre-generation). */
  reserved?: boolean;
}

/**
 * The view of `connection` with the provider's parts. Connected means a `connected` status
 * with an address (a connected row without one has nothing to sign with: it shows as pending,
 * with the connector); `connected_without_address` awaits the address; a reservation shows
 * as such until a session replaces it; anything else is a login in progress.
 */
export function walletCard(connection: WalletConnection, parts: CardParts): WalletCardView {
  if (connection.status === "connected" && connection.address) {
    const documents: WalletCardDocument[] = (parts.sessionDocuments ?? []).map((d) => ({ ...d, open: false }));
    if (parts.partnerToken) documents.push(partnerTokenDocument(parts.partnerToken, false));
    return {
      state: "connected",
      addressLabel: parts.addressLabel,
      address: cardAddress(connection.address),
      expiresAt: connection.expiresAt,
      facts: parts.facts,
      records: parts.records ?? [],
      documents,
    };
  }
  const documents = parts.partnerToken ? [partnerTokenDocument(parts.partnerToken, true)] : [];
  if (connection.status === "connected_without_address") return { state: "awaiting_address", facts: parts.facts, documents };
  if (parts.reserved) {
    return {
      state: "reserved",
      addressLabel: parts.addressLabel,
      address: connection.address ? cardAddress(connection.address) : null,
      facts: parts.facts,
      documents,
    };
  }
  return { state: "pending", documents };
}

/** What a card says of a wallet the user connected before (the store's previous wallets). */
export interface PreviousWalletView {
  /** The provider's name for the address ("Account address", "Public key"). */
  addressLabel: string;
  address: WalletCardAddress;
  lastConnectedAt: Date;
}

/**
 * The provider's view of a previous wallet: its card() of a live connection with that address
 * and no data (card() is total), so the label and the shortened form are the ones the user saw
 * on the connected card.
 */
export function previousWalletView(provider: Pick<WalletProvider, "card">, userId: string, previous: PreviousWallet): PreviousWalletView {
  const view = provider.card({
    userId,
    provider: previous.provider,
    status: "connected",
    address: previous.address,
    expiresAt: null,
    data: {},
    updatedAt: previous.lastConnectedAt,
  });
  return {
    addressLabel: view.state === "connected" ? view.addressLabel : "Address",
    address: view.state === "connected" ? view.address : cardAddress(previous.address),
    lastConnectedAt: previous.lastConnectedAt,
  };
}
