// The MSBuild files beside a packages.lock.json that say which direct packages are development
// dependencies: a PackageReference with PrivateAssets="all" (attribute or element; what `dotnet add`
// writes for a package whose nuspec says developmentDependency) flows to no consumer and ships in no
// output — analyzers, SourceLink, GitVersioning, DotNet.ReproducibleBuilds — and a GlobalPackageReference
// (central package management) is one by definition. Read: the project file(s) in the lock's folder,
// the nearest Directory.Build.props and Directory.Build.targets above it and the nearest
// Directory.Packages.props, following their <Import>s of files on disk. MSBuild conditions are not
// evaluated: an item counts as written.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { insideRoot } from '../common/folders.ts';
import { LIMITS, type FileAccess } from '../../util/file-access.ts';
import { asArray, attrOf, parseXml, textOf, type XmlNode } from '../../util/xml.ts';
import type { Problem } from '../../model/inventory.ts';

const PROJECT = /\.(cs|fs|vb)proj$/i;
const DIRECTORY_FILES = ['Directory.Build.props', 'Directory.Build.targets', 'Directory.Packages.props'];
const MAX_FILES = 64;
const ITEMS = new Set(['ItemGroup', 'PackageReference', 'GlobalPackageReference', 'Import']);


/** The nearest file of that name in `dir` or above it, not above `root` (the scanned folder). */
function above(dir: string, name: string, root: string): string | undefined {
  for (let d = dir; insideRoot(root, d); d = dirname(d)) {
    if (existsSync(join(d, name))) return join(d, name);
    if (dirname(d) === d) break;
  }
  return undefined;
}

/** Lower-cased ids of the packages the project's MSBuild files mark private (development-only). */
/** `files`: the scan's confinement (an imported file linked from outside the tree, or a FIFO, is refused, named). */
export function privatePackages(files: FileAccess, lockPath: string, root: string, problems: Problem[]): Set<string> {
  const dir = dirname(lockPath);
  const scanRoot = resolve(root);
  const queue: string[] = [];
  try { for (const e of files.list(dir)) if (PROJECT.test(e.name)) queue.push(join(dir, e.name)); } catch { /* folder unreadable: the lock alone */ }
  for (const n of DIRECTORY_FILES) { const f = above(dir, n, scanRoot); if (f) queue.push(f); }
  const seen = new Set<string>();
  // MSBuild's items: Include adds a reference, Update changes one already added (its PrivateAssets too).
  const privateInclude = new Set<string>(), publicInclude = new Set<string>(), privateUpdate = new Set<string>();
  while (queue.length && seen.size < MAX_FILES) {
    const file = resolve(queue.shift()!);
    if (seen.has(file) || !insideRoot(scanRoot, file)) continue;
    seen.add(file);
    let doc: XmlNode;
    try {
      doc = parseXml(files.readTextSync(file, LIMITS.manifest), relative(scanRoot, file), { arrays: ITEMS });
    } catch (e) {
      problems.push({ file: relative(scanRoot, file), message: `${(e as Error).message}; which packages are development-only is unknown`, severity: 'warning' });
      continue;
    }
    const visit = (node: unknown, name: string) => {
      for (const item of asArray(node)) {
        if (!item || typeof item !== 'object') continue;
        if (name === 'PackageReference' || name === 'GlobalPackageReference') {
          const include = attrOf(item, 'Include')?.trim().toLowerCase();
          const update = attrOf(item, 'Update')?.trim().toLowerCase();
          const assets = attrOf(item, 'PrivateAssets') ?? textOf((item as XmlNode)['PrivateAssets']);
          const isPrivate = name === 'GlobalPackageReference' || assets.split(';').some((x) => x.trim().toLowerCase() === 'all');
          if (include) (isPrivate ? privateInclude : publicInclude).add(include);
          if (update && isPrivate) privateUpdate.add(update);
        }
        const project = name === 'Import' ? attrOf(item, 'Project') : undefined;
        if (project && !project.includes('$(')) queue.push(join(dirname(file), project.replace(/\\/g, '/')));
        // $([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../')): the next one up.
        const up = project ? /GetPathOfFileAbove\(\s*'([^']+)'/.exec(project) : null;
        if (up) { const f = above(dirname(dirname(file)), up[1]!, scanRoot); if (f) queue.push(f); }
        for (const [k, v] of Object.entries(item as XmlNode)) if (!k.startsWith('@') && k !== '#text') visit(v, k);
      }
    };
    visit(doc, '');
  }
  return new Set([...privateUpdate, ...[...privateInclude].filter((id) => !publicInclude.has(id))]);
}
