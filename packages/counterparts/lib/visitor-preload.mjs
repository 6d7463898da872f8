// Carries the public demo's visitor id through the app process without the app knowing.
//
// The app reaches the counterparts only through base URLs and credentials; it must not learn
// about the demo. But some mail is sent by the app server on a visitor's behalf (the password
// provider's codes through MAIL_API_URL, Turnkey's init_otp), and the local mailbox must know
// whose request caused it (mailbox/service.ts). So the launcher loads this module into the app
// process (`NODE_OPTIONS=--import=<file URL of this file>`, see visitorPreloadNodeOption in
// ./visitor.ts) and it:
//
// (a) runs every `request` (and `checkContinue`) event of every node:http server, and every
//     event of that request and its response, inside an AsyncLocalStorage context holding the
//     request's `x-demo-visitor` id, parsed strictly (./visitor-id.mjs), or no id. Every request
//     gets a context of its own, so a request without the header never inherits one from
//     whatever created the server or its socket;
// (b) wraps globalThis.fetch: a request whose origin is one of DEMO_VISITOR_FORWARD_ORIGINS
//     (comma-separated `scheme://host[:port]`, the counterparts' loopback origins) carries the
//     header with the current context's id, and never a caller-supplied one (it is replaced,
//     or removed when the context has none). A request to ANY other origin is passed through
//     untouched, with the very arguments it was given, so the id (a bearer secret: it opens
//     that visitor's mailbox) never reaches a third party. Fetch follows redirects with the
//     same headers, so the listed origins must be ones that do not redirect server-to-server
//     calls elsewhere: the counterparts' APIs never do.
//
// Next.js wraps globalThis.fetch itself when it loads (node_modules/next/dist/server/lib/
// patch-fetch.js keeps the fetch it found as the one it calls): this module runs first, so
// Next's wrapper calls this one. AsyncLocalStorage contexts survive Next's own (nested) ones.
// Loading it twice (an inherited NODE_OPTIONS plus an explicit --import) installs it once.
//
// Plain JavaScript: Node loads it before anything could compile TypeScript.
import { AsyncLocalStorage } from "node:async_hooks";
import http from "node:http";
import { DEMO_VISITOR_HEADER, parseVisitorId } from "./visitor-id.mjs";

const FORWARD_ORIGINS_ENV = "DEMO_VISITOR_FORWARD_ORIGINS";
const INSTALLED = Symbol.for("byo-counterparts.visitor-preload");

/**
 * The origins of a comma-separated list; anything but a bare http(s) origin is refused loudly
 * (the process does not start), since a typo would silently stop forwarding.
 * @param {string} list
 * @returns {Set<string>}
 */
function parseForwardOrigins(list) {
  const origins = new Set();
  for (const entry of list.split(",")) {
    const text = entry.trim();
    if (text === "") continue;
    let url;
    try {
      url = new URL(text);
    } catch {
      throw new Error(`${FORWARD_ORIGINS_ENV}: ${JSON.stringify(text)} is not a URL`);
    }
    const bare = url.pathname === "/" && url.search === "" && url.hash === "" && url.username === "" && url.password === "";
    if ((url.protocol !== "http:" && url.protocol !== "https:") || !bare) {
      throw new Error(`${FORWARD_ORIGINS_ENV}: ${JSON.stringify(text)} is not an origin (scheme://host[:port])`);
    }
    origins.add(url.origin);
  }
  return origins;
}

/**
 * The origin `input` (fetch's first argument) points at, or undefined when it has none fetch
 * could use (fetch itself then decides what to do with it).
 * @param {unknown} input
 * @returns {string | undefined}
 */
function originOf(input) {
  try {
    if (input instanceof Request) return new URL(input.url).origin;
    if (input instanceof URL) return input.origin;
    return new URL(String(input)).origin;
  } catch {
    return undefined;
  }
}

function install() {
  if (globalThis[INSTALLED]) return;
  globalThis[INSTALLED] = true;

  const forwardOrigins = parseForwardOrigins(process.env[FORWARD_ORIGINS_ENV] ?? "");
  /** @type {AsyncLocalStorage<{ visitor: string | undefined }>} */
  const storage = new AsyncLocalStorage();

  /**
   * Runs every event `emitter` emits (this request's or response's own instance only) in `store`:
   * stream events come from the socket, whose context is the connection's, so a handler that
   * reads the body with `req.on("data" | "end", …)` and fetches from there keeps its visitor.
   */
  const runEventsIn = (emitter, store) => {
    if (!emitter || typeof emitter.emit !== "function") return;
    const own = emitter.emit;
    emitter.emit = function emitInRequestContext(...args) {
      return storage.run(store, () => own.apply(this, args));
    };
  };

  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function emitWithVisitor(event, ...args) {
    if (event !== "request" && event !== "checkContinue") return emit.call(this, event, ...args);
    const [req, res] = args;
    const store = Object.freeze({ visitor: parseVisitorId(req?.headers?.[DEMO_VISITOR_HEADER]) });
    runEventsIn(req, store);
    runEventsIn(res, store);
    return storage.run(store, () => emit.call(this, event, ...args));
  };

  const fetch = globalThis.fetch;
  globalThis.fetch = function fetchWithVisitor(input, init) {
    const origin = originOf(input);
    if (origin === undefined || !forwardOrigins.has(origin)) return fetch(input, init);
    // init's headers replace a Request's own (as fetch defines), so start from whichever counts.
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const visitor = storage.getStore()?.visitor;
    if (visitor === undefined) headers.delete(DEMO_VISITOR_HEADER);
    else headers.set(DEMO_VISITOR_HEADER, visitor);
    return fetch(input, { ...init, headers });
  };

  if (forwardOrigins.size > 0) {
    console.info(`[demo] ${DEMO_VISITOR_HEADER} is forwarded to ${[...forwardOrigins].join(", ")}`);
  }
}

install();
