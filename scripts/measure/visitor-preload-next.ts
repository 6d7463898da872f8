// Proves, against the real production build, that the app process carries the public demo's
// visitor to the mailbox without any app code knowing (packages/counterparts/lib/visitor-preload.mjs):
// the app server (scripts/server.mjs, Next.js's request handler, Next's own fetch wrapper on top
// of the preload's) signs up password users for several visitors at once, and the mailbox, in
// per-visitor mode, shows each visitor only the confirmation mail their request caused.
//
//   npx next build && npx tsx scripts/measure/visitor-preload-next.ts
//
// Ports from E2E_PORT_BASE (default 3600): the app on the base, the mailbox on base + its
// offset. The launcher wires the same two variables for `npm run demo` (scripts/lib/stack.ts).
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { counterpartSecrets, startCounterparts } from "@byo/counterparts";
import { ensureCounterpartSecrets } from "@byo/counterparts/lib/dev-secrets";
import {
  DEMO_VISITOR_FORWARD_ORIGINS_ENV,
  DEMO_VISITOR_HEADER,
  newVisitorId,
  visitorPreloadNodeOption,
} from "@byo/counterparts/lib/visitor";
import { ensureDevSecrets } from "../../lib/config/dev-defaults";
import { PROVIDER_VARS } from "../lib/stack";

const say = (line: string) => process.stdout.write(`\x1b[35m[visitor-check]\x1b[0m ${line}\n`);
const base = Number(process.env.E2E_PORT_BASE || 3600);
const appUrl = `http://localhost:${base}`;
const dataDir = resolve(`.data/visitor-check-${base}`);
rmSync(dataDir, { recursive: true, force: true });

const secrets = { ...(await ensureDevSecrets(dataDir)), ...ensureCounterpartSecrets(dataDir, counterpartSecrets(["mailbox"])) };
const counterparts = await startCounterparts({
  appUrl,
  dataDir: `${dataDir}/counterparts`,
  portBase: base,
  secrets: { ...secrets },
  start: ["mailbox"],
  perVisitor: true,
  log: (line) => say(`  ${line}`),
});
const mailboxUrl = counterparts.env.MAIL_API_URL!;

const env: Record<string, string | undefined> = { ...process.env };
for (const name of PROVIDER_VARS) env[name] = "";
Object.assign(env, counterparts.env, {
  NODE_ENV: undefined,
  AUTH_URL: appUrl,
  DATA_DIR: dataDir,
  NEXT_TELEMETRY_DISABLED: "1",
  ALLOW_DEV_DEFAULTS: "true",
  NODE_OPTIONS: visitorPreloadNodeOption(),
  [DEMO_VISITOR_FORWARD_ORIGINS_ENV]: new URL(mailboxUrl).origin,
  // Simultaneous sign-ups from one address would meet the per-client limits: each "visitor"
  // here is a client of its own, as two browsers would be.
  CLIENT_IP_HEADER: "x-test-client-ip",
});
const app = spawn(process.execPath, [resolve("scripts/server.mjs"), "-H", "127.0.0.1", "-p", String(base)], {
  env: env as NodeJS.ProcessEnv,
  stdio: ["ignore", "pipe", "pipe"],
});
let appLog = "";
app.stdout.on("data", (d: Buffer) => (appLog += d.toString()));
app.stderr.on("data", (d: Buffer) => (appLog += d.toString()));

let failed = false;
const check = (ok: boolean, line: string) => {
  say(`${ok ? "ok  " : "FAIL"} ${line}`);
  if (!ok) failed = true;
};

try {
  for (
    let i = 0;
    !(await fetch(`${appUrl}/api/health`).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  ) {
    if (app.exitCode !== null || i > 240) throw new Error(`the app did not start:\n${appLog}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  check(
    appLog.includes(`[demo] ${DEMO_VISITOR_HEADER} is forwarded to ${new URL(mailboxUrl).origin}`),
    "the app process loaded the preload",
  );

  let client = 0;
  const signUp = async (email: string, visitor: string | undefined) => {
    const response = await fetch(`${appUrl}/api/password/sign-up`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: appUrl,
        "x-test-client-ip": `203.0.113.${++client}`,
        ...(visitor ? { [DEMO_VISITOR_HEADER]: visitor } : {}),
      },
      body: JSON.stringify({ email, password: "a long enough passphrase" }),
    });
    if (!response.ok) throw new Error(`sign-up of ${email} answered ${response.status}: ${await response.text()}`);
  };
  const seenBy = async (visitor: string | undefined) => {
    const response = await fetch(`${mailboxUrl}/api/messages`, { headers: visitor ? { [DEMO_VISITOR_HEADER]: visitor } : {} });
    return ((await response.json()) as { messages: { to: string[]; subject: string }[] }).messages.map(
      (m) => `${m.to.join(",")}: ${m.subject}`,
    );
  };

  const stamp = Date.now();
  const visitors = Array.from({ length: 4 }, () => newVisitorId());
  const emails = visitors.map((_, i) => `visitor-${i}-${stamp}@example.com`);
  const anonymous = `no-visitor-${stamp}@example.com`;
  // All at once, so the requests' contexts overlap inside the one app process.
  await Promise.all([...visitors.map((v, i) => signUp(emails[i]!, v)), signUp(anonymous, undefined)]);
  for (const [i, visitor] of visitors.entries()) {
    const seen = await seenBy(visitor);
    check(
      seen.length === 1 && seen[0] === `${emails[i]}: Confirm your email`,
      `visitor ${i} sees only the mail its own sign-up caused (${JSON.stringify(seen)})`,
    );
  }
  check((await seenBy(undefined)).length === 0, "a request without a visitor sees nothing");

  // Another visitor signs up with visitor 0's address: whatever is mailed goes to visitor 0.
  const intruder = newVisitorId();
  await signUp(emails[0]!, intruder);
  check((await seenBy(intruder)).length === 0, "a visitor using another's address sees none of its mail");
} catch (error) {
  failed = true;
  say(`FAIL ${error instanceof Error ? error.message : String(error)}`);
} finally {
  app.kill("SIGTERM");
  await counterparts.close();
  rmSync(dataDir, { recursive: true, force: true });
}
say(failed ? "FAILED" : "all checks passed");
process.exit(failed ? 1 : 0);
