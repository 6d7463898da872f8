// The import-boundary rule, stated once so scripts/import-boundaries.test.ts checks the real tree
// and scripts/prune.test.ts checks the rule itself on small trees.
//
// The rule is "deleting what prune deletes never leaves an import dangling": an import from A
// into B is allowed when every choice of providers that keeps A keeps B too. In the terms of
// docs/adding-a-provider.md: outside providers/<kind>/<id>/ only the registries and the providers
// that declare it in `requires` import it (plus its own `paths`, the counterparts it names and
// the e2e specs whose header names it); the core imports no provider and no counterpart that a
// provider names.
import { COUNTERPARTS_DIR, type ImportGraph } from "./import-graph";
import { registryFiles, specProviders, type LoadedManifest } from "./prune";

/** What keeps a file: always (core), one provider, any of the providers naming a counterpart, or all providers a spec names. */
export type Owner =
  | { kind: "core" }
  | { kind: "registry"; file: string }
  | { kind: "provider"; key: string }
  | { kind: "counterpart"; name: string }
  | { kind: "spec"; keys: string[] };

const inside = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);

export function makeOwnerOf(manifests: LoadedManifest[], files: string[], read: (f: string) => string) {
  const registries = new Set(registryFiles(files).map((r) => r.file));
  const prunable = new Set(manifests.flatMap((m) => m.counterparts));
  const specs = new Map<string, string[]>();
  for (const f of files) {
    if (!/^e2e\/.*\.spec\.ts$|\.test\.ts$/.test(f)) continue;
    const keys = specProviders(read(f));
    if (keys?.length) specs.set(f, keys);
  }
  return (file: string): Owner => {
    if (registries.has(file)) return { kind: "registry", file };
    for (const m of manifests) if (inside(file, m.dir) || m.paths.some((p) => inside(file, p))) return { kind: "provider", key: m.key };
    const c = new RegExp(`^${COUNTERPARTS_DIR}/([^/]+)/`).exec(file);
    if (c && prunable.has(c[1]!)) return { kind: "counterpart", name: c[1]! };
    const keys = specs.get(file);
    if (keys) return { kind: "spec", keys };
    return { kind: "core" };
  };
}

export interface Violation {
  from: string;
  line: number;
  specifier: string;
  target: string;
  reason: string;
}

/** Every import that would dangle after some prune. */
export function boundaryViolations(graph: ImportGraph, manifests: LoadedManifest[], read: (f: string) => string): Violation[] {
  const byKey = new Map(manifests.map((m) => [m.key, m]));
  const closure = (keys: string[]): Set<string> => {
    const out = new Set<string>();
    const queue = [...keys];
    while (queue.length) {
      const k = queue.shift()!;
      if (out.has(k) || !byKey.has(k)) continue;
      out.add(k);
      queue.push(...byKey.get(k)!.requires);
    }
    return out;
  };
  // Whether B survives every prune that keeps exactly the providers in K (K closed under requires).
  const keptUnder = (owner: Owner, keep: Set<string>) =>
    owner.kind === "provider"
      ? keep.has(owner.key)
      : owner.kind === "counterpart"
        ? manifests.some((m) => keep.has(m.key) && m.counterparts.includes(owner.name))
        : true;
  // The smallest sets of providers under which A survives (one per way A can be kept).
  const minimalKeeps = (owner: Owner): Set<string>[] | null => {
    if (owner.kind === "provider") return [closure([owner.key])];
    if (owner.kind === "counterpart") return manifests.filter((m) => m.counterparts.includes(owner.name)).map((m) => closure([m.key]));
    if (owner.kind === "spec") return [closure(owner.keys)];
    return null; // core: survives every prune
  };

  const ownerOf = makeOwnerOf(manifests, graph.files, read);
  const violations: Violation[] = [];
  for (const [from, edges] of graph.edges) {
    const a = ownerOf(from);
    for (const edge of edges) {
      if (!edge.target) continue;
      const b = ownerOf(edge.target);
      if (b.kind === "core" || b.kind === "registry") continue;
      if (a.kind === "provider" && b.kind === "provider" && a.key === b.key) continue;
      if (a.kind === "counterpart" && b.kind === "counterpart" && a.name === b.name) continue;
      if (a.kind === "registry") {
        // A registry imports its own kind's providers (or counterparts): exactly the lines prune deletes.
        const reg = registryFiles([a.file])[0]!;
        const ok =
          b.kind === "counterpart" ? reg.counterparts : b.kind === "provider" ? reg.kinds.some((k) => b.key.startsWith(`${k}/`)) : false;
        if (!ok)
          violations.push({
            from,
            line: edge.line,
            specifier: edge.specifier,
            target: edge.target,
            reason: `registry ${a.file} imports ${describe(b)}, which is not of its kind`,
          });
        continue;
      }
      const keeps = minimalKeeps(a);
      const bad = keeps === null ? "core code (kept by every prune)" : keeps.find((k) => !keptUnder(b, k)) ? describe(a) : undefined;
      if (bad)
        violations.push({
          from,
          line: edge.line,
          specifier: edge.specifier,
          target: edge.target,
          reason: `${bad} imports ${describe(b)}, which prune may remove while keeping the importer`,
        });
    }
  }
  return violations;
}

function describe(owner: Owner): string {
  switch (owner.kind) {
    case "provider":
      return `provider ${owner.key}`;
    case "counterpart":
      return `counterpart ${owner.name}`;
    case "spec":
      return `a spec for ${owner.keys.join(" + ")}`;
    case "registry":
      return `registry ${owner.file}`;
    default:
      return "core code";
  }
}

export const formatViolation = (v: Violation) => `${v.from}:${v.line} → "${v.specifier}" (${v.target}): ${v.reason}`;
