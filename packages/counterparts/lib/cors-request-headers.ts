/**
 * Lets browsers preflight request headers beyond the `Authorization, Content-Type` that
 * http.ts allows: Turnkey clients send the request signature in `X-Stamp` (and their version
 * in `X-Client-Version`), so without this a browser could never call a stamped endpoint.
 *
 * It rewrites that single response header on preflight answers. Everything else, in
 * particular whether the origin is allowed at all, stays http.ts's decision: the header is
 * only ever set (and so only rewritten) for allowlisted origins.
 *
 * (A `CorsOptions.allowedHeaders` option in http.ts would be the cleaner home for this.)
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";

export function allowPreflightRequestHeaders(server: Server, extraHeaders: readonly string[]): void {
  const value = ["Authorization", "Content-Type", ...extraHeaders].join(", ");
  const listeners = server.listeners("request") as RequestListener[];
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "OPTIONS") {
      const setHeader = res.setHeader.bind(res);
      res.setHeader = ((name: string, headerValue: number | string | readonly string[]) =>
        setHeader(name, name.toLowerCase() === "access-control-allow-headers" ? value : headerValue)) as ServerResponse["setHeader"];
    }
    for (const listener of listeners) listener(req, res);
  });
}
