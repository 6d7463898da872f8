// npm run prune -- --identity <ids> --wallet <ids> [--dry-run] [--force]
//
// Makes the starter yours: keeps the named providers (and what they require) and removes every
// other one: its folder, its registry lines, its routes and docs pages (`paths`), its
// counterparts, the e2e specs that need it, the npm dependencies nothing else imports, and the
// README/docs/.env.example lines marked for it. Everything is computed first (scripts/lib/prune.ts)
// and checked, then applied; running it again with the same ids changes nothing.
import { execFileSync } from "node:child_process";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, rmdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { listRepoFiles } from "./lib/import-graph";
import { KINDS, planPrune, PruneError, type Plan, type ProviderKind } from "./lib/prune";

const USAGE = `usage: npm run prune -- --identity <ids> --wallet <ids> [--dry-run] [--force]
  ids are comma-separated (or the flag repeated); a kind left out keeps all its providers.
  --dry-run  print what would change, change nothing
  --force    run on a git tree with uncommitted changes (prune's edits then mix with yours)`;

export interface PruneArgs {
  wanted: Partial<Record<ProviderKind, string[]>>;
  dryRun: boolean;
  force: boolean;
  root: string;
}

export function parseArgs(argv: string[]): PruneArgs {
  const wanted: Partial<Record<ProviderKind, string[]>> = {};
  let dryRun = false;
  let force = false;
  let root = process.cwd();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const kind = KINDS.find((k) => flag === `--${k}` || (k === "wallet" && flag === "--wallets"));
    if (kind) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith("--")) throw new PruneError(`${flag} needs a value\n${USAGE}`);
      (wanted[kind] ??= []).push(
        ...value
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      );
    } else if (flag === "--dry-run") dryRun = true;
    else if (flag === "--force") force = true;
    else if (flag === "--root") root = resolve(inline ?? argv[++i] ?? ".");
    else throw new PruneError(`unknown argument "${arg}"\n${USAGE}`);
  }
  if (!wanted.identity && !wanted.wallet) throw new PruneError(`name the providers to keep\n${USAGE}`);
  return { wanted, dryRun, force, root };
}

/** Uncommitted changes (tracked or untracked) in `root`, or null when it is not a git work tree. */
function gitStatus(root: string): string | null {
  try {
    return execFileSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return null;
  }
}

export function describePlan(plan: Plan): string[] {
  const lines: string[] = [];
  const { kept, removed, notes } = plan.selection;
  lines.push(`keeping:  ${kept.map((m) => m.key).join(", ")}`);
  lines.push(`removing: ${removed.length ? removed.map((m) => m.key).join(", ") : "nothing"}`);
  for (const note of notes) lines.push(`  ${note}`);
  if (plan.counterparts.length) lines.push(`counterparts removed: ${plan.counterparts.join(", ")}`);
  if (plan.deletions.length) lines.push("delete:", ...plan.deletions.map((d) => `  ${d}`));
  if (plan.edits.length) lines.push("edit:", ...plan.edits.flatMap((e) => [`  ${e.file}`, ...e.what.map((w) => `      ${w}`)]));
  for (const note of plan.dependencyNotes) lines.push(`  ${note}`);
  return lines;
}

/**
 * Deletes then rewrites; empty folders left behind go too (git does not keep them anyway). The
 * edited files are run through the project's Prettier, when installed: a Markdown table that
 * lost its widest row must be re-aligned, or `npm run lint` (which checks formatting) fails.
 */
export function applyPlan(root: string, plan: Plan): void {
  for (const path of plan.deletions) rmSync(join(root, path), { recursive: true, force: true });
  for (const edit of plan.edits) writeFileSync(join(root, edit.file), edit.text);
  const prettier = join(root, "node_modules", "prettier", "bin", "prettier.cjs");
  if (plan.edits.length && existsSync(prettier)) {
    const result = spawnSync(
      process.execPath,
      [prettier, "--write", "--ignore-unknown", "--log-level=warn", ...plan.edits.map((e) => e.file)],
      { cwd: root, stdio: "inherit" },
    );
    if (result.status !== 0) throw new PruneError("Prettier could not format the edited files (see above)");
  }
  for (const path of plan.deletions) {
    for (let dir = dirname(path); dir !== "." && dir !== ""; dir = dirname(dir)) {
      const abs = join(root, dir);
      if (!existsSync(abs) || readdirSync(abs).length) break;
      rmdirSync(abs);
    }
  }
}

export function main(argv: string[]): number {
  const say = (line: string) => process.stdout.write(`[prune] ${line}\n`);
  let args: PruneArgs;
  try {
    args = parseArgs(argv);
    if (!args.dryRun && !args.force) {
      const status = gitStatus(args.root);
      if (status === null) throw new PruneError(`${args.root} is not a git work tree; commit a copy first, or pass --force`);
      if (status.trim())
        throw new PruneError(
          `the git tree has uncommitted changes; commit or stash them first (prune's edits must be reviewable on their own), or pass --force\n${status.trimEnd()}`,
        );
    }
    const plan = planPrune(args.root, listRepoFiles(args.root), args.wanted);
    for (const line of describePlan(plan)) say(line);
    const changes = plan.deletions.length + plan.edits.length;
    if (!changes) {
      say("nothing to do: only the providers you keep are here.");
      return 0;
    }
    if (args.dryRun) {
      say(`dry run: ${changes} change(s) listed above, none made.`);
      return 0;
    }
    applyPlan(args.root, plan);
    say(`done: ${plan.deletions.length} deleted, ${plan.edits.length} edited.`);
    say(
      "next: `npm install` (updates package-lock.json for the dependencies dropped), then `npm test`; review with `git status` and commit.",
    );
    return 0;
  } catch (error) {
    if (error instanceof PruneError) {
      process.stderr.write(`[prune] ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
