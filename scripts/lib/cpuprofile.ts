// Reads a V8 .cpuprofile (what `node --cpu-prof` writes) into self and total time by function and
// by module, the two views that say where a server's time goes without a flame-graph viewer.
//
// Format (Chrome DevTools Protocol, Profiler.Profile): `nodes` form the call tree (each with a
// callFrame and its children's ids), `samples[i]` is the node on top of the stack at sample i,
// and `timeDeltas[i]` the microseconds since the previous sample. A sample's time is charged as
// self time to its node and as total time to every distinct function (and module) on its stack:
// distinct, so a recursive function is not counted once per frame.
//
//   npx tsx scripts/lib/cpuprofile.ts <file.cpuprofile> [top=30] [function-name regex]
import { readFileSync } from "node:fs";

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Entry {
  name: string;
  /** Microseconds with this on top of the stack. */
  self: number;
  /** Microseconds with this anywhere on the stack. */
  total: number;
}

export interface ProfileSummary {
  /** Microseconds covered by samples. */
  sampled: number;
  /** Sampled time that was not idle: the denominator for percentages. */
  busy: number;
  functions: Entry[];
  modules: Entry[];
}

/** V8's pseudo-frames that are not code: the process waiting, or no JavaScript at all. */
const IDLE = new Set(["(idle)"]);

/** The module a frame belongs to: an npm package, a Next.js build chunk, Node's internals, or V8's own categories. */
export function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  // Node's own modules by subsystem (node:internal/webstreams/readablestream → node:webstreams).
  if (url.startsWith("node:")) return `node:${url.replace(/^node:(internal\/)?/, "").split("/")[0]}`;
  const path = url.replace(/^file:\/\//, "");
  // The last node_modules segment names the package (a bundled chunk may keep the path in its name).
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)(?!.*node_modules\/)/.exec(path)?.[1];
  if (pkg) return pkg;
  const chunk = /\.next\/(?:standalone\/\.next\/)?(server\/.*)$/.exec(path)?.[1];
  if (chunk) return `.next/${chunk}`;
  return path.split("/").slice(-2).join("/");
}

export function summariseCpuProfile(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const functionKey = (id: number) => {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (!url) return functionName || "(anonymous)";
    const where = url.startsWith("node:") ? url.replace(/^node:internal\//, "node:") : moduleOf(url, functionName);
    return `${functionName || "(anonymous)"} ${where}:${lineNumber + 1}`;
  };
  const moduleKey = (id: number) => {
    const { url, functionName } = byId.get(id)!.callFrame;
    return moduleOf(url, functionName);
  };
  // Per node, the distinct functions and modules on its stack (memoised: samples repeat nodes).
  const stacks = new Map<number, { functions: Set<string>; modules: Set<string> }>();
  const stackOf = (id: number): { functions: Set<string>; modules: Set<string> } => {
    const known = stacks.get(id);
    if (known) return known;
    const up = parent.get(id);
    const above = up === undefined ? { functions: new Set<string>(), modules: new Set<string>() } : stackOf(up);
    const mine = { functions: new Set(above.functions).add(functionKey(id)), modules: new Set(above.modules).add(moduleKey(id)) };
    stacks.set(id, mine);
    return mine;
  };

  const functions = new Map<string, Entry>();
  const modules = new Map<string, Entry>();
  const entry = (map: Map<string, Entry>, name: string) => {
    let e = map.get(name);
    if (!e) map.set(name, (e = { name, self: 0, total: 0 }));
    return e;
  };
  let sampled = 0;
  let busy = 0;
  profile.samples.forEach((id, i) => {
    // timeDeltas[i] is the gap before sample i; the time is charged to the sample that follows it.
    const dt = Math.max(0, profile.timeDeltas[i + 1] ?? 0);
    sampled += dt;
    const name = byId.get(id)!.callFrame.functionName;
    if (IDLE.has(name)) return;
    busy += dt;
    entry(functions, functionKey(id)).self += dt;
    entry(modules, moduleKey(id)).self += dt;
    const stack = stackOf(id);
    for (const f of stack.functions) entry(functions, f).total += dt;
    for (const m of stack.modules) entry(modules, m).total += dt;
  });
  const bySelf = (a: Entry, b: Entry) => b.self - a.self;
  return { sampled, busy, functions: [...functions.values()].sort(bySelf), modules: [...modules.values()].sort(bySelf) };
}

export function formatProfileSummary(summary: ProfileSummary, { top = 30 }: { top?: number } = {}): string {
  const pct = (us: number) => `${((100 * us) / Math.max(summary.busy, 1)).toFixed(1).padStart(5)}%`;
  const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
  const lines = [`sampled ${ms(summary.sampled)}, busy ${ms(summary.busy)} (percentages are of busy time)`, "", "by module (self, total):"];
  for (const m of summary.modules.slice(0, top)) lines.push(`  ${pct(m.self)} ${pct(m.total)}  ${m.name}`);
  lines.push("", "by function (self, total):");
  for (const f of summary.functions.slice(0, top)) lines.push(`  ${pct(f.self)} ${pct(f.total)}  ${f.name}`);
  lines.push("", "by function, total time (inclusive):");
  for (const f of [...summary.functions].sort((a, b) => b.total - a.total).slice(0, top))
    lines.push(`  ${pct(f.self)} ${pct(f.total)}  ${f.name}`);
  return lines.join("\n");
}

// CLI: the summary, or with a pattern, every function whose name matches it by total time.
if (process.argv[1] && /cpuprofile\.ts$/.test(process.argv[1])) {
  const [file, top, pattern] = process.argv.slice(2);
  if (!file) {
    console.error("usage: npx tsx scripts/lib/cpuprofile.ts <file.cpuprofile> [top=30] [function-name regex]");
    process.exit(2);
  }
  const summary = summariseCpuProfile(JSON.parse(readFileSync(file, "utf8")) as CpuProfile);
  if (pattern) {
    const re = new RegExp(pattern);
    const pct = (us: number) => `${((100 * us) / Math.max(summary.busy, 1)).toFixed(1).padStart(5)}%`;
    for (const f of [...summary.functions]
      .sort((a, b) => b.total - a.total)
      .filter((f) => re.test(f.name))
      .slice(0, Number(top ?? 30))) {
      console.log(`  ${pct(f.self)} ${pct(f.total)}  ${f.name}`);
    }
  } else {
    console.log(formatProfileSummary(summary, { top: Number(top ?? 30) }));
  }
}
