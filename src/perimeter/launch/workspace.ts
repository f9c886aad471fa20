// The ROS packages of a workspace by name, for following `$(find-pkg-share pkg)` to the package's
// source folder. Found as colcon finds them: outermost package.xml, ignore markers honoured.
import { join } from 'node:path';
import { FileAccess, LIMITS } from '../../util/file-access.ts';
import { parsePackageXml } from '../../sources/ros/package-xml.ts';
import { IGNORE_MARKERS } from '../../sources/walk.ts';

const SKIP = new Set(['.git', 'node_modules', 'build', 'install', 'log', '__pycache__', '.marque']);

export function workspacePackages(root: string, notes: string[] = [], limit = 20_000): Map<string, string> {
  const out = new Map<string, string>();
  const files = FileAccess.within(root);
  let visited = 0;
  const visit = (dir: string, depth: number) => {
    if (depth > 12 || ++visited > limit) return;
    let entries;
    try { entries = files.list(dir); } catch { return; }
    const names = new Set(entries.map((e) => e.name));
    if (IGNORE_MARKERS.some((m) => names.has(m))) return;
    if (names.has('package.xml')) {
      try {
        const { manifest } = parsePackageXml(files.readTextSync(join(dir, 'package.xml'), LIMITS.manifest), join(dir, 'package.xml'));
        if (!out.has(manifest.name)) out.set(manifest.name, dir);
      } catch (e) { notes.push(`${join(dir, 'package.xml')}: ${(e as Error).message}`); }
      return; // colcon does not look inside a package for further packages
    }
    for (const e of entries) if (e.isDirectory() && !SKIP.has(e.name) && !e.name.startsWith('.')) visit(join(dir, e.name), depth + 1);
  };
  visit(root, 0);
  return out;
}
