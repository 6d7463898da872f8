/**
 * The public demo's visitors (issue #14, "many visitors at once"). The demo's front proxy gives
 * each browser a random visitor id (a cookie on the base domain) and sends it on every request it
 * forwards as the `x-demo-visitor` header, after deleting any copy the client sent. The
 * counterparts read it with `visitorOf` and pass it on to the mailbox as a Resend tag on the mail
 * that request caused (`visitorTags`), so the mailbox can show each browser only its own mail
 * (mailbox/store.ts holds the rules and the threat model). The app process carries it to its own
 * outbound calls through ./visitor-preload.mjs, without any app code knowing.
 *
 * Without the proxy (plain `npm run dev`) there is no header: no tag, and the mailbox (not in
 * per-visitor mode) shows everything, as before.
 */
import type { IncomingMessage } from "node:http";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DEMO_VISITOR_HEADER, parseVisitorId } from "./visitor-id.mjs";

export { DEMO_VISITOR_HEADER, VISITOR_ID_PATTERN, newVisitorId, parseVisitorId } from "./visitor-id.mjs";

/** The Resend tag name under which a mail names the visitor whose request caused it. */
export const DEMO_VISITOR_TAG = "demo_visitor";

/** The app process's list of origins (comma-separated) that ./visitor-preload.mjs forwards the header to. */
export const DEMO_VISITOR_FORWARD_ORIGINS_ENV = "DEMO_VISITOR_FORWARD_ORIGINS";

/** Absolute path of the preload module. */
export const VISITOR_PRELOAD_PATH = fileURLToPath(new URL("./visitor-preload.mjs", import.meta.url));

/**
 * The NODE_OPTIONS entry that loads the preload: a file URL, so that a path with spaces or
 * other characters NODE_OPTIONS would split on needs no quoting.
 */
export function visitorPreloadNodeOption(): string {
  return `--import=${pathToFileURL(VISITOR_PRELOAD_PATH).href}`;
}

/** The visitor id of a request, if it carries exactly one well-formed one. */
export function visitorOf(req: Pick<IncomingMessage, "headers">): string | undefined {
  return parseVisitorId(req.headers[DEMO_VISITOR_HEADER]);
}

/** A mail's tags naming `visitor`; none without one. */
export function visitorTags(visitor: string | undefined): { name: string; value: string }[] {
  return visitor === undefined ? [] : [{ name: DEMO_VISITOR_TAG, value: visitor }];
}
