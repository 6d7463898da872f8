// The repository's import rules, checked on the real tree:
// (a) a provider folder is imported from outside only by the registries, by the providers that
//     declare it in `requires`, and by what goes with it (its `paths`, its counterparts, the e2e
//     specs naming it), so `npm run prune` can delete it without leaving a dangling import
//     (the rule itself: scripts/lib/boundaries.ts);
// (b) no module imports itself back through a chain of runtime imports (`import type` aside).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { boundaryViolations, formatViolation } from "./lib/boundaries";
import { buildImportGraph, findCycles, listRepoFiles } from "./lib/import-graph";
import { loadManifests, specProviders } from "./lib/prune";

const root = join(__dirname, "..");
const files = listRepoFiles(root);
const read = (f: string) => readFileSync(join(root, f), "utf8");
const graph = buildImportGraph(root, files);
const manifests = loadManifests(files, read);
const present = (file: string) => files.includes(file);

// Known today, each to disappear with the change that removes it; the lists only ever shrink
// (a test below fails on an entry that no longer occurs, so a fixed one must leave the list).
// Known exceptions, each with its reason; the tests below fail when one is fixed, so the lists
// only shrink. Empty: the tree has no import prune would leave dangling and no cycle.
const KNOWN_VIOLATIONS: string[] = [];
const KNOWN_CYCLES: string[] = [];

describe("import boundaries", () => {
  const found = boundaryViolations(graph, manifests, read);
  const keyOf = (v: { from: string; specifier: string }) => `${v.from} → ${v.specifier}`;

  it("no file outside a provider folder imports it, except its registries and declared dependents", () => {
    const fresh = found.filter((v) => !KNOWN_VIOLATIONS.includes(keyOf(v))).map(formatViolation);
    expect(fresh, `imports prune would leave dangling:\n${fresh.join("\n")}`).toEqual([]);
  });

  it("every known violation still occurs (remove fixed ones from KNOWN_VIOLATIONS)", () => {
    // An entry whose importing file is gone (a pruned copy) is moot, not fixed.
    const live = KNOWN_VIOLATIONS.filter((k) => present(k.split(" → ")[0]!));
    expect(live.filter((k) => !found.some((v) => keyOf(v) === k))).toEqual([]);
  });

  it("every spec and test header names providers that exist", () => {
    const keys = new Set(manifests.map((m) => m.key));
    const unknown = files
      .filter((f) => /^e2e\/.*\.spec\.ts$|\.test\.ts$/.test(f))
      .flatMap((f) => (specProviders(read(f)) ?? []).filter((k) => !keys.has(k)).map((k) => `${f}: ${k}`));
    expect(unknown).toEqual([]);
  });

  it("every manifest's paths exist and its dependencies are in a package.json", () => {
    const pkgs = ["package.json", "packages/counterparts/package.json"]
      .filter((f) => files.includes(f))
      .map((f) => JSON.parse(read(f)) as Record<string, Record<string, string> | undefined>);
    const listed = new Set(
      pkgs.flatMap((p) => ["dependencies", "devDependencies", "optionalDependencies"].flatMap((k) => Object.keys(p[k] ?? {}))),
    );
    const problems = manifests.flatMap((m) => [
      ...m.paths.filter((p) => !files.some((f) => f === p || f.startsWith(`${p}/`))).map((p) => `${m.key}: path ${p} does not exist`),
      ...m.dependencies.filter((d) => !listed.has(d)).map((d) => `${m.key}: dependency ${d} is in no package.json`),
    ]);
    expect(problems).toEqual([]);
  });
});

describe("circular imports", () => {
  const cycles = findCycles(graph).map((c) => c.join(" → "));

  it("there are none", () => {
    const fresh = cycles.filter((c) => !KNOWN_CYCLES.includes(c));
    expect(fresh, `circular runtime imports:\n${fresh.join("\n")}`).toEqual([]);
  });

  it("every known cycle still occurs (remove fixed ones from KNOWN_CYCLES)", () => {
    const live = KNOWN_CYCLES.filter((k) => k.split(" → ").every(present));
    expect(live.filter((k) => !cycles.includes(k))).toEqual([]);
  });
});
