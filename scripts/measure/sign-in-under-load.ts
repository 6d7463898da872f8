// Median latency of a real password sign-in, alone and while another client fires 24 junk
// sign-ins in parallel (issue #10: they queued on password hashing and made it ~10× slower).
// Starts the test stack (which trusts `x-test-client-ip` as its proxy header, so the script can
// speak as two clients), creates and confirms one account, then measures. Prints the ratio.
//
//   npx next build && npx tsx scripts/measure/sign-in-under-load.ts [rounds=9]
//   (E2E_PORT_BASE moves the stack, as for the e2e suite; default 3200)
import { spawn } from "node:child_process";

const ROUNDS = Number(process.argv[2] ?? 9);
const JUNK = 24;
const BASE = Number(process.env.E2E_PORT_BASE ?? 3200);
const APP = `http://localhost:${BASE}`;
const MAILBOX = `http://127.0.0.1:${BASE + 3}`;

const stack = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/stack.ts", "test"], {
  stdio: "ignore",
  detached: true,
  env: { ...process.env, PORT: String(BASE), COUNTERPART_PORT_BASE: String(BASE), DATA_DIR: `.data/measure-${BASE}` },
});
const stop = () => {
  try {
    process.kill(-stack.pid!, "SIGTERM");
  } catch {
    // already gone
  }
};
process.on("exit", stop);
process.on("SIGINT", () => process.exit(130));
for (
  let i = 0;
  !(await fetch(`${APP}/api/health`).then(
    (r) => r.ok,
    () => false,
  ));
  i++
) {
  if (i > 480) throw new Error("the test stack did not start");
  await new Promise((r) => setTimeout(r, 500));
}

const json = { origin: APP, "content-type": "application/json" };
const email = `measure-${Date.now()}@example.com`;
const password = "a long enough passphrase";

// One confirmed account, through the API a browser uses.
const signUp = await fetch(`${APP}/api/password/sign-up`, {
  method: "POST",
  headers: { ...json, "x-test-client-ip": "198.51.100.250" },
  body: JSON.stringify({ email, password }),
});
if (!signUp.ok) throw new Error(`sign-up answered ${signUp.status}`);
let code: string | undefined;
for (let i = 0; !code && i < 40; i++) {
  const { messages } = (await (await fetch(`${MAILBOX}/api/messages?to=${encodeURIComponent(email)}`)).json()) as {
    messages: { text: string }[];
  };
  code = messages[0]?.text.match(/\b(\d{6})\b/)?.[1];
  if (!code) await new Promise((r) => setTimeout(r, 250));
}
const verified = await fetch(`${APP}/api/password/verify-email`, { method: "POST", headers: json, body: JSON.stringify({ email, code }) });
if (!verified.ok) throw new Error(`verify-email answered ${verified.status}`);

/** One password sign-in through Auth.js, as the browser form does; resolves to [milliseconds, refusal code or "ok"]. */
async function signIn(client: string, who: string, secret: string): Promise<[number, string]> {
  const csrf = await fetch(`${APP}/api/auth/csrf`, { headers: { "x-test-client-ip": client } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const started = performance.now();
  const response = await fetch(`${APP}/api/auth/callback/password`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: APP, cookie, "content-type": "application/x-www-form-urlencoded", "x-test-client-ip": client },
    body: new URLSearchParams({ csrfToken, email: who, password: secret, callbackUrl: "/dashboard" }),
  });
  const ms = performance.now() - started;
  const location = response.headers.get("location") ?? "";
  return [ms, new URL(location, APP).searchParams.get("code") ?? (location.endsWith("/dashboard") ? "ok" : `status ${response.status}`)];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

await signIn("198.51.100.10", email, password); // warm up
const alone: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const [ms, outcome] = await signIn("198.51.100.10", email, password);
  if (outcome !== "ok") throw new Error(`the real sign-in was refused: ${outcome}`);
  alone.push(ms);
}

const loaded: number[] = [];
const junkOutcomes = new Map<string, number>();
for (let round = 0; round < ROUNDS; round++) {
  // A fresh junk client each round, so per-client request limits alone never hide the load.
  const junkClient = `203.0.113.${round + 1}`;
  const junk = Array.from({ length: JUNK }, (_, i) =>
    signIn(junkClient, `junk-${round}-${i}-${Date.now()}@example.com`, "not the password"),
  );
  await new Promise((r) => setTimeout(r, 20)); // let the junk reach the server first
  const [ms, outcome] = await signIn("198.51.100.10", email, password);
  if (outcome !== "ok") throw new Error(`the real sign-in was refused under load: ${outcome}`);
  loaded.push(ms);
  for (const [, o] of await Promise.all(junk)) junkOutcomes.set(o, (junkOutcomes.get(o) ?? 0) + 1);
}

const a = median(alone);
const b = median(loaded);
console.log(
  `real sign-in, median of ${ROUNDS}: alone ${a.toFixed(0)} ms; with ${JUNK} parallel junk sign-ins from another client ${b.toFixed(0)} ms`,
);
console.log(`ratio ${(b / a).toFixed(2)}×`);
console.log(`junk sign-ins answered: ${[...junkOutcomes].map(([k, v]) => `${k} ${v}`).join(", ")}`);
process.exit(0);
