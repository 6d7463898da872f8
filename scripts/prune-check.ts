// npm run prune:check -- [<identity>+<wallet> …] [--keep] [--steps=tsc,eslint,vitest]
//
// For each pair: copies the working tree (tracked and untracked, not ignored files: what you
// see, uncommitted edits included) into a scratch folder, runs `npm run prune` there, then the
// type check, the lint and the unit tests, and says which step failed. CI runs it for the pairs
// below (.ci/run); run it yourself for any other pair. Ids on either side of "+" may be
// comma lists ("oidc,password+airkit").
//
// node_modules is not reinstalled: the copy gets a node_modules folder of symlinks to this
// checkout's packages, so packages prune dropped are still there. That is fine for what is
// checked here (a dropped package nothing imports cannot break the type check or the tests);
// `npm install` after a real prune is what proves the install. Workspace packages
// (node_modules/@byo/* → packages/*) are linked to the COPY's folders, so the pruned
// counterparts are what the checks see.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { copyTree } from "./lib/scratch-copy";

const CI_PAIRS = ["password+airkit", "firebase+moojo"];

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const say = (line: string) => process.stdout.write(`\x1b[35m[prune:check]\x1b[0m ${line}\n`);

function step(pair: string, name: string, cwd: string, command: string, args: readonly string[]): boolean {
  const started = Date.now();
  say(`${pair}: ${name} …`);
  const result = spawnSync(command, args, { cwd, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status === 0) {
    say(`${pair}: ${name} ok (${seconds} s)`);
    return true;
  }
  say(`${pair}: ${name} FAILED (${seconds} s, exit ${result.status ?? result.signal})`);
  return false;
}

/** The same prune again must find nothing to do. */
function idempotent(pair: string, cwd: string, command: string, args: readonly string[]): boolean {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  if (result.status === 0 && /nothing to do/.test(result.stdout)) {
    say(`${pair}: prune again: nothing to do (idempotent)`);
    return true;
  }
  process.stdout.write(result.stdout + result.stderr);
  say(`${pair}: prune again FAILED: it still found something to do`);
  return false;
}

function pairArgs(pair: string): string[] {
  const m = /^([a-z0-9,-]+)\+([a-z0-9,-]+)$/.exec(pair);
  if (!m) throw new Error(`"${pair}" is not <identity>+<wallet> (e.g. password+airkit)`);
  return ["--identity", m[1]!, "--wallet", m[2]!];
}

function main(argv: string[]): number {
  const keep = argv.includes("--keep");
  // --steps=tsc,eslint (default: all three) for a quicker look at many pairs.
  const stepsArg = argv.find((a) => a.startsWith("--steps="));
  const steps = new Set(stepsArg ? stepsArg.slice("--steps=".length).split(",") : ["tsc", "eslint", "vitest"]);
  for (const s of steps) if (!["tsc", "eslint", "vitest"].includes(s)) throw new Error(`unknown step "${s}" (tsc, eslint, vitest)`);
  const pairs = argv.filter((a) => !a.startsWith("--"));
  const chosen = pairs.length ? pairs : CI_PAIRS;
  for (const pair of chosen) pairArgs(pair); // refuse a malformed pair before any work
  const failures: string[] = [];
  const total = Date.now();
  for (const pair of chosen) {
    const copy = mkdtempSync(join(tmpdir(), `prune-${pair.replace(/[^a-z0-9]+/g, "-")}-`));
    try {
      const started = Date.now();
      copyTree(root, copy);
      say(`${pair}: copied to ${copy} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      const npx = (bin: string, ...args: string[]) => ["node", [join(root, "node_modules", ".bin", bin), ...args]] as const;
      const ok =
        step(pair, "prune", copy, ...npx("tsx", "scripts/prune.ts", ...pairArgs(pair), "--force")) &&
        idempotent(pair, copy, ...npx("tsx", "scripts/prune.ts", ...pairArgs(pair), "--force")) &&
        (!steps.has("tsc") || step(pair, "tsc --noEmit", copy, ...npx("tsc", "--noEmit"))) &&
        (!steps.has("eslint") || step(pair, "eslint", copy, ...npx("eslint", "--max-warnings=0", "."))) &&
        (!steps.has("eslint") || step(pair, "prettier --check", copy, ...npx("prettier", "--check", "--log-level=warn", "."))) &&
        (!steps.has("vitest") || step(pair, "vitest run", copy, ...npx("vitest", "run")));
      if (!ok) failures.push(pair);
    } finally {
      if (keep) say(`${pair}: kept ${copy}`);
      else rmSync(copy, { recursive: true, force: true });
    }
  }
  const minutes = ((Date.now() - total) / 60_000).toFixed(1);
  if (failures.length) {
    say(`FAILED for ${failures.join(", ")} (${minutes} min); rerun one with --keep to look at the pruned copy`);
    return 1;
  }
  say(`all pruned copies pass (${chosen.join(", ")}; ${minutes} min)`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
