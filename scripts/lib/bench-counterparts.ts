// The counterparts `npm run bench` needs (mailbox, AIR Kit, Alchemy), in a process of their own,
// as the real services would be: in the bench's own process they would share one event loop with
// autocannon and slow down the requests they measure. Prints one line, `ready <env as JSON>`,
// once they listen, and stops on SIGTERM.
//
//   tsx scripts/lib/bench-counterparts.ts <app origin> <data dir> <port base>
import { ensureDevSecrets } from "../../lib/config/dev-defaults";
import { startSandboxes } from "../../sandboxes/main";

const [appUrl, dataDir, base] = process.argv.slice(2);
if (!appUrl || !dataDir || !base) {
  console.error("usage: tsx scripts/lib/bench-counterparts.ts <app origin> <data dir> <port base>");
  process.exit(2);
}
const b = Number(base);
const secrets = await ensureDevSecrets(dataDir);
const sandboxes = await startSandboxes({
  appUrl,
  dataDir: `${dataDir}/sandboxes`,
  host: "127.0.0.1",
  ports: { oidc: b + 1, airkit: b + 2, mailbox: b + 3, firebase: b + 4, supabase: b + 5, moojo: b + 6, alchemy: b + 7, turnkey: b + 8 },
  secrets: {
    oidcClientSecret: secrets.OIDC_CLIENT_SECRET,
    mailApiKey: secrets.MAIL_API_KEY,
    supabaseKey: secrets.SUPABASE_PUBLISHABLE_KEY,
    moojoApiKey: secrets.MOOJO_API_KEY,
    alchemyApiKey: secrets.ALCHEMY_API_KEY,
    turnkeyApiPublicKey: secrets.TURNKEY_API_PUBLIC_KEY,
  },
  // Only what the measured routes reach; the Firebase emulator alone would take 15 s to start.
  start: { oidc: false, airkit: true, mailbox: true, firebase: false, supabase: false, moojo: false, alchemy: true, turnkey: false },
});
process.stdout.write(`ready ${JSON.stringify(sandboxes.env)}\n`);
process.on("SIGTERM", () => void sandboxes.close().then(() => process.exit(0)));
