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
  }
}
