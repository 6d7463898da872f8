// The pure parts of `npm run prune` (scripts/prune.ts): reading the provider manifests, choosing
// what to keep, and computing every edit as text → text, so the whole plan is known (and
// checked) before a single file changes. The conventions it relies on are written down in
// docs/adding-a-provider.md; the registry line format in particular is what keeps the edits to
// "delete these lines".
import { existsSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { COUNTERPARTS_DIR, isSourceFile, parseImports, resolveSpecifier } from "./import-graph";

export type ProviderKind = "identity" | "wallet";
export const KINDS: readonly ProviderKind[] = ["identity", "wallet"];
/** providers/<folder>/<id>/: the folder of each kind. */
export const KIND_FOLDERS: Record<ProviderKind, string> = { identity: "providers/identity", wallet: "providers/wallets" };

export interface Manifest {
  kind: ProviderKind;
  id: string;
  title: string;
  /** Other providers ("identity/firebase") this one imports; kept whenever this one is. */
  requires: string[];
  /** packages/counterparts/<name> folders it needs in development and tests. */
  counterparts: string[];
  /** Files and folders outside its own folder that belong to it (route handlers, docs pages). */
  paths: string[];
  /** npm packages it uses that the core does not; dropped once no remaining file imports them. */
  dependencies: string[];
}

export interface LoadedManifest extends Manifest {
  /** "wallet/moojo" */
  key: string;
  /** "providers/wallets/moojo" */
  dir: string;
}

export class PruneError extends Error {}

const ID = /^[a-z][a-z0-9-]*$/;
const stringList = (value: unknown, field: string, file: string): string[] => {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string"))
    throw new PruneError(`${file}: "${field}" must be a list of strings`);
  return value as string[];
};

/** Checks one manifest's shape against the folder it sits in. */
export function parseManifest(file: string, text: string): LoadedManifest {
  const match = /^providers\/(identity|wallets)\/([^/]+)\/provider\.json$/.exec(file);
  if (!match) throw new PruneError(`${file}: a provider.json belongs in providers/identity/<id>/ or providers/wallets/<id>/`);
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new PruneError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const kind = match[1] === "identity" ? "identity" : "wallet";
  if (raw.kind !== kind) throw new PruneError(`${file}: "kind" must be "${kind}" (the folder it is in)`);
  if (raw.id !== match[2] || !ID.test(match[2]!))
    throw new PruneError(`${file}: "id" must be "${match[2]}" (its folder name: lowercase letters, digits, dashes)`);
  if (typeof raw.title !== "string" || !raw.title) throw new PruneError(`${file}: "title" is missing`);
  const manifest: Manifest = {
    kind,
    id: match[2]!,
    title: raw.title,
    requires: stringList(raw.requires, "requires", file),
    counterparts: stringList(raw.counterparts, "counterparts", file),
    paths: stringList(raw.paths, "paths", file),
    dependencies: stringList(raw.dependencies, "dependencies", file),
  };
  for (const p of manifest.paths) {
    if (p.startsWith("/") || p.split("/").includes("..") || p.startsWith("providers/") || p === "")
      throw new PruneError(`${file}: path "${p}" must be repository-relative and outside providers/`);
  }
  return { ...manifest, key: `${kind}/${manifest.id}`, dir: `${KIND_FOLDERS[kind]}/${manifest.id}` };
}

/** Every manifest among `files`, checked together: unique ids, `requires` naming real providers. */
export function loadManifests(files: string[], read: (file: string) => string): LoadedManifest[] {
  const manifests = files
    .filter((f) => /^providers\/(identity|wallets)\/[^/]+\/provider\.json$/.test(f))
    .map((f) => parseManifest(f, read(f)));
  const byId = new Map<string, LoadedManifest>();
  for (const m of manifests) {
    // Ids are unique across kinds, so registry keys and markers never need the kind to be unambiguous.
    const other = byId.get(m.id);
    if (other) throw new PruneError(`two providers are called "${m.id}" (${other.dir} and ${m.dir}); ids must be unique across kinds`);
    byId.set(m.id, m);
  }
  const keys = new Set(manifests.map((m) => m.key));
  for (const m of manifests)
    for (const r of m.requires)
      if (!keys.has(r))
        throw new PruneError(`${m.dir}/provider.json: requires "${r}", which is not a provider (known: ${[...keys].sort().join(", ")})`);
  // Provider folders without a manifest would be invisible to prune: refuse rather than guess.
  const dirs = new Set(files.map((f) => /^(providers\/(?:identity|wallets)\/[^/]+)\//.exec(f)?.[1]).filter((d): d is string => Boolean(d)));
  for (const dir of dirs)
    if (!manifests.some((m) => m.dir === dir))
      throw new PruneError(`${dir}/ has no provider.json (every provider folder needs one: docs/adding-a-provider.md)`);
  return manifests.sort((a, b) => a.key.localeCompare(b.key));
}

export interface Selection {
  kept: LoadedManifest[];
  removed: LoadedManifest[];
  /** Lines for the report: which providers are kept only because another one requires them. */
  notes: string[];
}

/**
 * Which providers stay. `wanted[kind]` undefined keeps every provider of that kind; a kept
 * provider's `requires` stay too (transitively), and the notes say why.
 */
export function resolveSelection(manifests: LoadedManifest[], wanted: Partial<Record<ProviderKind, string[]>>): Selection {
  const byKey = new Map(manifests.map((m) => [m.key, m]));
  const keep = new Set<string>();
  const notes: string[] = [];
  for (const kind of KINDS) {
    const ids = wanted[kind];
    const ofKind = manifests.filter((m) => m.kind === kind);
    if (ids === undefined) {
      for (const m of ofKind) keep.add(m.key);
      if (ofKind.length) notes.push(`keeping every ${kind} provider (no --${kind} given)`);
      continue;
    }
    if (ids.length === 0)
      throw new PruneError(`--${kind} needs at least one id (${kind} providers: ${ofKind.map((m) => m.id).join(", ")})`);
    for (const id of ids) {
      const m = ofKind.find((x) => x.id === id);
      if (!m) {
        const elsewhere = manifests.find((x) => x.id === id);
        const hint = elsewhere ? ` ("${id}" is a ${elsewhere.kind} provider)` : "";
        throw new PruneError(`unknown ${kind} provider "${id}"${hint}; the ${kind} providers are: ${ofKind.map((x) => x.id).join(", ")}`);
      }
      keep.add(m.key);
    }
  }
  // Close over `requires`, breadth first, so each note names the provider that asked first.
  const queue = [...keep];
  while (queue.length) {
    const key = queue.shift()!;
    for (const r of byKey.get(key)!.requires) {
      if (keep.has(r)) continue;
      keep.add(r);
      queue.push(r);
      notes.push(`keeping ${r}: ${key} requires it`);
    }
  }
  return { kept: manifests.filter((m) => keep.has(m.key)), removed: manifests.filter((m) => !keep.has(m.key)), notes };
}

/** Counterparts to delete: named by a removed provider and by no kept one. */
export function counterpartsToRemove(selection: Selection): string[] {
  const needed = new Set(selection.kept.flatMap((m) => m.counterparts));
  return [...new Set(selection.removed.flatMap((m) => m.counterparts))].filter((c) => !needed.has(c)).sort();
}

const inside = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);

export interface RegistryEdit {
  text: string;
  removed: string[];
}

/**
 * Deletes a removed provider's lines from one registry file: import lines whose specifier points
 * into a removed folder, and entry lines `<key>:` for a removed key. Throws when the file
 * still names a removed folder afterwards, or when an entry spans several lines: the file is not
 * in the one-line-per-provider format (docs/adding-a-provider.md), and deleting lines would
 * leave it broken.
 */
export function editRegistry(
  file: string,
  text: string,
  removedDirs: string[],
  removedKeys: string[],
  exists: (p: string) => boolean,
): RegistryEdit {
  const into = (specifier: string) => {
    const target = resolveSpecifier(file, specifier, exists);
    return target !== undefined && removedDirs.some((d) => inside(target, d));
  };
  const keys = new Set(removedKeys);
  const removed: string[] = [];
  const lines = text.split("\n");
  const kept = lines.filter((line, i) => {
    const imp = /^\s*import\s+(?:type\s+)?(?:[^"']*?\s+from\s+)?["']([^"']+)["'];?\s*(?:\/\/.*)?$/.exec(line);
    if (imp && into(imp[1]!)) {
      removed.push(line.trim());
      return false;
    }
    // `<key>: value,` or the shorthand `<key>,` (an identifier key only).
    const entry = /^\s*(["']?)([A-Za-z0-9_/-]+)\1\s*:/.exec(line) ?? /^\s*()([A-Za-z_$][\w$]*)\s*,?\s*(?:\/\/.*)?$/.exec(line);
    if (entry && keys.has(entry[2]!)) {
      if (bracketBalance(line) !== 0)
        throw new PruneError(
          `${file}:${i + 1}: the entry for "${entry[2]}" spans several lines; write it on one line (registry line format, docs/adding-a-provider.md)`,
        );
      removed.push(line.trim());
      return false;
    }
    return true;
  });
  const out = kept.join("\n");
  // Any string literal left that points into a removed folder means a line prune cannot see.
  out.split("\n").forEach((line, i) => {
    for (const m of line.matchAll(/["'`]((?:\.{1,2}\/|@\/|@byo\/counterparts\/)[^"'`]*)["'`]/g)) {
      if (into(m[1]!))
        throw new PruneError(
          `${file}: a line other than its import and entry names a removed provider ("${m[1]}", near line ${i + 1}); registries hold one import line and one entry line per provider`,
        );
    }
  });
  return { text: out, removed };
}

/** ( [ { minus ) ] } outside string literals and line comments: 0 for a self-contained line. */
function bracketBalance(line: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "/" && line[i + 1] === "/") break;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
  }
  return depth;
}

/**
 * The providers an e2e spec (or a unit test that spans several providers) needs, from its first
 * line: `// providers: identity/oidc wallet/airkit`. Undefined when it declares none (it needs no
 * particular provider).
 */
export function specProviders(text: string): string[] | undefined {
  const first = text.split("\n", 1)[0] ?? "";
  const m = /^\/\/\s*providers:\s*(.*)$/.exec(first.trim());
  return m ? m[1]!.split(/[\s,]+/).filter(Boolean) : undefined;
}

// At the end of a line, or of a Markdown table row's last cell (`… <!-- provider:x --> |`, the
// form Prettier keeps).
const MARKER = /(?:<!--|#|\/\/)\s*((?:provider:(?:identity|wallet)\/[a-z0-9-]+[\s,]*)+)(?:-->)?\s*\|?\s*$/;

/**
 * Removes what a marker ties to removed providers, in any text file:
 * - a line that ENDS with a marker (`| AIR Kit | … <!-- provider:wallet/airkit --> |`) goes;
 * - a line that IS a marker (`# provider:wallet/airkit` alone) goes with the lines after it up
 *   to the next blank line, and that blank line (a block: an .env.example section, a paragraph).
 * A marker may name several providers; what it marks describes all of them, so it goes only
 * when every one is removed.
 */
export function removeMarked(text: string, isRemoved: (key: string) => boolean): { text: string; removed: number } {
  const lines = text.split("\n");
  const out: string[] = [];
  let removed = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = MARKER.exec(line);
    const keys = m ? [...m[1]!.matchAll(/provider:((?:identity|wallet)\/[a-z0-9-]+)/g)].map((x) => x[1]!) : [];
    if (!m || !keys.every(isRemoved)) {
      out.push(line);
      continue;
    }
    removed++;
    const alone = line.slice(0, m.index).trim() === "";
    if (!alone) continue;
    while (i + 1 < lines.length && lines[i + 1]!.trim() !== "") {
      i++;
      removed++;
    }
    if (i + 1 < lines.length) i++; // the blank line that ends the block
  }
  return { text: out.join("\n"), removed };
}

export const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"] as const;

/**
 * Removes `candidates` from a package.json's dependency lists, except those still used:
 * imported by a remaining file (`usedPackages`) or named in one of its scripts.
 */
export function pruneDependencies(
  pkg: Record<string, unknown>,
  candidates: Iterable<string>,
  usedPackages: Map<string, string>,
): { pkg: Record<string, unknown>; removed: string[]; keptBecause: string[] } {
  const copy = JSON.parse(JSON.stringify(pkg)) as Record<string, unknown>;
  const scripts = Object.values((copy.scripts as Record<string, string> | undefined) ?? {}).join("\n");
  const removed: string[] = [];
  const keptBecause: string[] = [];
  for (const name of new Set(candidates)) {
    const lists = DEPENDENCY_FIELDS.map((f) => copy[f] as Record<string, string> | undefined).filter((l) => l && name in l);
    if (!lists.length) continue;
    const user = usedPackages.get(name);
    if (user) {
      keptBecause.push(`${name} (still imported by ${user})`);
      continue;
    }
    if (new RegExp(`(^|[\\s/])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([\\s/@]|$)`, "m").test(scripts)) {
      keptBecause.push(`${name} (named in a package.json script)`);
      continue;
    }
    for (const list of lists) delete list![name];
    removed.push(name);
  }
  return { pkg: copy, removed, keptBecause };
}

/** Registry files: whose lines name providers of which kinds (or counterparts). */
export function registryFiles(files: string[]): { file: string; kinds: ProviderKind[]; counterparts: boolean }[] {
  const out: { file: string; kinds: ProviderKind[]; counterparts: boolean }[] = [];
  for (const file of files) {
    if (file === `${COUNTERPARTS_DIR}/registry.ts`) out.push({ file, kinds: [], counterparts: true });
    else if (file === "providers/config.ts") out.push({ file, kinds: [...KINDS], counterparts: false });
    else if (/^providers\/identity\/registry[^/]*\.tsx?$/.test(file)) out.push({ file, kinds: ["identity"], counterparts: false });
    else if (/^providers\/wallets\/registry[^/]*\.tsx?$/.test(file)) out.push({ file, kinds: ["wallet"], counterparts: false });
    else if (/^providers\/registry[^/]*\.tsx?$/.test(file)) out.push({ file, kinds: [...KINDS], counterparts: false });
  }
  return out.filter((r) => !/\.test\.tsx?$/.test(r.file));
}

export interface Plan {
  selection: Selection;
  counterparts: string[];
  /** Files and folders to delete (repository-relative), deepest last. */
  deletions: string[];
  /** Whole-file rewrites. */
  edits: { file: string; text: string; what: string[] }[];
  dependencyNotes: string[];
}

/** Computes everything prune would do, reading `root` but changing nothing. */
export function planPrune(root: string, files: string[], wanted: Partial<Record<ProviderKind, string[]>>): Plan {
  const read = (f: string) => readFileSync(join(root, f), "utf8");
  const manifests = loadManifests(files, read);
  if (!manifests.length) throw new PruneError("no provider.json found under providers/identity/*/ or providers/wallets/*/");
  const selection = resolveSelection(manifests, wanted);
  const counterparts = counterpartsToRemove(selection);
  const removedKeys = new Set(selection.removed.map((m) => m.key));
  const knownKeys = new Set(manifests.map((m) => m.key));

  const deletions = new Set<string>();
  const removedDirs: string[] = [];
  for (const m of selection.removed) {
    deletions.add(m.dir);
    removedDirs.push(m.dir);
    for (const p of m.paths) if (existsSync(join(root, p))) deletions.add(p);
    removedDirs.push(...m.paths);
  }
  const counterpartDirs = counterparts.map((c) => `${COUNTERPARTS_DIR}/${c}`);
  for (const d of counterpartDirs) if (existsSync(join(root, d))) deletions.add(d);
  removedDirs.push(...counterpartDirs);

  const edits: Plan["edits"] = [];
  const fileSet = new Set(files);
  const exists = (p: string) => fileSet.has(p) || existsSync(join(root, p));
  for (const spec of files.filter((f) => /^e2e\/.*\.spec\.ts$|\.test\.ts$/.test(f))) {
    const named = specProviders(read(spec));
    const gone = named?.filter((k) => removedKeys.has(k) || !knownKeys.has(k));
    if (gone?.length) {
      deletions.add(spec);
      removedDirs.push(spec);
    }
  }
  const isDeleted = (f: string) => removedDirs.some((d) => inside(f, d));
  const remaining = files.filter((f) => !isDeleted(f));

  for (const reg of registryFiles(remaining)) {
    const keys = reg.counterparts
      ? counterparts
      : selection.removed.filter((m) => reg.kinds.includes(m.kind)).flatMap((m) => [m.id, m.key]);
    const edit = editRegistry(reg.file, read(reg.file), removedDirs, keys, exists);
    if (edit.removed.length) edits.push({ file: reg.file, text: edit.text, what: edit.removed.map((l) => `- ${l}`) });
  }

  const registrySet = new Set(edits.map((e) => e.file));
  for (const file of remaining.filter((f) => !registrySet.has(f) && isMarkable(f))) {
    const text = read(file);
    if (!text.includes("provider:")) continue;
    const result = removeMarked(text, (k) => removedKeys.has(k));
    if (result.removed) edits.push({ file, text: result.text, what: [`${result.removed} marked line(s)`] });
  }

  // Dependencies: what the remaining source files import, as edited.
  const edited = new Map(edits.map((e) => [e.file, e.text]));
  const used = new Map<string, string>();
  for (const file of remaining.filter(isSourceFile)) {
    for (const edge of parseImports(file, edited.get(file) ?? read(file), exists))
      if (edge.packageName && !used.has(edge.packageName)) used.set(edge.packageName, file);
  }
  const candidates = selection.removed.flatMap((m) => m.dependencies);
  const dependencyNotes: string[] = [];
  for (const pkgFile of ["package.json", `${COUNTERPARTS_DIR}/package.json`].filter((f) => remaining.includes(f))) {
    const original = read(pkgFile);
    const result = pruneDependencies(JSON.parse(original) as Record<string, unknown>, candidates, used);
    if (result.removed.length)
      edits.push({ file: pkgFile, text: `${JSON.stringify(result.pkg, null, 2)}\n`, what: result.removed.map((d) => `- dependency ${d}`) });
    dependencyNotes.push(...result.keptBecause.map((k) => `${pkgFile}: keeping ${k}`));
  }

  return { selection, counterparts, deletions: [...deletions].sort(), edits, dependencyNotes };
}

/** Text files that may carry provider markers. */
export function isMarkable(file: string): boolean {
  const base = posix.basename(file);
  if (base === "package-lock.json" || base.endsWith(".json")) return false;
  return /\.(md|ts|tsx|mjs|sh|ya?ml|css)$/.test(base) || base.startsWith(".env");
}
