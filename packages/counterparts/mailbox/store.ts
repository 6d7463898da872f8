/**
 * Persistence of the local mailbox. Messages are append-only; ordering uses an identity column
 * (insertion order) so messages sent within the same millisecond still list newest first.
 *
 * Who may read a message (per-visitor mode, the public demo; see ../lib/visitor.ts)
 * ----------------------------------------------------------------------------------
 * Threat model. Strangers share one demo. Each browser is a *visitor*, known by a random id
 * the front proxy keeps in a cookie and sends as `x-demo-visitor`; the sender of a mail names
 * the visitor whose request caused it (a `demo_visitor` tag, or the header on POST /emails).
 * A visitor controls their own requests: they can ask any counterpart to mail a code to ANY
 * address, and they can read the inbox as themselves. They must not be able to:
 *   1. read a code mailed to an address another visitor uses (that other visitor's sign-in);
 *   2. take over another visitor's account by asking for a code to its address and reading it;
 *   3. read the codes of someone else signing in as a seeded demo user (ada@example.com, …),
 *      whose passwords are public, so anyone may sign in as them at the same time;
 *   4. learn another visitor's id (it is a bearer secret: the cookie IS the mailbox key).
 * Not in scope: a visitor who already knows another's id (it is theirs to keep); senders, which
 * hold the mail API key and are trusted to name the visitor truthfully.
 *
 * Which requests name a visitor: the front proxy sends the header only with the visitor cookie,
 * and browsers send cookies only on same-site navigations and same-origin calls. A page's
 * cross-origin API calls (supabase-js to the Supabase sub-host, the AIR Kit client) carry none,
 * so the mail they cause names nobody. It is not given to a random visitor either (a visitor id
 * is never minted for a request without the cookie).
 *
 * Rules, decided when a message arrives and stored with it as its `viewer` (the only visitor
 * who will see it; nobody yet when NULL; everyone when EVERYONE). Per recipient address:
 *   - an OWNED address (see below): its owner, whoever caused the message (1, 2);
 *   - a SHARED address (the seeded demo users'; never owned): the visitor the message names
 *     (3); a message naming nobody goes to EVERYONE: its cause is unknown, and anyone may sign
 *     in as that public user anyway, so its code gives a reader nothing they could not have;
 *   - an unowned address, message naming visitor V: V, and V now OWNS the address (first come,
 *     first served: the first visitor whose request mailed it; `claimed_at` records when);
 *   - an unowned address, message naming no visitor: nobody yet (the service logs it), until a
 *     visitor CLAIMS the address by opening its mail (`?to=<address>`, which the app's "local
 *     mailbox" links carry): the first visitor to do so owns it, and is given the mail to it
 *     that was waiting for an owner (`claimByViewing`). A visitor who opens an address someone
 *     else owns is told so and sees nothing of it.
 * A message with several recipients goes to a viewer only if every recipient gives the same
 * one, so nothing addressed to someone else's address is shown alongside one's own.
 * A claim never opens mail that already had a viewer. What remains open: a stranger who knows
 * an address nobody has claimed yet can claim it first (then its rightful user is told it is
 * taken, and uses another address); nobody can claim an address already in use. The API and
 * the page never show a message's visitor or an address's owner (4).
 *
 * Ownership and messages age out with the rest of the demo's data (`sweepCreatedBefore`), by
 * claim and arrival time: the app's retention deletes a user by creation time too, so when an
 * address becomes free again, the account that was behind it is gone as well.
 *
 * Outside per-visitor mode (`npm run dev`, tests) everything is listed, as before; the viewer is
 * still recorded, so turning the mode on later applies the rules to mail received meanwhile.
 */
import { randomUUID } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import type { Queryable } from "../lib/db";

export const MAILBOX_MIGRATIONS: readonly string[] = [
  `CREATE TABLE messages (
     seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
     id text PRIMARY KEY,
     from_addr text NOT NULL,
     to_addrs text[] NOT NULL,
     -- Bare lower-cased addresses of the recipients, for filtering.
     to_norm text[] NOT NULL,
     subject text NOT NULL,
     text_body text NOT NULL,
     html_body text,
     created_at timestamptz NOT NULL
   );
   CREATE INDEX messages_to_norm ON messages USING gin (to_norm);`,
  // Per-visitor mode (see the file header). Messages stored before it have no viewer: nobody
  // sees them in that mode, which is the safe reading of "we do not know whose they are".
  `ALTER TABLE messages ADD COLUMN visitor text;
   ALTER TABLE messages ADD COLUMN viewer text;
   CREATE INDEX messages_viewer ON messages (viewer, seq);
   CREATE INDEX messages_created_at ON messages (created_at);
   CREATE TABLE address_owners (
     address text PRIMARY KEY,
     visitor text NOT NULL,
     claimed_at timestamptz NOT NULL
   );
   CREATE INDEX address_owners_claimed_at ON address_owners (claimed_at);`,
];

export interface StoredMessage {
  readonly id: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly createdAt: Date;
}

export interface NewMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** The visitor whose request caused the message (already validated), if it names one. */
  readonly visitor?: string;
}

/** What `add` decided: the message, and whether any visitor will ever see it in per-visitor mode. */
export interface AddedMessage {
  readonly message: StoredMessage;
  readonly visibleToSomeone: boolean;
}

interface MessageRow {
  id: string;
  from_addr: string;
  to_addrs: string[];
  subject: string;
  text_body: string;
  html_body: string | null;
  created_at: Date;
}

/** Newest-first listings are capped; the mailbox is a demo aid, not an archive. */
export const MAX_LISTED_MESSAGES = 200;

/** `Jane <jane@example.com>` → `jane@example.com`; a bare address is returned lower-cased. */
export function bareAddress(mailbox: string): string {
  const match = /<([^<>]+)>\s*$/.exec(mailbox);
  return (match?.[1] ?? mailbox).trim().toLowerCase();
}

export interface ListFilter {
  /** A recipient's address; matched on its bare, lower-cased form. */
  readonly to?: string;
  /** Only the messages this visitor may see (per-visitor mode). */
  readonly viewer?: string;
}

/** The `viewer` of a message every visitor may see (see the rules above); not a valid visitor id. */
export const EVERYONE = "*";

/** What opening an address's mail did (per-visitor mode). */
export type ViewClaim = "shared" | "yours" | "taken";

export class MessageStore {
  private readonly shared: ReadonlySet<string>;

  /**
   * @param sharedAddresses addresses every visitor may use at once (the seeded demo users'):
   *   never owned; a message to one is seen only by the visitor it names.
   */
  constructor(
    private readonly db: PGlite,
    sharedAddresses: readonly string[] = [],
    private readonly now: () => Date = () => new Date(),
  ) {
    this.shared = new Set(sharedAddresses.map(bareAddress));
  }

  async add(message: NewMessage): Promise<AddedMessage> {
    const id = randomUUID();
    const createdAt = this.now();
    const recipients = [...new Set(message.to.map(bareAddress))];
    const visitor = message.visitor;
    // One transaction: the claims and the message are recorded together, or neither is.
    const viewer = await this.db.transaction(async (tx) => {
      const viewers: (string | undefined)[] = [];
      for (const address of recipients) viewers.push(await this.viewerFor(tx, address, visitor, createdAt));
      const first = viewers[0];
      const viewer = first !== undefined && viewers.every((v) => v === first) ? first : undefined;
      await tx.query(
        `INSERT INTO messages (id, from_addr, to_addrs, to_norm, subject, text_body, html_body, created_at, visitor, viewer)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          id,
          message.from,
          message.to,
          message.to.map(bareAddress),
          message.subject,
          message.text,
          message.html ?? null,
          createdAt,
          visitor ?? null,
          viewer ?? null,
        ],
      );
      return viewer;
    });
    const stored: StoredMessage = {
      id,
      from: message.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.html !== undefined ? { html: message.html } : {}),
      createdAt,
    };
    return { message: stored, visibleToSomeone: viewer !== undefined };
  }

  /** The one visitor who may read mail to `address` that names `visitor` (file header's rules). */
  private async viewerFor(tx: Queryable, address: string, visitor: string | undefined, at: Date): Promise<string | undefined> {
    if (this.shared.has(address)) return visitor ?? EVERYONE;
    if (visitor !== undefined) {
      // First come, first served; a concurrent claim of the same address loses here and reads the winner below.
      await tx.query(`INSERT INTO address_owners (address, visitor, claimed_at) VALUES ($1, $2, $3) ON CONFLICT (address) DO NOTHING`, [
        address,
        visitor,
        at,
      ]);
    }
    const owner = await tx.query<{ visitor: string }>("SELECT visitor FROM address_owners WHERE address = $1", [address]);
    return owner.rows[0]?.visitor;
  }

  /** Newest first; `to` filters on a recipient's bare address, case-insensitively; `viewer` keeps what that visitor may see. */
  async list(filter: ListFilter = {}): Promise<StoredMessage[]> {
    const conditions: string[] = [];
    const params: string[] = [];
    const to = filter.to?.trim();
    if (to) {
      params.push(bareAddress(to));
      conditions.push(`to_norm @> ARRAY[$${params.length}::text]`);
    }
    if (filter.viewer !== undefined) {
      params.push(filter.viewer);
      conditions.push(`(viewer = $${params.length} OR viewer = '${EVERYONE}')`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "";
    const result = await this.db.query<MessageRow>(
      `SELECT id, from_addr, to_addrs, subject, text_body, html_body, created_at FROM messages ${where}
       ORDER BY seq DESC LIMIT ${MAX_LISTED_MESSAGES}`,
      params,
    );
    return result.rows.map((row) => ({
      id: row.id,
      from: row.from_addr,
      to: row.to_addrs,
      subject: row.subject,
      text: row.text_body,
      ...(row.html_body !== null ? { html: row.html_body } : {}),
      createdAt: row.created_at,
    }));
  }

  /**
   * `visitor` opens the mail of `address`: claims it if nobody owns it (and is then given the
   * single-recipient mail to it that was waiting for an owner). See the rules above.
   */
  async claimByViewing(address: string, visitor: string): Promise<ViewClaim> {
    const bare = bareAddress(address);
    if (this.shared.has(bare)) return "shared";
    return this.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO address_owners (address, visitor, claimed_at) VALUES ($1, $2, $3) ON CONFLICT (address) DO NOTHING`, [
        bare,
        visitor,
        this.now(),
      ]);
      const owner = await tx.query<{ visitor: string }>("SELECT visitor FROM address_owners WHERE address = $1", [bare]);
      if (owner.rows[0]?.visitor !== visitor) return "taken";
      await tx.query("UPDATE messages SET viewer = $1 WHERE viewer IS NULL AND to_norm = ARRAY[$2::text]", [visitor, bare]);
      return "yours";
    });
  }

  /**
   * The demo's retention: removes messages that arrived, and address ownerships claimed, before
   * `cutoff` (an address claimed earlier is free again; its later mail keeps its viewer).
   */
  async sweepCreatedBefore(cutoff: Date): Promise<{ messages: number; owners: number }> {
    return this.db.transaction(async (tx) => {
      const messages = await tx.query("DELETE FROM messages WHERE created_at < $1", [cutoff]);
      const owners = await tx.query("DELETE FROM address_owners WHERE claimed_at < $1", [cutoff]);
      return { messages: messages.affectedRows ?? 0, owners: owners.affectedRows ?? 0 };
    });
  }
}
