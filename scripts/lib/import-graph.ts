// The repository's module graph, read from source with the TypeScript parser (no type checker):
// every static import, `export … from`, side-effect import, dynamic `import()`, `require()` and
// `require.resolve()`, resolved to a repository file where it points into the repository
// ("@/…", relative, "@byo/counterparts/…"), or kept as a package name otherwise.
//
// Used by scripts/import-boundaries.test.ts (boundaries and cycles) and by scripts/prune.ts
// (which npm packages a file still uses).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, posix } from "node:path";
import ts from "typescript";

export type ImportKind = "static" | "dynamic" | "require";

export interface ImportEdge {
  /** The specifier as written. */
  specifier: string;
  /** Repository-relative path of the target file, when the specifier points into the repository. */
  target?: string;
  /** npm package name ("@scope/name" or "name") when the specifier is a bare package import. */
  packageName?: string;
  kind: ImportKind;
  /**
   * Erased when compiled: `import type`, `export type … from`, or a plain import whose bindings
   * are all used only in type positions (tsconfig has verbatimModuleSyntax off, so TypeScript
   * elides those). Type-only edges still break the type check when their target is deleted.
   */
  typeOnly: boolean;
  line: number;
}

export const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mjs"] as const;
const RESOLVE_SUFFIXES = ["", ".ts", ".tsx", ".mjs", ".js", ".d.ts", ".d.mts", ".json", "/index.ts", "/index.tsx", "/index.mjs"];

/** Where the counterparts workspace package lives; "@byo/counterparts/<x>" resolves into it. */
export const COUNTERPARTS_DIR = "packages/counterparts";
const COUNTERPARTS_PACKAGE = "@byo/counterparts";

/** Tracked files (git ls-files), or a walk of the tree when `root` is not a git work tree. */
export function listRepoFiles(root: string): string[] {
  try {
    const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    // --others: files a prune or a developer just added count too; deleted-but-tracked ones do not.
    return [...new Set(out.split("\0").filter(Boolean))].filter((f) => existsSync(join(root, f))).sort();
  } catch {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(join(root, dir))) {
        if (name === "node_modules" || name === ".git" || name === ".next" || name === ".data") continue;
        const rel = dir ? `${dir}/${name}` : name;
        if (statSync(join(root, rel)).isDirectory()) walk(rel);
        else files.push(rel);
      }
    };
    walk("");
    return files.sort();
  }
}

export const isSourceFile = (path: string) => SOURCE_EXTENSIONS.some((ext) => path.endsWith(ext)) && !path.endsWith(".d.ts");

/** "@scope/name/sub" → "@scope/name"; "name/sub" → "name"; node: builtins and relative paths → undefined. */
export function packageNameOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("@/") || specifier.startsWith("node:"))
    return undefined;
  const parts = specifier.split("/");
  if (specifier.startsWith("@")) return parts.length >= 2 ? `${parts[0]}/${parts[1]}` : undefined;
  return parts[0];
}

/**
 * The repository file a specifier points at, or undefined for packages. `exists` answers for
 * repository-relative paths (injected so tests can resolve against an in-memory tree).
 */
export function resolveSpecifier(fromFile: string, specifier: string, exists: (path: string) => boolean): string | undefined {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier === COUNTERPARTS_PACKAGE || specifier.startsWith(`${COUNTERPARTS_PACKAGE}/`))
    base = posix.join(COUNTERPARTS_DIR, specifier.slice(COUNTERPARTS_PACKAGE.length));
  else if (specifier.startsWith("./") || specifier.startsWith("../")) base = posix.join(posix.dirname(fromFile), specifier);
  else return undefined;
  base = posix.normalize(base).replace(/\/$/, "");
  // The package's own entry ("exports": { ".": "./main.ts" }).
  if (base === COUNTERPARTS_DIR && exists(`${COUNTERPARTS_DIR}/main.ts`)) return `${COUNTERPARTS_DIR}/main.ts`;
  // "./x.js" written for "./x.ts" (ESM style) resolves to the TypeScript source.
  const candidates = [
    base,
    ...RESOLVE_SUFFIXES.slice(1).map((s) => base + s),
    base.replace(/\.js$/, ".ts"),
    base.replace(/\.js$/, ".tsx"),
    base.replace(/\.mjs$/, ".mts"),
  ];
  for (const candidate of candidates) if (exists(candidate)) return candidate;
  // Points into the repository but at nothing: still report the intended path, so a boundary
  // check sees which folder it reaches into.
  return base;
}

/** Whether an identifier node sits in a type position (a type annotation, `typeof X` in a type, …). */
function inTypePosition(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isTypeNode(n) || ts.isTypeAliasDeclaration(n) || ts.isInterfaceDeclaration(n) || ts.isHeritageClause(n)) {
      // `class A extends B` is a value use; `implements` and interface `extends` are types.
      if (ts.isHeritageClause(n) && n.token === ts.SyntaxKind.ExtendsKeyword && ts.isClassLike(n.parent)) return false;
      if (
        ts.isExpressionWithTypeArguments(n) &&
        n.parent &&
        ts.isHeritageClause(n.parent) &&
        n.parent.token === ts.SyntaxKind.ExtendsKeyword &&
        ts.isClassLike(n.parent.parent)
      )
        return false;
      return true;
    }
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) return true;
  }
  return false;
}

/** Local names used at least once as a value (outside types and import/export clauses). */
function valueUses(source: ts.SourceFile): Set<string> {
  const used = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && !inTypePosition(node)) used.add(node.text);
    // `{ x }` shorthand and JSX tag names are identifiers too, so they are counted here.
    ts.forEachChild(node, visit);
  };
  visit(source);
  return used;
}

/** Parses one file's imports. `path` is repository-relative; `text` its contents. */
export function parseImports(path: string, text: string, exists: (path: string) => boolean): ImportEdge[] {
  const kind = path.endsWith(".tsx") ? ts.ScriptKind.TSX : path.endsWith(".mjs") ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  let uses: Set<string> | undefined;
  const edges: ImportEdge[] = [];
  const add = (specifier: string, node: ts.Node, edgeKind: ImportKind, typeOnly: boolean) => {
    const target = resolveSpecifier(path, specifier, exists);
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    edges.push({ specifier, target, packageName: target ? undefined : packageNameOf(specifier), kind: edgeKind, typeOnly, line });
  };

  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      let typeOnly = false;
      if (clause) {
        if (clause.isTypeOnly) typeOnly = true;
        else {
          const names: string[] = [];
          if (clause.name) names.push(clause.name.text);
          const bindings = clause.namedBindings;
          if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
          if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) if (!el.isTypeOnly) names.push(el.name.text);
          uses ??= valueUses(source);
          typeOnly = !names.some((name) => uses!.has(name));
        }
      }
      add(node.moduleSpecifier.text, node, "static", typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly =
        node.isTypeOnly ||
        Boolean(
          node.exportClause &&
          ts.isNamedExports(node.exportClause) &&
          node.exportClause.elements.length > 0 &&
          node.exportClause.elements.every((e) => e.isTypeOnly),
        );
      add(node.moduleSpecifier.text, node, "static", typeOnly);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      add(node.moduleReference.expression.text, node, "require", node.isTypeOnly);
    } else if (ts.isCallExpression(node)) {
      const [arg] = node.arguments;
      const literal = arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) ? arg.text : undefined;
      if (literal !== undefined) {
        if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(literal, node, "dynamic", false);
        else if (ts.isIdentifier(node.expression) && node.expression.text === "require") add(literal, node, "require", false);
        else if (
          ts.isPropertyAccessExpression(node.expression) &&
          ts.isIdentifier(node.expression.expression) &&
          node.expression.expression.text === "require" &&
          node.expression.name.text === "resolve"
        )
          add(literal, node, "require", false);
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      // `typeof import("x")` in a type.
      add(node.argument.literal.text, node, "static", true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

export interface ImportGraph {
  files: string[];
  edges: Map<string, ImportEdge[]>;
}

/** Parses every .ts/.tsx/.mjs file of `files` (repository-relative) under `root`. */
export function buildImportGraph(root: string, files: string[] = listRepoFiles(root)): ImportGraph {
  const known = new Set(files);
  // Directories count as existing too ("./x" → "./x/index.ts" is tried separately).
  const exists = (p: string) => known.has(p);
  const sources = files.filter(isSourceFile);
  const edges = new Map<string, ImportEdge[]>();
  for (const file of sources) edges.set(file, parseImports(file, readFileSync(join(root, file), "utf8"), exists));
  return { files: sources, edges };
}

/**
 * One cycle per strongly connected component of the runtime graph (every edge except type-only
 * ones), the shortest through the component's first file. Dynamic `import()` counts: it cannot
 * see a half-initialised module, but two modules that load each other are still one module in
 * two files (sandboxes/main.ts ⇄ scripts/lib/stack.ts was such a pair, through `import()`).
 */
export function findCycles(graph: ImportGraph): string[][] {
  const next = new Map<string, string[]>();
  for (const [file, list] of graph.edges) {
    const targets = list.filter((e) => !e.typeOnly && e.target && graph.edges.has(e.target)).map((e) => e.target!);
    next.set(file, [...new Set(targets)]);
  }
  // Tarjan's strongly connected components, iterative (deep graphs must not blow the stack).
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  for (const start of [...next.keys()].sort()) {
    if (indices.has(start)) continue;
    const work: { node: string; i: number }[] = [{ node: start, i: 0 }];
    indices.set(start, index);
    low.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const succ = next.get(frame.node) ?? [];
      if (frame.i < succ.length) {
        const w = succ[frame.i++]!;
        if (!indices.has(w)) {
          indices.set(w, index);
          low.set(w, index++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) low.set(frame.node, Math.min(low.get(frame.node)!, indices.get(w)!));
      } else {
        work.pop();
        if (work.length) {
          const parent = work[work.length - 1]!.node;
          low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
        }
        if (low.get(frame.node) === indices.get(frame.node)) {
          const component: string[] = [];
          let w: string;
          do {
            w = stack.pop()!;
            onStack.delete(w);
            component.push(w);
          } while (w !== frame.node);
          const selfLoop = component.length === 1 && succ.includes(frame.node);
          if (component.length > 1 || selfLoop) components.push(component.sort());
        }
      }
    }
  }
  // One concrete cycle per component, found by breadth-first search back to its first file.
  return components.map((component) => {
    const members = new Set(component);
    const first = component[0]!;
    const previous = new Map<string, string>();
    const queue = [first];
    while (queue.length) {
      const node = queue.shift()!;
      for (const w of next.get(node) ?? []) {
        if (!members.has(w)) continue;
        if (w === first) {
          const path = [node];
          while (path[0] !== first) path.unshift(previous.get(path[0]!)!);
          return [...path, first];
        }
        if (!previous.has(w)) {
          previous.set(w, node);
          queue.push(w);
        }
      }
    }
    return [...component, first];
  });
}
