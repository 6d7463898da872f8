// What a wallet card costs before anyone uses it. The dashboard renders every configured card
// through the browser registry; a provider's SDK must load only when its card is used
// (BrowserWallet.loadConnector), never with the page: with all four SDKs in the first load, an
// empty dashboard blocked a phone's main thread for over a second (Lighthouse, issue #14).
// Checked on the real source: the runtime static imports reachable from the registry (what the
// bundler puts in the page's own chunks) reach no package but React and Next.js, and none of the
// modules the registry imports with import() (which the bundler splits off, loaded on call).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildImportGraph, type ImportGraph } from "@/scripts/lib/import-graph";

const root = join(__dirname, "..", "..");
const REGISTRY = "providers/wallets/registry.client.tsx";
const FIRST_LOAD_PACKAGES = new Set(["react", "react-dom", "next"]);

/** Files and packages reached from `entry` through runtime static imports (type-only and import() aside). */
function staticClosure(graph: ImportGraph, entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set([entry]);
  const packages = new Set<string>();
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const edge of graph.edges.get(file) ?? []) {
      if (edge.kind !== "static" || edge.typeOnly) continue;
      if (edge.packageName) packages.add(edge.packageName);
      if (edge.target && !files.has(edge.target)) {
        files.add(edge.target);
        queue.push(edge.target);
      }
    }
  }
  return { files, packages };
}

describe("the browser wallet registry's first load", () => {
  const graph = buildImportGraph(root);
  const first = staticClosure(graph, REGISTRY);
  // Everything the registry's modules load on call: connectors, signers, session panels, SDK helpers.
  const onCall = [...first.files].flatMap((f) =>
    (graph.edges.get(f) ?? []).filter((e) => e.kind === "dynamic" && e.target).map((e) => ({ from: f, target: e.target! })),
  );

  it("reaches no package but React and Next.js: no provider SDK loads with an empty dashboard", () => {
    expect([...first.packages].filter((p) => !FIRST_LOAD_PACKAGES.has(p))).toEqual([]);
  });

  it("reaches none of the modules it loads on call, so each stays out of the page's own chunks", () => {
    expect(onCall.filter(({ target }) => first.files.has(target)).map(({ from, target }) => `${from} → ${target}`)).toEqual([]);
  });

  it("the check sees what loads on call: modules outside the first load (else the walks above prove nothing)", () => {
    expect(onCall.length).toBeGreaterThan(0);
    // Files, not packages: a pruned copy may keep only providers whose browser code is the
    // app's own (AIR Kit's HTTP client), with no SDK package behind its connector.
    const later = new Set(onCall.flatMap(({ target }) => [...staticClosure(graph, target).files]));
    expect([...later].filter((f) => !first.files.has(f)).length).toBeGreaterThan(0);
  });
});
