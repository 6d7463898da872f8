/**
 * The mailbox's HTML inbox. Everything that came from a sender (addresses, subject, body) goes
 * through `escapeHtml`; the only script is our own inline one, allowed by a per-response CSP
 * nonce. HTML bodies are never rendered (the text part is shown), so a message cannot run code.
 */
import { escapeHtml } from "../lib/html";
import type { StoredMessage } from "./store";

const TITLE = "Local mailbox";
const SUBTITLE = "— messages sent by the demo's counterparts; nothing leaves this machine.";
/** The page header's text. */
export const MAILBOX_TAGLINE = `${TITLE} ${SUBTITLE}`;

/** Shown under the header in per-visitor mode (the public demo). */
export const PER_VISITOR_NOTE =
  "This demo is shared by strangers: this browser sees the mail of the addresses it opened here first, and the codes it asked for itself.";

export interface InboxOptions {
  readonly filterTo?: string;
  /** The public demo's mode: the list holds only this browser's messages (./store.ts), and the page says so. */
  readonly perVisitor?: boolean;
  /** Per-visitor: `filterTo` belongs to another visitor of the demo. */
  readonly taken?: boolean;
  readonly now: Date;
  /** CSP nonce for the inline style and script. */
  readonly nonce: string;
}

export function inboxContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function relativeTime(then: Date, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - then.getTime()) / 1000));
  if (seconds < 5) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/**
 * Escapes a message body and highlights runs of 4–10 digits (one-time codes). The text is
 * split first and each piece escaped on its own, so the markup we add never mixes with
 * sender-controlled characters.
 */
export function renderBody(text: string): string {
  return text
    .split(/(?<![0-9])([0-9]{4,10})(?![0-9])/)
    .map((piece, index) => (index % 2 === 1 ? `<mark class="code">${escapeHtml(piece)}</mark>` : escapeHtml(piece)))
    .join("");
}

function renderMessage(message: StoredMessage, now: Date): string {
  const iso = message.createdAt.toISOString();
  return `
      <article class="message" data-testid="message" data-id="${escapeHtml(message.id)}">
        <div class="meta">
          <span class="to">To <strong>${escapeHtml(message.to.join(", "))}</strong></span>
          <time datetime="${escapeHtml(iso)}" title="${escapeHtml(iso)}">${escapeHtml(relativeTime(message.createdAt, now))}</time>
        </div>
        <h2 class="subject" data-testid="message-subject">${escapeHtml(message.subject)}</h2>
        <div class="from">From ${escapeHtml(message.from)}</div>
        <pre class="body" data-testid="message-body">${renderBody(message.text)}</pre>
      </article>`;
}

export function renderInbox(messages: readonly StoredMessage[], options: InboxOptions): string {
  const { filterTo, now, nonce, perVisitor = false, taken = false } = options;
  const filterValue = filterTo ? escapeHtml(filterTo) : "";
  const none = filterTo
    ? `No messages to <strong>${filterValue}</strong>${perVisitor ? " for this browser" : ""} yet.`
    : perVisitor
      ? "No messages for this browser yet."
      : "No messages yet.";
  const explain = perVisitor
    ? "Open your address above (the demo's mailbox links do it for you): the first browser to open an address's mail owns it for a day, and nobody else sees that mail. Codes for a shared demo user (such as ada@example.com) go to the browser that asked for them, or to everyone when the request did not say which browser it came from."
    : "Codes sent by the counterparts show up here within a few seconds.";
  const list = taken
    ? `<p class="empty" data-testid="inbox-taken">Another visitor of this demo already uses <strong>${filterValue}</strong>, so its mail goes to them, not to this browser. Sign up with an address of your own (any made-up one works here, for example you-${Math.floor(now.getTime() / 1000) % 100000}@example.com).</p>`
    : messages.length === 0
      ? `<p class="empty" data-testid="inbox-empty">${none} ${escapeHtml(explain)}</p>`
      : messages.map((message) => renderMessage(message, now)).join("");

  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(TITLE)}${filterTo ? ` · ${filterValue}` : ""}</title>
  <style nonce="${nonce}">
    :root { color-scheme: light dark; --bg: #f6f7f9; --card: #fff; --text: #1c2026; --muted: #667085; --line: #e4e7ec; --accent: #3b5bdb; --mark: #fff3bf; }
    @media (prefers-color-scheme: dark) { :root { --bg: #111418; --card: #1a1f26; --text: #e6e8eb; --muted: #98a2b3; --line: #2a313b; --accent: #91a7ff; --mark: #5c4a00; } }
    * { box-sizing: border-box; }
    body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--text); }
    header.top { position: sticky; top: 0; background: var(--bg); border-bottom: 1px solid var(--line); padding: 16px 24px; z-index: 1; }
    header.top h1 { margin: 0; font-size: 18px; font-weight: 600; }
    header.top h1 span { font-weight: 400; color: var(--muted); }
    form { display: flex; gap: 8px; margin-top: 10px; flex-wrap: wrap; align-items: center; }
    input[type=email] { flex: 1 1 260px; max-width: 360px; padding: 6px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--card); color: var(--text); font: inherit; }
    button { padding: 6px 14px; border: 0; border-radius: 6px; background: var(--accent); color: #fff; font: inherit; cursor: pointer; }
    a { color: var(--accent); }
    main { max-width: 860px; margin: 0 auto; padding: 20px 24px 48px; }
    .message { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 18px; margin-bottom: 14px; }
    .meta { display: flex; justify-content: space-between; gap: 12px; color: var(--muted); font-size: 13px; }
    .to { overflow-wrap: anywhere; }
    time { white-space: nowrap; }
    .subject { font-size: 16px; margin: 6px 0 2px; overflow-wrap: anywhere; }
    .from { color: var(--muted); font-size: 13px; margin-bottom: 8px; overflow-wrap: anywhere; }
    .body { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font: 14px/1.55 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    mark.code { background: var(--mark); color: inherit; padding: 0 3px; border-radius: 3px; font-weight: 700; letter-spacing: 0.08em; }
    .empty { color: var(--muted); text-align: center; padding: 48px 0; max-width: 60ch; margin: 0 auto; }
    .scope { margin: 8px 0 0; color: var(--muted); font-size: 13px; }
  </style>
</head>
<body>
  <header class="top">
    <h1>${escapeHtml(TITLE)} <span>${escapeHtml(SUBTITLE)}</span></h1>
    ${perVisitor ? `<p class="scope" data-testid="inbox-scope">${escapeHtml(PER_VISITOR_NOTE)}</p>` : ""}
    <form method="get" action="/">
      <input type="email" name="to" placeholder="Filter by recipient, e.g. jane@example.com" value="${filterValue}" aria-label="Recipient">
      <button type="submit">Filter</button>
      ${filterTo ? '<a href="/">Show all</a>' : ""}
    </form>
  </header>
  <main id="messages" aria-live="polite">${list}
  </main>
  <script nonce="${nonce}">
    // Refresh every 3 s without reloading: swap the list only when its messages changed (so a
    // selection or scroll position survives), and keep the relative times current.
    (function () {
      function ids(root) {
        return Array.prototype.map.call(root.querySelectorAll("[data-testid=message]"), function (m) { return m.getAttribute("data-id"); }).join(",");
      }
      function ago(iso) {
        var s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
        if (s < 5) return "just now";
        if (s < 60) return s + " s ago";
        if (s < 3600) return Math.floor(s / 60) + " min ago";
        if (s < 86400) return Math.floor(s / 3600) + " h ago";
        return Math.floor(s / 86400) + " d ago";
      }
      function tick() {
        fetch(location.href, { headers: { accept: "text/html" }, cache: "no-store" })
          .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
          .then(function (html) {
            var next = new DOMParser().parseFromString(html, "text/html").getElementById("messages");
            var current = document.getElementById("messages");
            if (next && current && ids(next) !== ids(current)) current.replaceWith(document.importNode(next, true));
          })
          .catch(function () { /* mailbox restarting; try again on the next tick */ })
          .then(function () {
            document.querySelectorAll("time[datetime]").forEach(function (t) { t.textContent = ago(t.getAttribute("datetime")); });
          });
      }
      setInterval(tick, 3000);
    })();
  </script>
</body>
</html>
`;
}
