/**
 * The package's boundaries, read from its sources: the counterparts never import the app ("@/…"
 * or a relative path that leaves the package), every package they import is declared in this
 * package's package.json (or is a Node built-in), and the runtime imports between its own
 * modules form no cycle (type-only imports are erased, so they cannot make one).
 */
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies?: object; devDependencies?: object };
const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    // The Firebase emulator's own install (firebase/emulator) is not source of this package.
    if (entry.isDirectory()) return entry.name === "node_modules" || full === path.join(ROOT, "firebase", "emulator") ? [] : sources(full);
    // This file is left out: its self-check below holds import statements inside strings.
    return /\.(ts|tsx|mts|js|mjs)$/.test(entry.name) && full !== fileURLToPath(import.meta.url) ? [full] : [];
  });
}

interface Import {
  specifier: string;
  typeOnly: boolean;
}

/** Static imports and re-exports (`import … from`, `export … from`, `import "x"`) and `import("x")`. */
function importsOf(source: string): Import[] {
  const found: Import[] = [];
  const text = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^;'"]*?\s+from\s+)?["']([^"']+)["']/gm)) {
    found.push({ specifier: m[3]!, typeOnly: Boolean(m[2]) });
  }
  for (const m of text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) found.push({ specifier: m[1]!, typeOnly: false });
  return found;
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

function resolveRelative(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.d.ts`, path.join(base, "index.ts")]) {
    try {
      if (readdirSync(path.dirname(candidate)).includes(path.basename(candidate))) {
        if (candidate === base && !/\.(ts|js|mjs)$/.test(base)) continue;
        return candidate;
      }
    } catch {
      // not a directory
    }
  }
  return base;
}

const files = sources(ROOT);
const graph = new Map<string, string[]>();
const violations: string[] = [];
for (const file of files) {
  const rel = path.relative(ROOT, file);
  const edges: string[] = [];
  for (const { specifier, typeOnly } of importsOf(readFileSync(file, "utf8"))) {
    if (specifier.startsWith("@/")) violations.push(`${rel} imports the app: ${specifier}`);
    else if (specifier.startsWith(".")) {
      const target = resolveRelative(file, specifier);
      if (path.relative(ROOT, target).startsWith("..")) violations.push(`${rel} imports outside the package: ${specifier}`);
      else if (!typeOnly) edges.push(target);
    } else if (!specifier.startsWith("node:") && !builtinModules.includes(specifier) && !declared.has(packageName(specifier))) {
      violations.push(`${rel} imports ${specifier}, which package.json does not declare`);
    }
  }
  graph.set(file, edges);
}

function cycles(): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next].map((f) => path.relative(ROOT, f)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe("the counterparts package", () => {
  it("reads its own sources (the scan is not empty)", () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.map((f) => path.relative(ROOT, f))).toContain(path.join("lib", "http.ts"));
    expect(importsOf('import type { A } from "./a";\nexport { b } from "../b";\nconst c = await import("@/c");')).toEqual([
      { specifier: "./a", typeOnly: true },
      { specifier: "../b", typeOnly: false },
      { specifier: "@/c", typeOnly: false },
    ]);
  });

  it("imports nothing from the app or outside itself, and only packages it declares", () => {
    expect(violations).toEqual([]);
  });

  it("has no cycle among the runtime imports of its modules", () => {
    expect(cycles()).toEqual([]);
  });
});
