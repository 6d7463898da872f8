// The app's production server: Next.js's own request handler, behind a node:http server that
// tells the app each request's TCP peer address, so that per-client limits work without a
// proxy (lib/security/client-ip.ts explains why a route handler cannot find it out itself).
// `npm start`, the demo and the test stack run this instead of `next start`.
//
//   tsx scripts/server.ts [-H host] [-p port]     (PORT works as for next start)
//
// Follows https://nextjs.org/docs/app/guides/custom-server: next({ dev: false }), prepare(),
// getRequestHandler(). Nothing else of `next start` changes.
import { createServer, type IncomingMessage, type RequestListener } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { markServedByAppServer, PEER_ADDRESS_HEADER } from "../lib/security/client-ip";

/**
 * Stamps the connection's peer address on the request, replacing whatever the client sent
 * under that name (in every spelling and repetition: Node lower-cases header names and joins
 * repeats, so deleting the one key removes them all from `req.headers`, which is what Next.js
 * reads).
 */
export function stampPeerAddress(req: IncomingMessage): void {
  delete req.headers[PEER_ADDRESS_HEADER];
  const address = req.socket.remoteAddress;
  if (address) req.headers[PEER_ADDRESS_HEADER] = address;
}

/** Wraps a request listener so every request carries its peer address, and marks the process. */
export function withPeerAddress(listener: RequestListener): RequestListener {
  markServedByAppServer();
  return (req, res) => {
    stampPeerAddress(req);
    listener(req, res);
  };
}

async function main() {
  const { values } = parseArgs({
    options: { hostname: { type: "string", short: "H" }, port: { type: "string", short: "p" } },
    strict: true,
  });
  // Like `next start`: every interface unless -H says otherwise (HOSTNAME is not read: many
  // container runtimes set it to the machine's name).
  const hostname = values.hostname;
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  const { default: next } = await import("next");
  const app = next({ dev: false, hostname: hostname ?? "localhost", port, dir: process.cwd() });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer(withPeerAddress((req, res) => void handle(req, res)));
  server.listen(port, hostname, () =>
    console.log(`▲ ready on http://${hostname ?? "localhost"}:${port} (per-client limits: ${process.env.CLIENT_IP_HEADER ? `${process.env.CLIENT_IP_HEADER}, else ` : ""}the connection's address)`),
  );
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

// Run only as the entry point (tests import the helpers above).
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) void main();
