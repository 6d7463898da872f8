// A scratch copy of the working tree that shares this checkout's installed packages, for
// scripts/prune-check.ts: the files (tracked and untracked-but-not-ignored, as on disk) are
// copied; node_modules becomes a folder of symlinks to the installed packages, except the
// workspace packages npm links from the repository (node_modules/@byo/counterparts →
// packages/counterparts), which point at the COPY's folders, so what is pruned in the copy is
// what its type check and tests see. Nothing is written through into this checkout.
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, symlinkSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { listRepoFiles } from "./import-graph";

export function linkNodeModules(from: string, to: string, repo: string, copy: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const source = join(from, name);
    const target = join(to, name);
    const stat = lstatSync(source);
    if (stat.isSymbolicLink()) {
      const real = realpathSync(source);
      const rel = relative(repo, real);
      const workspace = !rel.startsWith("..") && !rel.split(sep).includes("node_modules");
      symlinkSync(workspace ? join(copy, rel) : real, target);
    } else if (name.startsWith("@") && stat.isDirectory()) linkNodeModules(source, target, repo, copy);
    else symlinkSync(source, target);
  }
}

/** `<counterpart>/<folder>/node_modules` of a package: installs with their own lockfile, made on first use. */
function ownInstalls(pkgDir: string): string[] {
  const dirs = (dir: string) =>
    existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== "node_modules") : [];
  return dirs(pkgDir).flatMap((c) =>
    dirs(join(pkgDir, c.name))
      .map((f) => join(pkgDir, c.name, f.name))
      .filter((f) => existsSync(join(f, "package-lock.json")) && existsSync(join(f, "node_modules")))
      .map((f) => join(f, "node_modules")),
  );
}

export function copyTree(repo: string, copy: string): void {
  for (const file of listRepoFiles(repo)) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(repo, file), join(copy, file));
  }
  linkNodeModules(join(repo, "node_modules"), join(copy, "node_modules"), repo, copy);
  // A workspace package's own node_modules (packages it does not share with the app).
  for (const pkg of existsSync(join(repo, "packages")) ? readdirSync(join(repo, "packages")) : []) {
    const nested = join(repo, "packages", pkg, "node_modules");
    if (existsSync(nested) && existsSync(join(copy, "packages", pkg)))
      linkNodeModules(nested, join(copy, "packages", pkg, "node_modules"), repo, copy);
    // A counterpart's own install, made on first use (the Firebase emulator's firebase-tools,
    // minutes to build): shared read-only, as the checkout installed it, instead of installed
    // again in every copy. Absent in the checkout: the copy installs its own, as a clone would.
    for (const own of ownInstalls(join(repo, "packages", pkg))) {
      const into = join(copy, relative(repo, own));
      if (existsSync(dirname(into)) && !existsSync(into)) symlinkSync(own, into);
    }
  }
}
