// `npm run counterparts` (from the repository root) or `npm start` here: only the counterparts,
// for a `next dev` you run yourself. Prints the variables to give the app (e.g. in .env.local).
// `tsx cli.ts install` (`npm run counterparts:install`) only installs what a first start would
// (the Firebase Auth Emulator, if present), for CI and test runs that should not pay for it mid-test.
//
// Same ports and data folder as `npm run dev`: counterparts on COUNTERPART_PORT_BASE (3100) + 1…8,
// data in DATA_DIR (.data), dev secrets in .data/dev-secrets.json (the file the app's own dev
// defaults use, so an app started on the same folder holds the same values). Relative paths are
// taken from where npm was started (INIT_CWD), not from this package's folder.
import { resolve } from "node:path";
import { ensureCounterpartSecrets } from "./lib/dev-secrets";
import { counterpartSecrets, installCounterparts, parseCounterpartVariant, startCounterparts } from "./main";

const say = (line: string) => process.stdout.write(`\x1b[36m[counterparts]\x1b[0m ${line}\n`);

if (process.argv[2] === "install") {
  await installCounterparts(say);
  say("the counterparts' own installs are in place");
  process.exit(0);
}

const cwd = process.env.INIT_CWD || process.cwd();
const dataDir = resolve(cwd, process.env.DATA_DIR || ".data");
const appUrl = process.env.AUTH_URL || `http://localhost:${Number(process.env.PORT || 3000)}`;
const variant = parseCounterpartVariant(process.env.COUNTERPART_VARIANT);
const secrets = ensureCounterpartSecrets(dataDir, counterpartSecrets());

say(`starting local counterparts (data in ${dataDir})`);
const counterparts = await startCounterparts({
  appUrl,
  dataDir: `${dataDir}/counterparts`,
  host: "127.0.0.1",
  portBase: Number(process.env.COUNTERPART_PORT_BASE || 3100),
  secrets,
  log: (line) => say(`  ${line}`),
  variant,
});
say("set these for the app (e.g. in .env.local):");
for (const [k, v] of Object.entries(counterparts.env)) process.stdout.write(`${k}=${v}\n`);
const stop = () => void counterparts.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
