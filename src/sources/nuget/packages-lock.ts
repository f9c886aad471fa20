// NuGet packages.lock.json (versions 1 and 2): per target framework, every package with its type
// (Direct, Transitive, CentralTransitive, Project), resolved version, content hash and dependencies.
// Which direct packages are development-only (PrivateAssets="all") the project files say (project.ts).
import { basename, dirname } from 'node:path';
import { parseJsonText } from '../../util/json.ts';
import { InputError } from '../../util/errors.ts';
import { makePurl } from '../../model/purl.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import type { InventoryFragment } from '../extractor.ts';

interface NugetEntry { type?: string; requested?: string; resolved?: string; contentHash?: string; dependencies?: Record<string, string> }

export function parseNugetLock(text: string, file: string, project = basename(dirname(file)) || 'project', privateIds: ReadonlySet<string> = new Set()): InventoryFragment {
  const lock = parseJsonText(text, file) as { version?: number; dependencies?: Record<string, Record<string, NugetEntry>> };
  if (!lock || typeof lock !== 'object' || typeof lock.dependencies !== 'object' || lock.dependencies === null) throw new InputError('not a packages.lock.json: no "dependencies" map', file, 1);
  const b = new FragmentBuilder();
  const root = b.component({ purl: makePurl({ type: 'nuget', name: project }), name: project, version: '', ecosystem: 'nuget', licenses: [], sourceFile: file, dependenciesComplete: true, root: true, firstParty: true });
  // Runtime-specific targets ("net8.0/linux-x64") repeat their framework's packages (often as empty maps): not frameworks.
  const frameworks = Object.entries(lock.dependencies).filter(([k, e]) => !k.includes('/') && e && typeof e === 'object' && Object.keys(e).length).map(([k]) => k);
  for (const [tfm, entries] of Object.entries(lock.dependencies)) {
    if (!entries || typeof entries !== 'object') throw new InputError(`target framework "${tfm}" is not a map`, file);
    // NuGet ids are case-insensitive: lookups are by lower case, the lock's spelling is kept.
    const purlOf = new Map<string, string>();
    for (const [name, e] of Object.entries(entries)) {
      if (e.type === 'Project') { purlOf.set(name.toLowerCase(), b.component({ purl: makePurl({ type: 'nuget', name }), name, version: '', ecosystem: 'nuget', licenses: [], sourceFile: file, dependenciesComplete: true, root: true, firstParty: true })); continue; }
      if (typeof e.resolved !== 'string') throw new InputError(`package "${name}" (${tfm}) has no resolved version`, file);
      const purl = b.component({ purl: makePurl({ type: 'nuget', name, version: e.resolved }), name, version: e.resolved, ecosystem: 'nuget', licenses: [], sourceFile: file, dependenciesComplete: true, ...(e.contentHash ? { hashes: [{ alg: 'SHA-512' as const, value: Buffer.from(e.contentHash, 'base64').toString('hex'), source: `${file} contentHash` }] } : {}) });
      purlOf.set(name.toLowerCase(), purl);
    }
    for (const [name, e] of Object.entries(entries)) {
      const from = purlOf.get(name.toLowerCase())!;
      // A private (development-only) package builds the project and flows to no consumer: build scope.
      if (e.type === 'Direct' || e.type === 'Project') b.edge(root, from, privateIds.has(name.toLowerCase()) ? 'build' : 'runtime', e.requested ? { constraint: e.requested } : {});
      for (const [dep, range] of Object.entries(e.dependencies ?? {})) {
        const to = purlOf.get(dep.toLowerCase());
        if (to) b.edge(from, to, 'runtime', { constraint: range });
        else b.missing({ key: `${dep} ${range}`, package: name, from, file, reason: `"${dep}" is not locked for ${tfm}` });
      }
    }
  }
  return { ...b.build(), notes: frameworks.length > 1 ? [`${file}: locked for ${frameworks.length} target frameworks (${frameworks.join(', ')}); their packages are merged`] : [] };
}
