/**
 * A deliberately tiny router on top of node:http for the counterparts.
 *
 * Invariants:
 * - Every error response is `{ "error": { "code", "message", ...details } }` with a stable code.
 * - Unexpected exceptions become 500 `internal_error` with a generic message; the stack is
 *   logged on the server and never sent to the client.
 * - Request bodies are read only by handlers that ask for them, capped at `maxBodyBytes`
 *   (default 64 KiB), and must be `application/json`. Requiring that media type also forces
 *   browsers to preflight cross-origin writes, so the CORS allowlist guards them.
 * - CORS: the request Origin is reflected only when it is in the allowlist (never `*`), and
 *   `Vary: Origin` is always sent when CORS is configured so caches keep per-origin answers.
 * - Fault injection (tests only, off unless `faultInjection` is set): `PUT /counterpart/v1/fault`
 *   with `{ "mode": "down" | "error" | "up" }` makes every other request have its connection
 *   dropped (a service that is down), answer 503 (one that is failing), or behave again.
 */
import { createServer as createNodeServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { z } from "zod";
import { HttpError, type ErrorDetails } from "./http-error";
import { parseJsonBytes, readRawJsonBody } from "./raw-body";

// HttpError lives in its own module so that raw-body.ts can throw it without importing this one.
export { HttpError, type ErrorDetails } from "./http-error";

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Parsed request URL (path and query). The host part is a placeholder; do not use it. */
  readonly url: URL;
  /** Reads, size-checks and parses the JSON body. Call at most once. */
  readJson(): Promise<unknown>;
}

export type RouteHandler = (ctx: RequestContext) => Promise<void> | void;

export interface Route {
  readonly method: HttpMethod;
  /** Exact path match, e.g. `/v1/user`. */
  readonly path: string;
  readonly handler: RouteHandler;
}

export interface CorsOptions {
  /** Exact origins (`scheme://host[:port]`) allowed to call this service from a browser. */
  readonly allowedOrigins: readonly string[];
}

export interface ServerOptions {
  readonly cors?: CorsOptions;
  readonly maxBodyBytes?: number;
  /** Used in server-side logs. */
  readonly name?: string;
  readonly logger?: Pick<Console, "error">;
  /** Serves PUT /counterpart/v1/fault so end-to-end tests can take the service down. Never on by default. */
  readonly faultInjection?: boolean;
}

export const FAULT_PATH = "/counterpart/v1/fault";
export type FaultMode = "up" | "down" | "error";

/** A started counterpart, as returned by every `start*` function. */
export interface RunningService {
  readonly name: string;
  readonly url: string;
  close(): Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const payload = JSON.stringify(body);
  res.statusCode = status;
  // API answers are per-user unless a route says otherwise (e.g. a public JWKS).
  res.setHeader("Cache-Control", "no-store");
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(payload));
  res.end(payload);
}

export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  details: ErrorDetails = {},
  headers: Readonly<Record<string, string>> = {},
): void {
  // Details go first so they can never overwrite `code` or `message`.
  sendJson(res, status, { error: { ...details, code, message } }, headers);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Readonly<Record<string, string>> = {}): void {
  res.statusCode = status;
  res.setHeader("Cache-Control", "no-store");
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(html));
  res.end(html);
}

/** The token of an `Authorization: Bearer <token>` header, if well-formed. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== "string") return undefined;
  const match = /^Bearer +([^\s]+)\s*$/i.exec(header);
  return match?.[1];
}

export function createServer(routes: readonly Route[], options: ServerOptions = {}): Server {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const logger = options.logger ?? console;
  const name = options.name ?? "counterpart";
  const allowedOrigins = options.cors ? new Set(options.cors.allowedOrigins) : undefined;

  let fault: FaultMode = "up";
  const faultRoutes: Route[] = options.faultInjection
    ? [
        {
          method: "PUT",
          path: FAULT_PATH,
          handler: async ({ res, readJson }) => {
            const mode = ((await readJson()) as { mode?: unknown } | null)?.mode;
            if (mode !== "up" && mode !== "down" && mode !== "error")
              throw new HttpError(400, "invalid_request", 'mode must be "up", "down" or "error"');
            fault = mode;
            sendJson(res, 200, { mode });
          },
        },
      ]
    : [];

  const byPath = new Map<string, Map<string, RouteHandler>>();
  for (const route of [...routes, ...faultRoutes]) {
    const methods = byPath.get(route.path) ?? new Map<string, RouteHandler>();
    if (methods.has(route.method)) throw new Error(`Duplicate route ${route.method} ${route.path}`);
    methods.set(route.method, route.handler);
    byPath.set(route.path, methods);
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "no-referrer");

    const origin = typeof req.headers.origin === "string" ? req.headers.origin : undefined;
    const originAllowed = origin !== undefined && allowedOrigins?.has(origin) === true;
    if (allowedOrigins) {
      res.setHeader("Vary", "Origin");
      if (originAllowed) {
        res.setHeader("Access-Control-Allow-Origin", origin);
        res.setHeader("Access-Control-Expose-Headers", "Retry-After");
      }
    }

    const rawUrl = req.url ?? "/";
    if (!rawUrl.startsWith("/")) {
      // Absolute-form or `*` request targets have no business here.
      sendError(res, 400, "bad_request", "Request target must be an absolute path");
      return;
    }
    const url = new URL(rawUrl, "http://counterpart.invalid");
    if (fault !== "up" && url.pathname !== FAULT_PATH) {
      if (fault === "down") {
        req.socket.destroy();
        return;
      }
      sendError(res, 503, "unavailable", "The service is unavailable");
      return;
    }
    const methods = byPath.get(url.pathname);
    if (!methods) {
      sendError(res, 404, "not_found", "No such endpoint");
      return;
    }

    const method = req.method ?? "GET";
    if (method === "OPTIONS") {
      const allow = [...methods.keys(), "OPTIONS"].join(", ");
      res.setHeader("Allow", allow);
      if (origin !== undefined && !originAllowed) {
        sendError(res, 403, "origin_not_allowed", "This origin may not call this service");
        return;
      }
      if (originAllowed) {
        res.setHeader("Access-Control-Allow-Methods", allow);
        res.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type");
        res.setHeader("Access-Control-Max-Age", "600");
      }
      res.statusCode = 204;
      res.end();
      return;
    }

    const handler = methods.get(method);
    if (!handler) {
      res.setHeader("Allow", [...methods.keys(), "OPTIONS"].join(", "));
      sendError(res, 405, "method_not_allowed", `Method ${method} is not allowed here`);
      return;
    }

    let bodyRequested = false;
    const ctx: RequestContext = {
      req,
      res,
      url,
      readJson: () => {
        if (bodyRequested) throw new Error("readJson() called twice");
        bodyRequested = true;
        return readJsonBody(req, maxBodyBytes);
      },
    };
    await handler(ctx);
  };

  return createNodeServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        // Too late for a clean error response; make the failure visible to the client.
        logger.error(`[${name}] ${req.method} ${req.url}: failed after headers were sent`, error);
        res.destroy();
        return;
      }
      if (error instanceof HttpError) {
        if (error.status === 413) res.setHeader("Connection", "close");
        sendError(res, error.status, error.code, error.message, error.extra.details, error.extra.headers);
        return;
      }
      logger.error(`[${name}] ${req.method} ${req.url}: unhandled error`, error);
      sendError(res, 500, "internal_error", "Internal server error");
    });
  });
}

/** Reads a JSON request body of at most `maxBytes` bytes (raw-body.ts holds the rules). */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  return parseJsonBytes(await readRawJsonBody(req, maxBytes));
}

/**
 * Wraps a handler so that domain errors become HTTP errors through `toHttpError` (each
 * counterpart maps its own error classes; HttpErrors pass through unchanged).
 */
export function mapErrors(toHttpError: (error: unknown) => unknown) {
  return (handler: (ctx: RequestContext) => Promise<void>) =>
    async (ctx: RequestContext): Promise<void> => {
      try {
        await handler(ctx);
      } catch (error) {
        throw toHttpError(error);
      }
    };
}

/** Starts listening and resolves with the base URL (with the real port when `port` is 0). */
export function listen(server: Server, port: number, host = "127.0.0.1"): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      const address = server.address() as AddressInfo;
      const hostPart = host.includes(":") ? `[${host}]` : host;
      resolve(`http://${hostPart}:${address.port}`);
    });
  });
}

/** Stops accepting connections and drops idle keep-alive ones so `close` does not hang. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
    // Anything still busy after a short grace period is cut off.
    setTimeout(() => server.closeAllConnections(), 1_000).unref();
  });
}

/**
 * Listens on `at` and returns the running service; closing it closes the server first (no new
 * requests), then the database the handlers used.
 */
export async function serve(
  name: string,
  server: Server,
  db: { close(): Promise<void> },
  at: { port: number; host?: string },
): Promise<RunningService> {
  const url = await listen(server, at.port, at.host);
  return {
    name,
    url,
    async close() {
      await closeServer(server);
      await db.close();
    },
  };
}

/** Validates a parsed JSON body; the first problem becomes 400 `validation_error` naming the field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(400, "validation_error", `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}
