/**
 * Persistence of the local mailbox. Messages are append-only; ordering uses an identity column
 * (insertion order) so messages sent within the same millisecond still list newest first.
 */
import { randomUUID } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";

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

export class MessageStore {
  constructor(
    private readonly db: PGlite,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async add(message: NewMessage): Promise<StoredMessage> {
    const id = randomUUID();
    const createdAt = this.now();
    await this.db.query(
      `INSERT INTO messages (id, from_addr, to_addrs, to_norm, subject, text_body, html_body, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, message.from, message.to, message.to.map(bareAddress), message.subject, message.text, message.html ?? null, createdAt],
    );
    return { ...message, id, createdAt };
  }

  /** Retention (lib/counterpart.ts `sweep`): messages received before `createdBefore` go. */
  async sweep(createdBefore: Date): Promise<number> {
    return (await this.db.query("DELETE FROM messages WHERE created_at < $1", [createdBefore])).affectedRows ?? 0;
  }

  /** Newest first; `to` filters on a recipient's bare address, case-insensitively. */
  async list(filter: { to?: string } = {}): Promise<StoredMessage[]> {
    const to = filter.to?.trim();
    const result = to
      ? await this.db.query<MessageRow>(
          `SELECT * FROM messages WHERE to_norm @> ARRAY[$1::text] ORDER BY seq DESC LIMIT ${MAX_LISTED_MESSAGES}`,
          [bareAddress(to)],
        )
      : await this.db.query<MessageRow>(`SELECT * FROM messages ORDER BY seq DESC LIMIT ${MAX_LISTED_MESSAGES}`);
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
}
