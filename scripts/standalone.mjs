// Completes the standalone build (`output: "standalone"` in next.config.ts) so that the folder
// .next/standalone is everything a host needs: Next.js leaves the static assets out of it
// (https://nextjs.org/docs/app/api-reference/config/next-config-js/output: "copied to the
// standalone/public and standalone/.next/static folders manually"), and the app's own server
// entry (scripts/server.mjs: it stamps each request's peer address for per-client limits) is
// added beside Next's server.js. Run by `npm run build` after `next build`.
//
//   node scripts/standalone.mjs
import { cpSync, existsSync } from "node:fs";
import { join } from "node:path";

const standalone = join(".next", "standalone");
if (!existsSync(join(standalone, "server.js"))) {
  console.error('No .next/standalone/server.js: run `next build` first, with output: "standalone" in next.config.ts.');
  process.exit(1);
}
cpSync(join(".next", "static"), join(standalone, ".next", "static"), { recursive: true });
if (existsSync("public")) cpSync("public", join(standalone, "public"), { recursive: true });
cpSync(join("scripts", "server.mjs"), join(standalone, "server.mjs"));
console.log("standalone build ready: cd .next/standalone && node server.mjs   (docs/deploy-standalone.md)");
