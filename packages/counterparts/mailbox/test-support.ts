/**
 * Test fixtures for counterparts that mail codes: a mailbox in per-visitor mode (the public
 * demo's), and what one visitor (or a request without one) sees in it. Used by tests only.
 */
import { DEMO_VISITOR_HEADER } from "../lib/visitor";
import { startMailbox, type MailboxService } from "./index";

export const PER_VISITOR_MAIL_KEY = "per-visitor-test-mail-key-0123456789";

export function startPerVisitorMailbox(): Promise<MailboxService> {
  return startMailbox({ port: 0, dataDir: "memory://", apiKey: PER_VISITOR_MAIL_KEY, perVisitor: true, logger: { info: () => undefined } });
}

/**
 * The messages to `to` that a request from `visitor` (none: no header) is shown, newest first.
 * By opening `?to=` (which claims an address nobody owns, as a person following the app's
 * mailbox link does), or with `claim: false` by listing everything the visitor sees already.
 */
export async function visibleTo(
  mailbox: MailboxService,
  visitor: string | undefined,
  to: string,
  { claim = true }: { claim?: boolean } = {},
): Promise<{ subject: string; text: string }[]> {
  const response = await fetch(`${mailbox.url}/api/messages${claim ? `?to=${encodeURIComponent(to)}` : ""}`, {
    headers: visitor === undefined ? {} : { [DEMO_VISITOR_HEADER]: visitor },
  });
  if (!response.ok) throw new Error(`mailbox answered ${response.status}`);
  const { messages } = (await response.json()) as { messages: { subject: string; text: string; to: string[] }[] };
  return claim ? messages : messages.filter((m) => m.to.some((address) => address.toLowerCase().includes(to.toLowerCase())));
}
