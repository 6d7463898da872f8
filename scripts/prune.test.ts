// npm run prune on small trees in temp folders: the pure steps one by one (registry lines,
// manifests and the kept set, markers, dependencies, the boundary rule, the import parser),
// then the command end to end (what it deletes and edits, dry run, dirty tree, idempotence).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { boundaryViolations } from "./lib/boundaries";
import { buildImportGraph, findCycles, listRepoFiles, parseImports } from "./lib/import-graph";
import {
  counterpartsToRemove,
  editRegistry,
  loadManifests,
  parseManifest,
  pruneDependencies,
  removeMarked,
  resolveSelection,
  specProviders,
  type LoadedManifest,
} from "./lib/prune";
import { copyTree } from "./lib/scratch-copy";
import { main, parseArgs } from "./prune";

const manifest = (kind: "identity" | "wallet", id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ kind, id, title: id, ...extra });
const folder = (kind: "identity" | "wallet") => (kind === "identity" ? "providers/identity" : "providers/wallets");
function manifests(list: ["identity" | "wallet", string, Record<string, unknown>?][]): LoadedManifest[] {
  const files = Object.fromEntries(list.map(([k, id, extra]) => [`${folder(k)}/${id}/provider.json`, manifest(k, id, extra)]));
  return loadManifests(Object.keys(files), (f) => files[f]!);
}

const SIX = manifests([
  ["identity", "oidc", { counterparts: ["oidc"] }],
  ["identity", "password", { counterparts: ["mailbox"], paths: ["app/api/password"] }],
  ["identity", "firebase", { counterparts: ["firebase"], dependencies: ["firebase"] }],
  ["wallet", "airkit", { counterparts: ["airkit", "mailbox"], dependencies: ["@mocanetwork/airkit"] }],
  ["wallet", "moojo", { requires: ["identity/firebase"], counterparts: ["moojo", "firebase"] }],
  ["wallet", "turnkey", { counterparts: ["turnkey", "mailbox"] }],
]);

describe("manifests", () => {
  it("must match the folder they sit in", () => {
    expect(() => parseManifest("providers/wallets/airkit/provider.json", manifest("identity", "airkit"))).toThrow(
      /"kind" must be "wallet"/,
    );
    expect(() => parseManifest("providers/wallets/airkit/provider.json", manifest("wallet", "air"))).toThrow(/"id" must be "airkit"/);
    expect(() => parseManifest("providers/wallets/airkit/provider.json", manifest("wallet", "airkit", { paths: ["../x"] }))).toThrow(
      /repository-relative/,
    );
    expect(parseManifest("providers/wallets/airkit/provider.json", manifest("wallet", "airkit")).dir).toBe("providers/wallets/airkit");
  });

  it("refuse a duplicate id across kinds, an unknown `requires`, and a provider folder without one", () => {
    expect(() =>
      manifests([
        ["identity", "acme"],
        ["wallet", "acme"],
      ]),
    ).toThrow(/two providers are called "acme"/);
    expect(() => manifests([["wallet", "moojo", { requires: ["identity/firebase"] }]])).toThrow(
      /requires "identity\/firebase", which is not a provider/,
    );
    const files = { "providers/wallets/a/provider.json": manifest("wallet", "a"), "providers/wallets/b/index.ts": "" };
    expect(() => loadManifests(Object.keys(files), (f) => files[f as keyof typeof files])).toThrow(
      /providers\/wallets\/b\/ has no provider.json/,
    );
  });
});

describe("choosing what to keep", () => {
  it("keeps the named providers and removes the others", () => {
    const s = resolveSelection(SIX, { identity: ["password"], wallet: ["airkit"] });
    expect(s.kept.map((m) => m.key)).toEqual(["identity/password", "wallet/airkit"]);
    expect(s.removed.map((m) => m.key)).toEqual(["identity/firebase", "identity/oidc", "wallet/moojo", "wallet/turnkey"]);
  });

  it("keeps what a kept provider requires, and says so", () => {
    const s = resolveSelection(SIX, { identity: ["password"], wallet: ["moojo"] });
    expect(s.kept.map((m) => m.key)).toEqual(["identity/firebase", "identity/password", "wallet/moojo"]);
    expect(s.notes).toEqual(["keeping identity/firebase: wallet/moojo requires it"]);
  });

  it("names the valid ids when one is unknown, and the other kind when it is of the other kind", () => {
    expect(() => resolveSelection(SIX, { wallet: ["airkt"] })).toThrow(
      'unknown wallet provider "airkt"; the wallet providers are: airkit, moojo, turnkey',
    );
    expect(() => resolveSelection(SIX, { wallet: ["oidc"] })).toThrow(/"oidc" is a identity provider/);
    expect(() => resolveSelection(SIX, { wallet: [] })).toThrow(/needs at least one id/);
  });

  it("keeps a whole kind that is not named", () => {
    const s = resolveSelection(SIX, { wallet: ["turnkey"] });
    expect(s.kept.filter((m) => m.kind === "identity")).toHaveLength(3);
    expect(s.notes).toContain("keeping every identity provider (no --identity given)");
  });

  it("keeps a counterpart that a kept provider still names (the mailbox)", () => {
    expect(counterpartsToRemove(resolveSelection(SIX, { identity: ["password"], wallet: ["airkit"] }))).toEqual([
      "firebase",
      "moojo",
      "oidc",
      "turnkey",
    ]);
    expect(counterpartsToRemove(resolveSelection(SIX, { identity: ["oidc"], wallet: ["moojo"] }))).toEqual([
      "airkit",
      "mailbox",
      "turnkey",
    ]);
  });
});

describe("registry lines", () => {
  const registry = [
    'import type { WalletProvider } from "@/lib/wallets/types";',
    'import { airkit } from "./airkit";',
    'import { moojo } from "./moojo/index";',
    "",
    "// One line per wallet provider.",
    "export const wallets: Record<string, WalletProvider> = {",
    "  airkit,",
    "  moojo: moojo,",
    '  "turnkey": { load: () => import("./turnkey/client") },',
    "};",
  ].join("\n");
  const exists = () => false;

  it("deletes exactly the import line and the entry line of each removed provider", () => {
    const out = editRegistry(
      "providers/wallets/registry.ts",
      registry,
      ["providers/wallets/moojo", "providers/wallets/turnkey"],
      ["moojo", "turnkey"],
      exists,
    );
    expect(out.text).toBe(
      registry
        .split("\n")
        .filter((l) => !/moojo|turnkey/.test(l))
        .join("\n"),
    );
    expect(out.removed).toEqual([
      'import { moojo } from "./moojo/index";',
      "moojo: moojo,",
      '"turnkey": { load: () => import("./turnkey/client") },',
    ]);
    // Idempotent: nothing left to remove.
    expect(editRegistry("providers/wallets/registry.ts", out.text, ["providers/wallets/moojo"], ["moojo"], exists).text).toBe(out.text);
  });

  it("matches a `<kind>/<id>` key and imports that reach the folder from elsewhere (providers/config.ts)", () => {
    const config = ['import { moojo } from "./wallets/moojo/config";', "export const fragments = {", '  "wallet/moojo": moojo,', "};"].join(
      "\n",
    );
    expect(editRegistry("providers/config.ts", config, ["providers/wallets/moojo"], ["moojo", "wallet/moojo"], exists).text).toBe(
      "export const fragments = {\n};",
    );
  });

  it("refuses a registry that is not in the one-line format, rather than break it", () => {
    const multiLine = ["const wallets = {", "  moojo: {", '    load: () => import("./moojo/client"),', "  },", "};"].join("\n");
    expect(() => editRegistry("providers/wallets/registry.ts", multiLine, ["providers/wallets/moojo"], ["moojo"], exists)).toThrow(
      /spans several lines/,
    );
    const stray = ['import { moojo } from "./moojo";', 'export const extra = () => import("./moojo/connect");'].join("\n");
    expect(() => editRegistry("providers/wallets/registry.ts", stray, ["providers/wallets/moojo"], ["moojo"], exists)).toThrow(
      /a line other than its import and entry names a removed provider/,
    );
  });
});

describe("markers", () => {
  const removed = (k: string) => k === "wallet/airkit" || k === "wallet/moojo";

  it("remove a marked line, or a marked block up to its blank line", () => {
    const text = [
      "| wallet | guide |",
      "| --- | --- |",
      "| AIR Kit | a | <!-- provider:wallet/airkit -->",
      "| Turnkey | t | <!-- provider:wallet/turnkey -->",
      "",
      "# provider:wallet/airkit",
      "# AIRKIT_PARTNER_ID=",
      "# AIRKIT_API_URL=",
      "",
      "# provider:wallet/turnkey",
      "# TURNKEY_API_URL=",
      "",
    ].join("\n");
    const out = removeMarked(text, removed);
    expect(out.text).toBe(
      [
        "| wallet | guide |",
        "| --- | --- |",
        "| Turnkey | t | <!-- provider:wallet/turnkey -->",
        "",
        "# provider:wallet/turnkey",
        "# TURNKEY_API_URL=",
        "",
      ].join("\n"),
    );
    expect(out.removed).toBe(4); // the table row, and the block's marker and two lines
    expect(removeMarked(out.text, removed).removed).toBe(0);
  });

  it("remove a table row whose marker ends its last cell (the form Prettier keeps)", () => {
    const text = [
      "| wallet | guide |",
      "| --- | --- |",
      "| AIR Kit | a <!-- provider:wallet/airkit --> |",
      "| Turnkey | t <!-- provider:wallet/turnkey --> |",
    ].join("\n");
    expect(removeMarked(text, removed).text).toBe(
      ["| wallet | guide |", "| --- | --- |", "| Turnkey | t <!-- provider:wallet/turnkey --> |"].join("\n"),
    );
  });

  it("keep a line that names several providers until all of them are removed", () => {
    expect(removeMarked("both <!-- provider:wallet/airkit provider:wallet/turnkey -->", removed).removed).toBe(0);
    expect(removeMarked("both <!-- provider:wallet/airkit provider:wallet/moojo -->", removed).text).toBe("");
  });

  it("read an e2e spec's header from its first line only", () => {
    expect(specProviders("// providers: identity/oidc wallet/airkit\nimport x;")).toEqual(["identity/oidc", "wallet/airkit"]);
    expect(specProviders("import x;\n// providers: identity/oidc")).toBeUndefined();
  });
});

describe("dependencies", () => {
  const pkg = {
    scripts: { emu: "firebase emulators:start" },
    dependencies: { "@mocanetwork/airkit": "1", firebase: "1", jose: "6" },
    devDependencies: { "firebase-tools": "1", viem: "2" },
  };

  it("drops a removed provider's packages that no remaining file imports or script names", () => {
    const used = new Map([["viem", "lib/wallets/signing/verify.ts"]]);
    const out = pruneDependencies(pkg, ["@mocanetwork/airkit", "viem", "firebase-tools", "not-listed"], used);
    expect(out.removed).toEqual(["@mocanetwork/airkit", "firebase-tools"]);
    expect(out.keptBecause).toEqual(["viem (still imported by lib/wallets/signing/verify.ts)"]);
    expect(out.pkg.dependencies).toEqual({ firebase: "1", jose: "6" });
    expect(out.pkg.devDependencies).toEqual({ viem: "2" });
    expect(pkg.dependencies).toHaveProperty("@mocanetwork/airkit"); // the input is not changed
  });

  it("keeps a package a script names", () => {
    expect(pruneDependencies(pkg, ["firebase"], new Map()).keptBecause).toEqual(["firebase (named in a package.json script)"]);
  });
});

describe("the import parser", () => {
  const exists = (p: string) =>
    ["lib/a.ts", "lib/b.tsx", "packages/counterparts/mailbox/index.ts", "packages/counterparts/main.ts"].includes(p);

  it("finds every kind of import and resolves @/, relative and @byo/counterparts paths", () => {
    const text = [
      'import type { A } from "./a";',
      'import { B } from "@/lib/b";',
      'import { T } from "./a";',
      'export { x } from "./a";',
      'import "server-only";',
      'const m = await import("@byo/counterparts/mailbox");',
      'const p = require.resolve("firebase-tools/package.json");',
      'import { startCounterparts } from "@byo/counterparts";',
      "const b: T = B;",
    ].join("\n");
    const edges = parseImports("lib/c.ts", text, exists).map((e) => [e.specifier, e.target ?? e.packageName, e.kind, e.typeOnly]);
    expect(edges).toEqual([
      ["./a", "lib/a.ts", "static", true],
      ["@/lib/b", "lib/b.tsx", "static", false],
      ["./a", "lib/a.ts", "static", true], // T is only used as a type: TypeScript erases the import
      ["./a", "lib/a.ts", "static", false],
      ["server-only", "server-only", "static", false],
      ["@byo/counterparts/mailbox", "packages/counterparts/mailbox/index.ts", "dynamic", false],
      ["firebase-tools/package.json", "firebase-tools", "require", false],
      ["@byo/counterparts", "packages/counterparts/main.ts", "static", true], // imported, never used
    ]);
  });

  it("counts a JSX tag as a value use", () => {
    expect(parseImports("lib/c.tsx", 'import { B } from "./b";\nexport const x = <B />;', (p) => p === "lib/b.tsx")[0]!.typeOnly).toBe(
      false,
    );
  });
});

const tempDirs: string[] = [];
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "prune-test-"));
  tempDirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
afterEach(() => {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
  vi.restoreAllMocks();
});

describe("cycles and boundaries on a small tree", () => {
  it("finds a runtime cycle, ignores a type-only one", () => {
    const root = tree({
      "a.ts": 'import { b } from "./b";\nexport const a = () => b;',
      "b.ts": 'import { a } from "./a";\nexport const b = () => a;',
      "c.ts": 'import type { D } from "./d";\nexport type C = D;\nexport const c = 1;',
      "d.ts": 'import { c } from "./c";\nexport type D = number;\nexport const d = c;',
    });
    expect(findCycles(buildImportGraph(root, listRepoFiles(root)))).toEqual([["a.ts", "b.ts", "a.ts"]]);
  });

  it("allows registries, declared dependents and what goes with a provider; flags the core and undeclared ones", () => {
    const files: Record<string, string> = {
      "providers/identity/firebase/provider.json": manifest("identity", "firebase", { counterparts: ["firebase"], paths: ["app/api/fb"] }),
      "providers/identity/firebase/bridge.ts": "export const bridge = 1;",
      "providers/wallets/moojo/provider.json": manifest("wallet", "moojo", {
        requires: ["identity/firebase"],
        counterparts: ["moojo", "mailbox"],
      }),
      "providers/wallets/moojo/index.ts": 'import { bridge } from "@/providers/identity/firebase/bridge";\nexport const m = bridge;',
      "providers/wallets/airkit/provider.json": manifest("wallet", "airkit", { counterparts: ["mailbox"] }),
      "providers/wallets/airkit/index.ts":
        'import { bridge } from "@/providers/identity/firebase/bridge";\nimport { mb } from "@byo/counterparts/mailbox";\nexport const a = [bridge, mb];',
      "providers/wallets/registry.ts": 'import { m } from "./moojo";\nexport const r = {\n  moojo: m,\n};',
      "app/api/fb/route.ts": 'import { bridge } from "@/providers/identity/firebase/bridge";\nexport const GET = bridge;',
      "lib/store.ts": 'import { bridge } from "@/providers/identity/firebase/bridge";\nexport const s = bridge;',
      "packages/counterparts/moojo/index.ts":
        'import { m } from "@/providers/wallets/moojo";\nimport { bridge } from "@/providers/identity/firebase/bridge";\nexport const c = [m, bridge];',
      "packages/counterparts/mailbox/index.ts": 'import { a } from "@/providers/wallets/airkit";\nexport const mb = a;',
      "packages/counterparts/lib/http.ts": "export const h = 1;",
      "e2e/moojo.spec.ts":
        '// providers: wallet/moojo\nimport { bridge } from "@/providers/identity/firebase/bridge";\nexport const t = bridge;',
    };
    const root = tree(files);
    const list = listRepoFiles(root);
    const read = (f: string) => readFileSync(join(root, f), "utf8");
    const found = boundaryViolations(buildImportGraph(root, list), loadManifests(list, read), read).map(
      (v) => `${v.from} → ${v.specifier}`,
    );
    expect(found.sort()).toEqual(
      [
        // moojo keeps the mailbox without airkit, so the mailbox may not import airkit
        "packages/counterparts/mailbox/index.ts → @/providers/wallets/airkit",
        // airkit does not declare firebase in `requires`
        "providers/wallets/airkit/index.ts → @/providers/identity/firebase/bridge",
        // the core never imports a provider
        "lib/store.ts → @/providers/identity/firebase/bridge",
      ].sort(),
    );
  });
});

describe("npm run prune, end to end", () => {
  const git = (root: string, ...args: string[]) =>
    execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  function starter(): string {
    const root = tree({
      "package.json": JSON.stringify({ name: "x", dependencies: { "@mocanetwork/airkit": "1", firebase: "1", jose: "6" } }, null, 2) + "\n",
      "packages/counterparts/package.json":
        JSON.stringify({ name: "@byo/counterparts", dependencies: { "oidc-provider": "9" } }, null, 2) + "\n",
      "packages/counterparts/registry.ts": [
        'import { mailbox } from "./mailbox";',
        'import { oidc } from "./oidc";',
        "export const counterparts = {",
        "  mailbox,",
        "  oidc,",
        "};",
        "",
      ].join("\n"),
      "packages/counterparts/mailbox/index.ts": "export const mailbox = 1;",
      "packages/counterparts/oidc/index.ts": 'import Provider from "oidc-provider";\nexport const oidc = Provider;',
      "providers/identity/oidc/provider.json": manifest("identity", "oidc", { counterparts: ["oidc"], dependencies: ["oidc-provider"] }),
      "providers/identity/oidc/index.ts": "export const oidc = 1;",
      "providers/identity/password/provider.json": manifest("identity", "password", {
        counterparts: ["mailbox"],
        paths: ["app/api/password"],
      }),
      "providers/identity/password/index.ts": "export const password = 1;",
      "providers/identity/registry.ts": [
        'import { oidc } from "./oidc";',
        'import { password } from "./password";',
        "export const identities = {",
        "  oidc,",
        "  password,",
        "};",
        "",
      ].join("\n"),
      "providers/wallets/airkit/provider.json": manifest("wallet", "airkit", {
        counterparts: ["mailbox"],
        dependencies: ["@mocanetwork/airkit"],
        paths: ["docs/going-live/airkit.md"],
      }),
      "providers/wallets/airkit/index.ts": 'import { AirService } from "@mocanetwork/airkit";\nexport const airkit = AirService;',
      "providers/wallets/turnkey/provider.json": manifest("wallet", "turnkey", { dependencies: ["firebase"] }),
      "providers/wallets/turnkey/index.ts": "export const turnkey = 1;",
      "providers/wallets/registry.ts": [
        'import { airkit } from "./airkit";',
        'import { turnkey } from "./turnkey";',
        "export const wallets = {",
        "  airkit,",
        "  turnkey,",
        "};",
        "",
      ].join("\n"),
      "app/api/password/sign-up/route.ts": "export const POST = 1;",
      "lib/core.ts": 'import { initializeApp } from "firebase/app";\nexport const core = initializeApp;',
      "docs/going-live/airkit.md": "# AIR Kit\n",
      "docs/going-live.md": "| AIR Kit | x | <!-- provider:wallet/airkit -->\n| Turnkey | y | <!-- provider:wallet/turnkey -->\n",
      ".env.example":
        "# DATA_DIR=.data\n\n# provider:identity/oidc\n# AUTH_OIDC_ISSUER=\n\n# provider:identity/password\n# AUTH_PASSWORD_ENABLED=true\n",
      "e2e/oidc-airkit.spec.ts": "// providers: identity/oidc wallet/airkit\nexport {};\n",
      "e2e/password-airkit.spec.ts": "// providers: identity/password wallet/airkit\nexport {};\n",
      "e2e/api.spec.ts": "export {};\n",
    });
    git(root, "init", "-q");
    git(root, "add", "-A");
    git(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "starter");
    return root;
  }
  const run = (root: string, ...args: string[]) => {
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((s) => (out.push(String(s)), true));
    vi.spyOn(process.stderr, "write").mockImplementation((s) => (out.push(String(s)), true));
    const code = main([...args, "--root", root]);
    vi.restoreAllMocks();
    return { code, out: out.join("") };
  };

  it("keeps password + airkit and removes everything of the others", () => {
    const root = starter();
    const { code, out } = run(root, "--identity", "password", "--wallet", "airkit");
    expect(code).toBe(0);
    const read = (f: string) => readFileSync(join(root, f), "utf8");
    for (const gone of ["providers/identity/oidc", "providers/wallets/turnkey", "packages/counterparts/oidc", "e2e/oidc-airkit.spec.ts"])
      expect(existsSync(join(root, gone)), gone).toBe(false);
    for (const kept of [
      "providers/identity/password",
      "providers/wallets/airkit",
      "packages/counterparts/mailbox",
      "app/api/password/sign-up/route.ts",
      "docs/going-live/airkit.md",
      "e2e/password-airkit.spec.ts",
      "e2e/api.spec.ts",
    ])
      expect(existsSync(join(root, kept)), kept).toBe(true);
    expect(read("providers/identity/registry.ts")).toBe(
      ['import { password } from "./password";', "export const identities = {", "  password,", "};", ""].join("\n"),
    );
    expect(read("providers/wallets/registry.ts")).not.toMatch(/turnkey/);
    expect(read("packages/counterparts/registry.ts")).not.toMatch(/oidc/);
    expect(read("docs/going-live.md")).toBe("| AIR Kit | x | <!-- provider:wallet/airkit -->\n");
    expect(read(".env.example")).toBe("# DATA_DIR=.data\n\n# provider:identity/password\n# AUTH_PASSWORD_ENABLED=true\n");
    // oidc-provider went with the oidc counterpart; firebase stays because lib/core.ts imports it.
    expect(JSON.parse(read("packages/counterparts/package.json")).dependencies).toEqual({});
    expect(JSON.parse(read("package.json")).dependencies).toEqual({ "@mocanetwork/airkit": "1", firebase: "1", jose: "6" });
    expect(out).toMatch(/keeping firebase \(still imported by lib\/core.ts\)/);
    expect(out).toMatch(/next: `npm install`/);

    // Idempotent: the same command again finds nothing to do (with the first run committed).
    git(root, "add", "-A");
    git(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "pruned");
    const again = run(root, "--identity", "password", "--wallet", "airkit");
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/nothing to do/);
    expect(git(root, "status", "--porcelain")).toBe("");
  });

  it("changes nothing on a dry run, refuses a dirty tree without --force, and names valid ids", () => {
    const root = starter();
    const dry = run(root, "--identity", "oidc", "--wallet", "turnkey", "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/dry run: \d+ change\(s\)/);
    expect(git(root, "status", "--porcelain")).toBe("");

    writeFileSync(join(root, "scratch.txt"), "mine");
    const dirty = run(root, "--identity", "oidc", "--wallet", "turnkey");
    expect(dirty.code).toBe(2);
    expect(dirty.out).toMatch(/uncommitted changes/);
    expect(existsSync(join(root, "providers/wallets/airkit"))).toBe(true);
    expect(run(root, "--identity", "oidc", "--wallet", "turnkey", "--force").code).toBe(0);
    expect(existsSync(join(root, "providers/wallets/airkit"))).toBe(false);

    const unknown = run(root, "--identity", "oidc", "--wallet", "alchemy", "--force");
    expect(unknown.code).toBe(2);
    expect(unknown.out).toMatch(/unknown wallet provider "alchemy"; the wallet providers are: turnkey/);
  });

  it("parses comma lists, repeated flags and --flag=value", () => {
    expect(parseArgs(["--identity", "oidc,password", "--wallet=airkit", "--wallet", "moojo"]).wanted).toEqual({
      identity: ["oidc", "password"],
      wallet: ["airkit", "moojo"],
    });
    expect(() => parseArgs(["--identity"])).toThrow(/needs a value/);
    expect(() => parseArgs(["--keep", "x"])).toThrow(/unknown argument/);
  });
});

describe("the scratch copy prune:check works in", () => {
  it("copies the files, shares installed packages, and links workspace packages to the copy's own folders", () => {
    const repo = tree({
      "package.json": "{}",
      "packages/counterparts/mailbox/index.ts": "export const original = 1;",
      "node_modules/jose/package.json": "{}",
      "node_modules/@scope/pkg/package.json": "{}",
    });
    mkdirSync(join(repo, "node_modules/@byo"));
    symlinkSync("../../packages/counterparts", join(repo, "node_modules/@byo/counterparts"));
    const copy = mkdtempSync(join(tmpdir(), "prune-copy-"));
    tempDirs.push(copy);
    copyTree(repo, copy);
    expect(readFileSync(join(copy, "packages/counterparts/mailbox/index.ts"), "utf8")).toBe("export const original = 1;");
    expect(readlinkSync(join(copy, "node_modules/jose"))).toBe(join(repo, "node_modules/jose"));
    expect(readlinkSync(join(copy, "node_modules/@scope/pkg"))).toBe(join(repo, "node_modules/@scope/pkg"));
    // The workspace link leads to the copy: pruning a counterpart there is what the checks see.
    expect(realpathSync(join(copy, "node_modules/@byo/counterparts"))).toBe(realpathSync(join(copy, "packages/counterparts")));
    rmSync(join(copy, "packages/counterparts/mailbox"), { recursive: true });
    expect(existsSync(join(copy, "node_modules/@byo/counterparts/mailbox"))).toBe(false);
    expect(existsSync(join(repo, "packages/counterparts/mailbox/index.ts"))).toBe(true);
  });
});
