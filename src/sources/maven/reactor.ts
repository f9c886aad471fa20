// Which modules of a Maven build ship. A module ships unless the build itself says it does not:
// - Maven does not deploy it (see deploy.ts) while the same build deploys another module that is not a
//   pom: a library's tests, benchmarks and examples (gson's test-jpms, netty's testsuites). A build that
//   deploys nothing (an application, shipped as an image or an archive) says nothing this way.
// - it is built only when a profile nobody activates by default lists it (commons-vfs' sandbox, under
//   -P include-sandbox), and maven-release-plugin's releaseProfiles do not name that profile.
// A module another shipping module needs at run time ships all the same (it is shaded or packaged in).
import { dirname, join, resolve } from 'node:path';
import type { Effective } from './pom.ts';
import type { Deployment } from './deploy.ts';

export interface Module {
  /** The pom, relative to the scanned folder, and where it is. */
  file: string; path: string; purl: string;
  effective: Effective; deployment: Deployment;
  /** Purls this module needs at run time (compile, runtime, optional). */
  needs: string[];
}

export interface Reactor { notShipped: Map<string, string>; notes: string[] }

const pomAt = (from: string, module: string) => { const p = resolve(dirname(from), module); return p.endsWith('.xml') ? p : join(p, 'pom.xml'); };

/** Profiles maven-release-plugin activates for a release (its releaseProfiles), as the pom and its parents on disk say. */
function releaseProfiles(e: Effective): Set<string> {
  for (const c of e.chain) for (const p of [...c.pom.plugins, ...c.pom.managedPlugins]) {
    const v = p.key === 'org.apache.maven.plugins:maven-release-plugin' ? p.config.get('releaseProfiles') : undefined;
    if (v !== undefined) return new Set((e.expand(v) ?? v).split(',').map((s) => s.trim()).filter(Boolean));
  }
  return new Set();
}

export function reactor(modules: Module[]): Reactor {
  const byPath = new Map(modules.map((m) => [m.path, m]));
  const notes: string[] = [];
  // Who lists each module, and under which profile (none: by default).
  const listed = new Map<string, { by: Module; profile?: string }[]>();
  const build = new Map<string, string>(); // union-find over paths: aggregation and parents on disk
  const find = (p: string): string => { let r = p; while (build.get(r) !== r && build.has(r)) r = build.get(r)!; return r; };
  const join2 = (a: string, b: string) => { const ra = find(a), rb = find(b); if (ra !== rb) build.set(ra, rb); };
  for (const m of modules) build.set(m.path, m.path);
  for (const a of modules) {
    const release = releaseProfiles(a.effective);
    const add = (child: string, profile?: string) => {
      const m = byPath.get(pomAt(a.path, child));
      if (!m || m === a) return;
      listed.set(m.path, [...(listed.get(m.path) ?? []), { by: a, ...(profile ? { profile } : {}) }]);
      join2(a.path, m.path);
    };
    for (const child of a.effective.pom.modules) add(child);
    // A profile that may be active without asking, or that a release activates, builds its modules as the default does.
    for (const pr of a.effective.pom.profiles) for (const child of pr.modules) add(child, pr.activation === 'none' && !release.has(pr.id) ? pr.id : undefined);
    const parent = a.effective.chain[1]?.path ?? (a.effective.pom.parent ? modules.find((p) => p !== a && p.effective.pom.artifactId === a.effective.pom.parent!.artifactId && p.effective.groupId === a.effective.pom.parent!.groupId)?.path : undefined);
    if (parent && byPath.has(parent)) join2(a.path, parent);
  }
  const members = new Map<string, Module[]>();
  for (const m of modules) members.set(find(m.path), [...(members.get(find(m.path)) ?? []), m]);

  // What the default build builds: the tops (no module list names them), then what a built module lists outside a profile.
  const built = new Set(modules.filter((m) => !listed.has(m.path)).map((m) => m.path));
  for (const queue = [...built]; queue.length;) {
    const at = queue.pop()!;
    for (const [child, by] of listed) if (!built.has(child) && by.some((l) => l.by.path === at && !l.profile)) { built.add(child); queue.push(child); }
  }
  const why = new Map<string, string>();
  for (const group of members.values()) {
    const deployed = group.filter((m) => m.deployment.deployed && m.effective.pom.packaging !== 'pom' && built.has(m.path));
    const skipped = group.filter((m) => !m.deployment.deployed);
    if (skipped.length && !deployed.length) {
      const top = group.filter((m) => !listed.has(m.path)).map((m) => m.file).sort()[0] ?? group[0]!.file;
      notes.push(`${top}: no module of this Maven build is deployed (${skipped.length} of ${group.length} skip deploying, the others are poms): deployment cannot tell which modules ship, and all count as shipping`);
    }
    for (const m of group) {
      if (!built.has(m.path)) {
        const by = listed.get(m.path)!;
        const profiles = [...new Set(by.flatMap((l) => (l.profile ? [`-P ${l.profile}`] : [])))];
        why.set(m.path, profiles.length
          ? `built only with ${profiles.join(' or ')} (${[...new Set(by.map((l) => l.by.file))].join(', ')}), which no default build nor maven-release-plugin's releaseProfiles activates`
          : `built only as a module of ${[...new Set(by.map((l) => l.by.file))].join(', ')}, which the default build does not build`);
        continue;
      }
      const d = m.deployment;
      if (d.deployed || !deployed.some((x) => x !== m)) continue;
      if (d.profiles.length) { notes.push(`${m.file}: not deployed by default (${d.why}), but profile ${d.profiles.join(', ')} changes deployment: counted as shipping`); continue; }
      const names = deployed.filter((x) => x !== m).map((x) => x.file).sort();
      why.set(m.path, `not deployed (${d.why}) while its build deploys ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`);
    }
  }
  // What a shipping module needs at run time ships, deployed or not (shaded, or packaged in an application).
  const byPurl = new Map(modules.map((m) => [m.purl, m]));
  for (let changed = true; changed;) {
    changed = false;
    for (const s of modules) {
      if (why.has(s.path)) continue;
      for (const purl of s.needs) {
        const m = byPurl.get(purl);
        if (!m || !why.has(m.path)) continue;
        notes.push(`${m.file}: ${why.get(m.path)}, but ${s.file} needs it at run time: counted as shipping`);
        why.delete(m.path);
        changed = true;
      }
    }
  }
  const notShipped = new Map<string, string>();
  for (const m of modules) if (why.has(m.path)) notShipped.set(m.file, why.get(m.path)!);
  return { notShipped, notes };
}
