// Maven pom.xml, read without Maven and without a repository: the project's coordinates (from its
// parent when absent), its properties, its dependencyManagement and a parent pom found on disk
// (relativePath, ../pom.xml by default), then each <dependency> of the project with its scope.
// A version that only a remote parent or a BOM knows (Spring Boot's starters) is left unknown and
// named, never guessed; transitive dependencies need the repository and are said to be missing.
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { makePurl } from '../../model/purl.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import type { InventoryFragment, ReadBeside } from '../extractor.ts';
import type { DependencyKind } from '../../model/inventory.ts';
import { managementKey, readPom, type Pom } from './pom-read.ts';

export { readPom } from './pom-read.ts';

/** Maven's scopes: compile and runtime ship; provided is supplied by the platform at run time (not shipped by the product); test is test; system is the machine's. */
const KIND: Record<string, DependencyKind> = { compile: 'runtime', runtime: 'runtime', provided: 'build', test: 'test', system: 'build' };

/**
 * A pom with what it inherits and imports from poms on disk: its coordinates, properties and managed versions
 * and scopes; `chain` is the pom and its parents on disk, nearest first (`complete`: the last has no parent).
 */
export interface Effective { pom: Pom; groupId: string; version: string; expand: (v: string | undefined) => string | undefined; managed: Map<string, string>; managedScope: Map<string, string>; chain: { pom: Pom; path?: string }[]; complete: boolean }

const MAX_IMPORT_DEPTH = 5;

/** The pom, its parents on disk (relativePath, ../pom.xml) and the BOMs it imports that the same build holds (a module on disk). */
function effectivePom(pom: Pom, file: string, path: string | undefined, beside: ReadBeside | undefined, notes: string[], depth = 0): Effective {
  // The parent on disk, as Maven finds it: properties and managed versions inherit.
  const chain: { pom: Pom; path?: string }[] = [{ pom, path }];
  let at = path;
  let cur = pom;
  for (let d = 0; cur.parent && at && beside && d < 10; d++) {
    const parentPath = resolve(dirname(at), cur.parent.relativePath ?? '../pom.xml');
    const file2 = parentPath.endsWith('.xml') ? parentPath : join(parentPath, 'pom.xml');
    const parentPom = readPomAt(file2, beside);
    if (!parentPom || parentPom.artifactId !== cur.parent.artifactId) { if (depth === 0) notes.push(`${file}: parent ${cur.parent.groupId}:${cur.parent.artifactId}:${cur.parent.version} is not on disk (a repository holds it): the versions it manages and the dependencies it passes down are unknown here`); break; }
    chain.push({ pom: parentPom, path: file2 });
    cur = parentPom;
    at = file2;
  }
  const complete = !cur.parent;
  const props = new Map<string, string>();
  // A profile a default build activates sets its properties over the pom's own.
  for (const p of [...chain].reverse()) for (const [k, v] of [...p.pom.properties, ...p.pom.profiles.filter((pr) => pr.byDefault === 'yes').flatMap((pr) => [...pr.properties])]) props.set(k, v);
  const expand = (v: string | undefined, d = 0): string | undefined => {
    if (v === undefined) return undefined;
    const out = v.replace(/\$\{([^}]+)\}/g, (m, k: string) => props.get(k) ?? m);
    return out !== v && d < 10 ? expand(out, d + 1) : out;
  };
  // The project's own coordinates may be properties too (CI-friendly versions: ${revision}${changelist}).
  const groupId = expand(pom.groupId ?? pom.parent?.groupId) ?? '';
  const version = expand(pom.version ?? pom.parent?.version) ?? '';
  props.set('project.version', version).set('project.groupId', groupId).set('project.artifactId', pom.artifactId).set('pom.version', version);
  if (pom.parent?.version) props.set('project.parent.version', expand(pom.parent.version)!);
  const managed = new Map<string, string>();
  const managedScope = new Map<string, string>();
  for (const p of [...chain].reverse()) { for (const [k, v] of p.pom.managed) managed.set(k, v); for (const [k, v] of p.pom.managedScope) managedScope.set(k, v); }
  // Imported BOMs come after the pom's own management (which wins), the first import first; what a BOM
  // manages is interpolated with the BOM's own properties. Only a BOM of the same build is on disk.
  const top = chain[chain.length - 1]!.path;
  for (const imp of chain.flatMap((c) => c.pom.imports)) {
    const g = expand(imp.groupId)!, a = expand(imp.artifactId)!, v = expand(imp.version);
    const found = top && beside && depth < MAX_IMPORT_DEPTH ? moduleOnDisk(top, beside, g, a) : undefined;
    if (!found) continue;
    const bom = effectivePom(found.pom, file, found.path, beside, notes, depth + 1);
    if (v !== undefined && bom.version !== v) continue;
    for (const [k, x] of bom.managed) if (!managed.has(k)) managed.set(k, bom.expand(x)!);
    for (const [k, x] of bom.managedScope) if (!managedScope.has(k)) managedScope.set(k, x);
  }
  return { pom, groupId, version, expand, managed, managedScope, chain, complete };
}

function readPomAt(file: string, beside: ReadBeside): Pom | undefined {
  const text = beside(file);
  try { return text === undefined ? undefined : readPom(text, file); } catch { return undefined; }
}

/** The pom of groupId:artifactId among the modules of the build whose top pom is `top` (modules of modules too). */
function moduleOnDisk(top: string, beside: ReadBeside, groupId: string, artifactId: string): { pom: Pom; path: string } | undefined {
  const queue = [top];
  for (let seen = 0; queue.length && seen < 500; seen++) {
    const at = queue.shift()!;
    const pom = readPomAt(at, beside);
    if (!pom) continue;
    if (pom.artifactId === artifactId && (pom.groupId ?? pom.parent?.groupId) === groupId) return { pom, path: at };
    for (const m of pom.modules) { const p = resolve(dirname(at), m); queue.push(p.endsWith('.xml') ? p : join(p, 'pom.xml')); }
  }
  return undefined;
}

/**
 * The project's dependencies with those its parents on disk declare: Maven's inheritance merges a parent's
 * <dependencies> into every child, the nearer declaration of the same groupId:artifactId:type winning.
 * Interpolated afterwards with the child's properties, as Maven interpolates the merged model. `from` is
 * the file that declares each.
 */
function inheritedDeps(effective: Effective, file: string, path: string | undefined, notes: string[]): { d: Pom['deps'][number]; from: string }[] {
  const out: { d: Pom['deps'][number]; from: string }[] = [];
  const seen = new Set<string>();
  for (const [i, link] of effective.chain.entries()) {
    // A parent's file, named relative to the product as the child's is.
    const from = i === 0 || !path || !link.path ? file : posix.join(posix.dirname(file.split(sep).join('/')), relative(dirname(path), link.path).split(sep).join('/'));
    // A profile a default build activates adds its dependencies, overriding the pom's own of the same key;
    // one whose activation depends on the build machine is counted, and said.
    const profiles = link.pom.profiles.filter((pr) => pr.deps.length && pr.byDefault !== 'no');
    for (const pr of profiles) if (pr.byDefault === 'unknown') notes.push(`${from}: profile ${pr.id} (${pr.condition}) adds ${pr.deps.map((d) => `${d.groupId}:${d.artifactId}`).join(', ')} when the build machine activates it, which is unknown here: counted`);
    for (const d of [...profiles.flatMap((pr) => pr.deps), ...link.pom.deps]) {
      const key = managementKey(effective.expand(d.groupId)!, effective.expand(d.artifactId)!, effective.expand(d.type), effective.expand(d.classifier));
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ d, from });
    }
  }
  return out;
}

/** `path` and `beside`: where the pom is, and how files beside it are read (its parents and the BOMs of its build on disk). */
export function parsePom(text: string, file: string, path?: string, beside?: ReadBeside): InventoryFragment {
  return parsePomModule(text, file, path, beside).fragment;
}

/** The pom's fragment, with the module as its build sees it (its effective pom on disk and its purl). */
export function parsePomModule(text: string, file: string, path?: string, beside?: ReadBeside): { fragment: InventoryFragment; effective: Effective; purl: string } {
  const pom = readPom(text, file);
  const notes: string[] = [];
  const effective = effectivePom(pom, file, path, beside, notes);
  const { groupId, version, expand, managed, managedScope } = effective;
  const b = new FragmentBuilder();
  const root = b.component({ purl: makePurl({ type: 'maven', namespace: groupId || 'unknown', name: pom.artifactId, ...(version ? { version } : {}) }), name: pom.artifactId, group: groupId, version, ecosystem: 'maven', licenses: [], sourceFile: file, root: true, firstParty: true, dependenciesComplete: true });
  const unknown: string[] = [];
  for (const { d, from } of inheritedDeps(effective, file, path, notes)) {
    const g = expand(d.groupId)!, a = expand(d.artifactId)!;
    const type = expand(d.type), classifier = expand(d.classifier);
    const key = managementKey(g, a, type, classifier);
    let v = expand(d.version) ?? expand(managed.get(key));
    if (v && /\$\{/.test(v)) { notes.push(`${file}: ${g}:${a} has version ${v}, a property no pom on disk defines`); v = undefined; }
    if (!v) unknown.push(`${g}:${a}`);
    // The purl spec's Maven qualifiers: a test-jar or a classified artifact is not the plain jar.
    const qualifiers = { ...(type && type !== 'jar' ? { type } : {}), ...(classifier ? { classifier } : {}) };
    const purl = b.component({ purl: makePurl({ type: 'maven', namespace: g, name: a, ...(v ? { version: v } : {}), qualifiers }), name: a, group: g, version: v ?? '', ecosystem: 'maven', licenses: [], sourceFile: from, dependenciesComplete: false });
    // The scope decides first: a provided or test dependency that is also optional ships no more than before.
    const kind = KIND[d.scope ?? managedScope.get(key) ?? 'compile'] ?? 'runtime';
    b.edge(root, purl, d.optional && kind === 'runtime' ? 'optional' : kind, d.version ? { constraint: d.version } : {});
  }
  if (unknown.length) notes.push(`${file}: ${unknown.length} dependenc${unknown.length === 1 ? 'y has' : 'ies have'} no version on disk (managed by a parent or BOM in a repository: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}); their versions are unknown and they match no advisory range`);
  if (pom.deps.length || effective.chain.some((c) => c.pom.deps.length)) notes.push(`${file}: a pom.xml names direct dependencies only; their own come from the repository and are not in this inventory (an SBOM from the CycloneDX Maven plugin has them)`);
  return { fragment: { ...b.build(), notes }, effective, purl: root };
}
