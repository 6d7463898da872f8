// The app's production server: Next.js's own request handler, behind a node:http server that
// tells the app each request's TCP peer address, so that per-client limits work without a
// proxy (lib/security/client-ip.ts explains why a route handler cannot find it out itself).
// `npm start`, the demo and the test stack run this instead of `next start`.
//
//   node scripts/server.mjs [-H host] [-p port]     (PORT works as for next start)
//
// Plain JavaScript on purpose: `npm start` must run where only production dependencies are
// installed (no tsx). Follows https://nextjs.org/docs/app/guides/custom-server:
// next({ dev: false }), prepare(), getRequestHandler(). Nothing else of `next start` changes.
//
// The same file runs the standalone build (`output: "standalone"`): `npm run build` copies it
// to .next/standalone/server.mjs, beside the server.js Next.js generates there, and
// `node server.mjs` in that folder is the whole app (docs/deploy-standalone.md).
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

// Must equal lib/security/client-ip.ts (scripts/server.test.ts checks that they do).
export const PEER_ADDRESS_HEADER = "x-byo-peer-address";
export const SERVED_BY_APP_SERVER_KEY = "byo-auth.served-by-app-server";

/**
 * Stamps the connection's peer address on the request, replacing whatever the client sent
 * under that name (in every spelling and repetition: Node lower-cases header names and joins
 * repeats, so deleting the one key removes them all from `req.headers`, which is what Next.js
 * reads).
 * @param {import("node:http").IncomingMessage} req
 */
export function stampPeerAddress(req) {
  delete req.headers[PEER_ADDRESS_HEADER];
  const address = req.socket.remoteAddress;
  if (address) req.headers[PEER_ADDRESS_HEADER] = address;
}

/**
 * Wraps a request listener so every request carries its peer address, and marks the process
 * (a flag on globalThis, which every bundle of the app sees) so the app trusts that header.
 * @param {import("node:http").RequestListener} listener
 * @returns {import("node:http").RequestListener}
 */
export function withPeerAddress(listener) {
  globalThis[Symbol.for(SERVED_BY_APP_SERVER_KEY)] = true;
  return (req, res) => {
    stampPeerAddress(req);
    listener(req, res);
  };
}

/**
 * Runs the server with the configuration the build was made with, as the server.js that
 * Next.js generates for standalone output does (node_modules/next/dist/build/utils.js: it sets
 * __NEXT_PRIVATE_STANDALONE_CONFIG to the build's config before loading Next). A standalone
 * folder has no next.config.ts to load, and in the project folder this spares loading it again
 * (and Next's warning that `next start` is not the standalone entry). No build, no change.
 * @param {string} dir the folder holding `.next`
 */
export function adoptBuildConfig(dir) {
  if (process.env.__NEXT_PRIVATE_STANDALONE_CONFIG) return;
  const manifest = join(dir, ".next", "required-server-files.json");
  if (!existsSync(manifest)) return;
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(JSON.parse(readFileSync(manifest, "utf8")).config);
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
  // Copied into a standalone folder, the build sits beside this file; in the project, under the working directory.
  const here = fileURLToPath(new URL(".", import.meta.url));
  const dir = existsSync(join(here, ".next")) ? here : process.cwd();
  adoptBuildConfig(dir);
  const { default: next } = await import("next");
  const app = next({ dev: false, hostname: hostname ?? "localhost", port, dir });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer(withPeerAddress((req, res) => void handle(req, res)));
  server.listen(port, hostname, () =>
    console.log(
      `▲ ready on http://${hostname ?? "localhost"}:${port} (per-client limits: ${process.env.CLIENT_IP_HEADER ? `${process.env.CLIENT_IP_HEADER}, else ` : ""}the connection's address)`,
    ),
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
