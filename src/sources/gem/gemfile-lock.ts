// Gemfile.lock (Bundler): GEM, GIT and PATH sections with their specs ("    name (version)") and each
// spec's dependencies ("      dep (constraint)"), then DEPENDENCIES, the Gemfile's direct ones.
// Bundler groups (development, test) live in the Gemfile, not in the lock: with the Gemfile beside it
// (read statically, gemfile.ts), a gem declared only in :development is dev, only in :test is test;
// any other group is installed by default and ships. Without the Gemfile every gem counts as runtime.
import { basename, dirname } from 'node:path';
import { InputError } from '../../util/errors.ts';
import { makePurl } from '../../model/purl.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import type { InventoryFragment } from '../extractor.ts';
import type { Component, DependencyKind } from '../../model/inventory.ts';
import type { GemfileGroups } from './gemfile.ts';

/** "1.16.0-x86_64-linux" → version 1.16.0, platform x86_64-linux (a platform gem). */
function versionPlatform(v: string): [string, string | undefined] {
  const m = /^([0-9][^-]*)-(.+)$/.exec(v);
  return m && /(linux|darwin|mingw|mswin|java|x86|x64|arm|aarch64|universal)/.test(m[2]!) ? [m[1]!, m[2]!] : [v, undefined];
}

export function parseGemfileLock(text: string, file: string, project = basename(dirname(file)) || 'project', gemfile?: GemfileGroups & { file: string }): InventoryFragment {
  const b = new FragmentBuilder();
  const root = b.component({ purl: makePurl({ type: 'gem', name: project }), name: project, version: '', ecosystem: 'gem', licenses: [], sourceFile: file, dependenciesComplete: true, root: true, firstParty: true });
  let section = '';
  let remote: string | undefined;
  let revision: string | undefined;
  let current: string | undefined;
  const byName = new Map<string, string[]>();
  const pending: [string, string, string | undefined, number][] = []; // from, dep, constraint, line
  const direct: [string, string | undefined, number][] = [];
  let bundler: string | undefined;
  const pathSpecs: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.trim()) return;
    if (!line.startsWith(' ')) { section = line.trim(); remote = revision = current = undefined; return; }
    const indent = line.length - line.trimStart().length;
    const t = line.trim();
    if (['GEM', 'GIT', 'PATH', 'PLUGIN SOURCE'].includes(section)) {
      if (indent === 2 && t.startsWith('remote:')) { remote = t.slice(7).trim(); return; }
      if (indent === 2 && t.startsWith('revision:')) { revision = t.slice(9).trim(); return; }
      if (indent === 2) return; // specs:, branch:, tag:, ref:, glob:
      const m = /^([^\s(]+)(?: \(([^)]*)\))?$/.exec(t);
      if (!m) throw new InputError(`malformed Gemfile.lock line "${t.slice(0, 80)}"`, file, i + 1);
      if (indent === 4) {
        if (!m[2]) throw new InputError(`gem "${m[1]}" has no version`, file, i + 1);
        const [version, plat] = versionPlatform(m[2]);
        const c: Component = { purl: makePurl({ type: 'gem', name: m[1]!, version, ...(plat ? { qualifiers: { platform: plat } } : {}) }), name: m[1]!, version, ecosystem: 'gem', licenses: [], sourceFile: file, dependenciesComplete: true };
        if (section === 'GIT' && remote) c.provenance = { type: 'git', url: remote, ...(revision ? { version: revision } : {}) };
        if (section === 'PATH') { c.root = true; c.firstParty = true; pathSpecs.push(m[1]!); }
        if (section === 'GEM' && remote) c.properties = { 'gem:remote': remote };
        current = b.component(c);
        byName.set(m[1]!, [...(byName.get(m[1]!) ?? []), current]);
      } else if (indent === 6 && current) pending.push([current, m[1]!, m[2], i + 1]);
      return;
    }
    if (section === 'BUNDLED WITH') { bundler = t; return; }
    if (section === 'DEPENDENCIES' && indent === 2) {
      // Bundler's own grammar: "name", "name (constraint)", and "!" after either when the Gemfile pins the gem's source ("avo-advanced (~> 3.32)!").
      const m = /^([^\s(!]+)(?: \(([^)]*)\))?!?$/.exec(t);
      if (!m) throw new InputError(`malformed DEPENDENCIES line "${t.slice(0, 80)}"`, file, i + 1);
      direct.push([m[1]!, m[2], i + 1]);
    }
  });
  if (!byName.size && !direct.length) throw new InputError('not a Gemfile.lock: no GEM, GIT or PATH specs', file, 1);
  // A gem locked for several platforms is one gem in several builds: each dependency reaches all of them.
  const link = (from: string, dep: string, constraint: string | undefined, kind: DependencyKind = 'runtime') => {
    const to = byName.get(dep);
    if (!to) { b.missing({ key: dep, package: from, from, file, reason: `"${dep}" is not among the locked gems` }); return; }
    for (const t of to) b.edge(from, t, kind, constraint ? { constraint } : {});
  };
  const pathGems = new Set(pathSpecs);
  /** The Gemfile's word for a direct dependency: default and any other group ship; only development or test do not. */
  const directKind = (dep: string): DependencyKind => {
    if (!gemfile) return 'runtime';
    const groups = gemfile.groups.get(dep);
    // Not in the Gemfile: the gemspec's development dependencies (Bundler's :development), or the PATH gem itself.
    if (!groups) return gemfile.gemspec && !pathGems.has(dep) ? 'dev' : 'runtime';
    if ([...groups].some((g) => g !== 'development' && g !== 'test')) return 'runtime';
    return groups.has('development') ? 'dev' : 'test';
  };
  // Gems that depend on bundler depend on the Bundler that wrote the lock (BUNDLED WITH).
  if (bundler) byName.set('bundler', [b.component({ purl: makePurl({ type: 'gem', name: 'bundler', version: bundler }), name: 'bundler', version: bundler, ecosystem: 'gem', licenses: [], sourceFile: file, dependenciesComplete: true })]);
  for (const [from, dep, c] of pending) link(from, dep, c);
  // A Gemfile dependency with no spec is for a platform the lock was not resolved for (tzinfo-data on Windows).
  const otherPlatforms = direct.filter(([dep]) => !byName.has(dep)).map(([dep]) => dep);
  for (const [dep, c] of direct) if (byName.has(dep)) link(root, dep, c, directKind(dep));
  const notes = gemfile ? [] : [`${file}: Bundler groups (development, test) are in the Gemfile, which is not beside the lock: every gem counts as runtime`];
  if (otherPlatforms.length) notes.push(`${file}: ${otherPlatforms.join(', ')} ${otherPlatforms.length === 1 ? 'is a dependency' : 'are dependencies'} of the Gemfile with no locked version, for platforms the lock was not resolved for (its PLATFORMS); not in this inventory`);
  return { ...b.build(), notes };
}
