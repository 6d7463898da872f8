/**
 * Local counterpart of a transactional email API (Resend-shaped `POST /emails`). Messages are
 * stored, never delivered, and shown in an HTML inbox at `/`.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { constantTimeEquals } from "../lib/constant-equals";
import { openDatabase } from "../lib/db";
import {
  HttpError,
  bearerToken,
  closeServer,
  createServer,
  listen,
  sendHtml,
  sendJson,
  type RequestContext,
  type RunningService,
} from "../lib/http";
import { inboxContentSecurityPolicy, renderInbox } from "./page";
import { MAILBOX_MIGRATIONS, MessageStore, bareAddress, type StoredMessage } from "./store";

export interface MailboxOptions {
  readonly port: number;
  readonly host?: string;
  /** Directory for the mailbox database, or `memory://`. */
  readonly dataDir: string;
  /** Bearer key senders must present. */
  readonly apiKey: string;
}

/** Minimum API key length: shorter keys are guessable even on loopback. */
export const MIN_API_KEY_LENGTH = 16;
export const MAX_RECIPIENTS = 50;

const emailAddress = z.email().max(254);
/** `jane@example.com` or `Jane Doe <jane@example.com>`, as Resend accepts. */
const mailbox = z
  .string()
  .trim()
  .max(320)
  .refine((value) => emailAddress.safeParse(bareAddress(value)).success && !/[\r\n]/.test(value), {
    message: "Invalid email address",
  });

const sendEmailSchema = z.object({
  from: mailbox,
  to: z.union([mailbox.transform((value) => [value]), z.array(mailbox).min(1).max(MAX_RECIPIENTS)]),
  subject: z
    .string()
    .min(1)
    .max(998)
    .refine((value) => !/[\r\n]/.test(value), { message: "Subject must be a single line" }),
  text: z.string().max(32 * 1024),
  html: z
    .string()
    .max(32 * 1024)
    .optional(),
});

export class MailboxConfigError extends Error {
  override readonly name = "MailboxConfigError";
  readonly code = "mailbox_config_invalid";
}

function toApiMessage(message: StoredMessage) {
  return {
    id: message.id,
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    createdAt: message.createdAt.toISOString(),
  };
}

function queryTo(ctx: RequestContext): string | undefined {
  const to = ctx.url.searchParams.get("to")?.trim();
  return to ? to.slice(0, 320) : undefined;
}

/** The retention sweep (lib/counterpart.ts `sweep`) removes messages received before the cutoff. */
export async function startMailbox(
  options: MailboxOptions,
): Promise<RunningService & { sweep(createdBefore: Date): Promise<{ removed: number }> }> {
  if (options.apiKey.length < MIN_API_KEY_LENGTH) {
    throw new MailboxConfigError(`Mailbox apiKey must be at least ${MIN_API_KEY_LENGTH} characters`);
  }
  const db = await openDatabase(options.dataDir, MAILBOX_MIGRATIONS);
  const store = new MessageStore(db);

  const server = createServer(
    [
      {
        method: "POST",
        path: "/emails",
        handler: async (ctx) => {
          const presented = bearerToken(ctx.req);
          if (presented === undefined || !constantTimeEquals(presented, options.apiKey)) {
            throw new HttpError(401, "invalid_api_key", "Missing or invalid API key");
          }
          const parsed = sendEmailSchema.safeParse(await ctx.readJson());
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            const where = issue?.path.join(".") || "body";
            throw new HttpError(400, "validation_error", `${where}: ${issue?.message ?? "invalid"}`);
          }
          const { from, to, subject, text, html } = parsed.data;
          const stored = await store.add({ from, to, subject, text, ...(html !== undefined ? { html } : {}) });
          sendJson(ctx.res, 200, { id: stored.id });
        },
      },
      {
        method: "GET",
        path: "/api/messages",
        handler: async (ctx) => {
          const to = queryTo(ctx);
          const messages = await store.list(to ? { to } : {});
          sendJson(ctx.res, 200, { messages: messages.map(toApiMessage) });
        },
      },
      {
        method: "GET",
        path: "/",
        handler: async (ctx) => {
          const to = queryTo(ctx);
          const messages = await store.list(to ? { to } : {});
          const nonce = randomBytes(16).toString("base64");
          const html = renderInbox(messages, { ...(to ? { filterTo: to } : {}), now: new Date(), nonce });
          sendHtml(ctx.res, 200, html, { "Content-Security-Policy": inboxContentSecurityPolicy(nonce) });
        },
      },
    ],
    { name: "mailbox" },
  );

  let url: string;
  try {
    url = await listen(server, options.port, options.host);
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    name: "mailbox",
    url,
    sweep: async (createdBefore) => ({ removed: await store.sweep(createdBefore) }),
    async close() {
      await closeServer(server);
      await db.close();
    },
  };
}
