// The counterparts `npm run bench` needs (mailbox, AIR Kit, Alchemy), in a process of their own,
// as the real services would be: in the bench's own process they would share one event loop with
// autocannon and slow down the requests they measure. Prints one line, `ready <env as JSON>`,
// once they listen, and stops on SIGTERM.
//
//   tsx scripts/lib/bench-counterparts.ts <app origin> <data dir> <port base>
import { ensureCounterpartSecrets } from "@byo/counterparts/lib/dev-secrets";
import { ensureDevSecrets } from "../../lib/config/dev-defaults";
import { counterpartSecrets, startCounterparts } from "@byo/counterparts";

const [appUrl, dataDir, base] = process.argv.slice(2);
if (!appUrl || !dataDir || !base) {
  console.error("usage: tsx scripts/lib/bench-counterparts.ts <app origin> <data dir> <port base>");
  process.exit(2);
}
const b = Number(base);
// The app's own dev secrets, then those the counterparts share with it (one file).
const secrets = { ...(await ensureDevSecrets(dataDir)), ...ensureCounterpartSecrets(dataDir, counterpartSecrets()) };
const counterparts = await startCounterparts({
  appUrl,
  dataDir: `${dataDir}/counterparts`,
  host: "127.0.0.1",
  portBase: b,
  secrets: { ...secrets },
  // Only what the measured routes reach; the Firebase emulator alone would take 15 s to start.
  start: ["airkit", "mailbox", "alchemy"],
});
process.stdout.write(`ready ${JSON.stringify(counterparts.env)}\n`);
process.on("SIGTERM", () => void counterparts.close().then(() => process.exit(0)));
