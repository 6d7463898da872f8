// The mailbox's descriptor (see ../lib/counterpart.ts): a Resend-shaped email API whose inbox
// page shows the one-time codes the other counterparts send.
import { randomBytes } from "node:crypto";
import { secret, type Counterpart, type CounterpartContext } from "../lib/counterpart";
import { startMailbox } from "./service";

export const mailboxCounterpart: Counterpart = {
  port: 3,
  label: "mailbox",
  browserFacing: true,
  secrets: { names: ["MAIL_API_KEY"], generate: () => ({ MAIL_API_KEY: `re_dev_${randomBytes(18).toString("base64url")}` }) },
  realServiceConfigured: (env) => Boolean(env.MAIL_API_URL),
  async start(ctx) {
    const apiKey = secret(ctx, "MAIL_API_KEY");
    const mailbox = await startMailbox({
      port: ctx.port,
      host: ctx.host,
      dataDir: ctx.dataDir,
      apiKey,
      perVisitor: ctx.perVisitor === true,
    });
    // The inbox link is always shown; the app sends its own mail here only if no real mail API is set.
    const env: Record<string, string> = { DEMO_MAILBOX_URL: ctx.publicUrl ?? mailbox.url };
    if (ctx.requested) Object.assign(env, { MAIL_API_URL: mailbox.url, MAIL_API_KEY: apiKey });
    return {
      service: mailbox,
      env,
      sweep: (createdBefore) => mailbox.sweep(createdBefore),
      ...(ctx.perVisitor ? { note: "each visitor sees only their own mail" } : {}),
    };
  },
};

/** Mail settings for a counterpart that lists "mailbox" in its `needs`. */
export function mailViaMailbox(ctx: CounterpartContext, from: string): { apiUrl: string; apiKey: string; from: string } {
  const mailbox = ctx.needs.mailbox;
  if (!mailbox) throw new Error('counterparts: a counterpart that sends mail must list "mailbox" in its needs');
  return { apiUrl: mailbox.service.url, apiKey: secret(ctx, "MAIL_API_KEY"), from };
}
