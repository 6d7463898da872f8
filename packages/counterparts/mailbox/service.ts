/**
 * Local counterpart of a transactional email API (Resend-shaped `POST /emails`). Messages are
 * stored, never delivered, and shown in an HTML inbox at `/`.
 *
 * Per-visitor mode (`perVisitor`, the public demo): the inbox and GET /api/messages show a
 * request only the messages its visitor may see (the `x-demo-visitor` header set by the demo's
 * front proxy; none without one). Who may see what, and why, is in ./store.ts. A sender names
 * the visitor whose request caused a mail with the Resend tag `demo_visitor`; a sender that
 * cannot tag (the app's own mailer, which knows nothing of the demo) has the header added to its
 * request instead (../lib/visitor-preload.mjs), and the tag wins when both are present, being
 * the sender's explicit word. Either way the sender holds the API key: naming a visitor is a
 * sender's privilege, not a browser's.
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
import { SEEDED_USERS } from "../lib/demo-users";
import { DEMO_VISITOR_TAG, parseVisitorId, visitorOf } from "../lib/visitor";
import { inboxContentSecurityPolicy, renderInbox } from "./page";
import { MAILBOX_MIGRATIONS, MessageStore, bareAddress, type StoredMessage } from "./store";

export interface MailboxOptions {
  readonly port: number;
  readonly host?: string;
  /** Directory for the mailbox database, or `memory://`. */
  readonly dataDir: string;
  /** Bearer key senders must present. */
  readonly apiKey: string;
  /** Show each visitor only their own messages (./store.ts); off by default. */
  readonly perVisitor?: boolean;
  /** Addresses no visitor can own, because every visitor may use them: the seeded demo users' by default. */
  readonly sharedAddresses?: readonly string[];
  readonly logger?: Pick<Console, "info">;
}

/** A running mailbox; `sweepCreatedBefore` is the demo's retention (./store.ts). */
export interface MailboxService extends RunningService {
  sweepCreatedBefore(cutoff: Date): Promise<{ messages: number; owners: number }>;
  /** The retention sweep (lib/counterpart.ts `sweep`): messages and address claims older than the cutoff. */
  sweep(createdBefore: Date): Promise<{ removed: number }>;
}

/** Minimum API key length: shorter keys are guessable even on loopback. */
export const MIN_API_KEY_LENGTH = 16;
export const MAX_RECIPIENTS = 50;
/** Resend's limits on tags: https://resend.com/docs/dashboard/emails/tags ("up to 75 tags per email"). */
export const MAX_TAGS = 75;

const emailAddress = z.email().max(254);
/** `jane@example.com` or `Jane Doe <jane@example.com>`, as Resend accepts. */
const mailbox = z
  .string()
  .trim()
  .max(320)
  .refine((value) => emailAddress.safeParse(bareAddress(value)).success && !/[\r\n]/.test(value), {
    message: "Invalid email address",
  });

/**
 * A Resend tag, as https://resend.com/docs/api-reference/emails/send-email defines `tags`: a
 * required `name` and an optional `value`, each only ASCII letters, digits, `_` and `-`, at most
 * 256 characters. Tags other than `demo_visitor` are accepted and ignored.
 */
const tagText = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9_-]+$/, { message: "Only ASCII letters, numbers, underscores and dashes" });
const tag = z.object({ name: tagText, value: tagText.optional() });

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
  tags: z.array(tag).max(MAX_TAGS).optional(),
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

/** The visitor a valid request's tags name: at most one `demo_visitor` tag, holding a visitor id. */
function taggedVisitor(tags: readonly { name: string; value?: string | undefined }[] | undefined): string | undefined {
  const named = (tags ?? []).filter((t) => t.name === DEMO_VISITOR_TAG);
  if (named.length === 0) return undefined;
  if (named.length > 1) throw new HttpError(400, "validation_error", `tags: at most one ${DEMO_VISITOR_TAG} tag`);
  const visitor = parseVisitorId(named[0]!.value);
  if (visitor === undefined) throw new HttpError(400, "validation_error", `tags: ${DEMO_VISITOR_TAG} must hold a visitor id`);
  return visitor;
}

function queryTo(ctx: RequestContext): string | undefined {
  const to = ctx.url.searchParams.get("to")?.trim();
  return to ? to.slice(0, 320) : undefined;
}

export async function startMailbox(options: MailboxOptions): Promise<MailboxService> {
  if (options.apiKey.length < MIN_API_KEY_LENGTH) {
    throw new MailboxConfigError(`Mailbox apiKey must be at least ${MIN_API_KEY_LENGTH} characters`);
  }
  const db = await openDatabase(options.dataDir, MAILBOX_MIGRATIONS);
  const store = new MessageStore(db, options.sharedAddresses ?? SEEDED_USERS.map((user) => user.email));
  const perVisitor = options.perVisitor === true;
  const logger = options.logger ?? console;

  /**
   * What a request may list: everything, or (per-visitor) only its visitor's messages, or nothing
   * without one. Opening one address's mail (`?to=`) claims it for the visitor if nobody has
   * (store.ts, "claims by viewing"); `taken` says another visitor owns it.
   */
  const listFor = async (ctx: RequestContext): Promise<{ messages: StoredMessage[]; taken: boolean }> => {
    const to = queryTo(ctx);
    if (!perVisitor) return { messages: await store.list(to ? { to } : {}), taken: false };
    const visitor = visitorOf(ctx.req);
    if (visitor === undefined) return { messages: [], taken: false };
    const claim = to && emailAddress.safeParse(bareAddress(to)).success ? await store.claimByViewing(to, visitor) : undefined;
    return { messages: await store.list({ ...(to ? { to } : {}), viewer: visitor }), taken: claim === "taken" };
  };

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
          const { from, to, subject, text, html, tags } = parsed.data;
          const visitor = taggedVisitor(tags) ?? visitorOf(ctx.req);
          const { message, visibleToSomeone } = await store.add({
            from,
            to,
            subject,
            text,
            ...(html !== undefined ? { html } : {}),
            ...(visitor !== undefined ? { visitor } : {}),
          });
          if (perVisitor && !visibleToSomeone) {
            logger.info(
              `[mailbox] message ${message.id} is shown to no visitor: it names none and goes to an address no visitor owns, or its recipients belong to different visitors`,
            );
          }
          sendJson(ctx.res, 200, { id: message.id });
        },
      },
      {
        method: "GET",
        path: "/api/messages",
        handler: async (ctx) => {
          const { messages, taken } = await listFor(ctx);
          sendJson(ctx.res, 200, { messages: messages.map(toApiMessage), ...(taken ? { addressTaken: true } : {}) });
        },
      },
      {
        method: "GET",
        path: "/",
        handler: async (ctx) => {
          const to = queryTo(ctx);
          const { messages, taken } = await listFor(ctx);
          const nonce = randomBytes(16).toString("base64");
          const html = renderInbox(messages, { ...(to ? { filterTo: to } : {}), now: new Date(), nonce, perVisitor, taken });
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
    sweepCreatedBefore: (cutoff) => store.sweepCreatedBefore(cutoff),
    // Retention (lib/counterpart.ts `sweep`): messages and address claims older than the cutoff.
    sweep: async (createdBefore) => {
      const { messages, owners } = await store.sweepCreatedBefore(createdBefore);
      return { removed: messages + owners };
    },
    async close() {
      await closeServer(server);
      await db.close();
    },
  };
}
