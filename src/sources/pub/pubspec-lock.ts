// pubspec.lock (Dart's pub, Flutter): `packages`, each with its `source` and `description`, its version
// and how the project depends on it ("direct main", "direct dev", "direct overridden", "transitive").
// The lock records no package's own dependencies: the project's direct ones hang from it (dev ones as
// dev), transitive ones from nothing (their scope is unknown, so they count as shipping), and no
// package's dependency list is known complete.
// - hosted: a release of pub.dev (or of the repository its `url` names, purl `repository_url`):
//   pkg:pub/<name>@<version>, `sha256` the SHA-256 of its archive (pub's content hash).
// - git, path: code at a commit or in a folder, not a release: what its own pubspec says its version is
//   (`pub:version`) names no Pub release, so it has no version here and says why — Pub advisories
//   name releases and cannot place it.
// - sdk: a package of the Flutter or Dart SDK (flutter, flutter_test, sky_engine): its lock version
//   (0.0.0) is a placeholder, not the SDK's version, which the lock does not record.
import { basename, dirname } from 'node:path';
import { InputError } from '../../util/errors.ts';
import { isRecord, parseYaml } from '../../util/yaml.ts';
import { makePurl } from '../../model/purl.ts';
import type { Component, DependencyKind } from '../../model/inventory.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import type { InventoryFragment } from '../extractor.ts';

/** pub.dev under its names: no repository_url for them (purl-spec's default repository). */
const PUB_DEV = new Set(['https://pub.dev', 'https://pub.dartlang.org']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const DEPENDENCY_KIND: Record<string, DependencyKind> = { 'direct main': 'runtime', 'direct dev': 'dev', 'direct overridden': 'runtime' };

export interface Pubspec { name?: string; version?: string }

export function pubPurl(name: string, version: string, url?: string): string {
  const u = url?.replace(/\/+$/, '');
  return makePurl({ type: 'pub', name, version, ...(u && !PUB_DEV.has(u) ? { qualifiers: { repository_url: u } } : {}) });
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function parsePubspecLock(source: string, file: string, pubspec?: Pubspec, folder = basename(dirname(file)) || 'project'): InventoryFragment {
  // Every scalar stays the text it was written as: an unquoted version 1.10 is not the number 1.1.
  const doc = parseYaml(source, file, 100, true);
  if (!isRecord(doc) || !isRecord(doc['packages'])) {
    // `flutter pub get` on a project without dependencies writes `packages: {}`; no `packages` at all is not a lock.
    if (isRecord(doc) && 'packages' in doc && (doc['packages'] === '' || doc['packages'] === null)) return { components: [], dependencies: [], notes: [] };
    throw new InputError('not a pubspec.lock: no "packages" map', file, 1);
  }
  const sdks = isRecord(doc['sdks']) ? doc['sdks'] : {};
  const b = new FragmentBuilder();
  const rootName = pubspec?.name ?? folder;
  const rootVersion = pubspec?.version ?? '';
  const root = b.component({
    purl: NAME.test(rootName) ? pubPurl(rootName, rootVersion) : makePurl({ type: 'generic', name: rootName, version: rootVersion }), name: rootName, version: rootVersion,
    ecosystem: 'pub', licenses: [], sourceFile: file, dependenciesComplete: true, root: true, firstParty: true,
  });
  let transitive = 0;
  const unplaced: string[] = [];
  for (const [key, raw] of Object.entries(doc['packages'])) {
    if (!isRecord(raw)) throw new InputError(`package "${key}" is not a map`, file);
    if (!NAME.test(key)) throw new InputError(`"${key.slice(0, 80)}" is not a Dart package name`, file);
    const source = text(raw['source']);
    const declared = text(raw['version']);
    const dependency = text(raw['dependency']) ?? 'transitive';
    const desc = raw['description'];
    const d = isRecord(desc) ? desc : {};
    let c: Component;
    if (source === 'hosted') {
      const name = text(d['name']) ?? key;
      if (!NAME.test(name)) throw new InputError(`"${name.slice(0, 80)}" is not a Dart package name`, file);
      if (!declared) throw new InputError(`hosted package "${key}" has no version`, file);
      const sha256 = text(d['sha256']);
      c = {
        purl: pubPurl(name, declared, text(d['url'])), name, version: declared, ecosystem: 'pub', licenses: [], sourceFile: file, dependenciesComplete: false,
        ...(sha256 && /^[0-9a-fA-F]{64}$/.test(sha256) ? { hashes: [{ alg: 'SHA-256' as const, value: sha256.toLowerCase(), source: `${file} sha256 (the package archive)` }] } : {}),
      };
    } else if (source === 'git' || source === 'path' || source === 'sdk') {
      const props: Record<string, string> = {};
      if (declared) props['pub:version'] = declared;
      let why: string;
      if (source === 'git') {
        const url = text(d['url']) ?? (typeof desc === 'string' ? desc : undefined);
        const commit = text(d['resolved-ref']);
        const path = text(d['path']);
        if (path && path !== '.') props['pub:git-path'] = path;
        why = `unknown: a git dependency (${url ?? 'its URL is not in the lock'}${commit ? ` at ${commit}` : ''})${declared ? ` whose pubspec says ${declared}` : ''}; that names no Pub release, and Pub advisories name releases`;
        c = {
          purl: makePurl({ type: 'pub', name: key, ...(url ? { qualifiers: { vcs_url: `git+${url}${commit ? `@${commit}` : ''}` } } : {}) }), name: key, version: '', ecosystem: 'pub', licenses: [], sourceFile: file, dependenciesComplete: false,
          ...(url ? { provenance: { type: 'git', url, ...(commit ? { version: commit } : {}) } } : {}),
        };
      } else if (source === 'path') {
        const path = text(d['path']) ?? (typeof desc === 'string' ? desc : '');
        props['pub:path'] = path;
        why = `unknown: a path dependency (${path})${declared ? ` whose pubspec says ${declared}` : ''}; code in a folder is no Pub release, and Pub advisories name releases`;
        c = { purl: makePurl({ type: 'pub', name: key }), name: key, version: '', ecosystem: 'pub', licenses: [], sourceFile: file, dependenciesComplete: false };
      } else {
        const sdk = typeof desc === 'string' ? desc : text(d['sdk']) ?? 'an';
        props['pub:sdk'] = sdk;
        const constraint = text(sdks[sdk]);
        why = `unknown: part of the ${sdk === 'flutter' ? 'Flutter' : sdk === 'dart' ? 'Dart' : sdk} SDK; pubspec.lock${declared ? ` gives it ${declared}, a placeholder, and` : ''} does not record the SDK's version${constraint ? ` (it asks for ${sdk} ${constraint})` : ''}`;
        c = { purl: makePurl({ type: 'pub', name: key }), name: key, version: '', ecosystem: 'pub', licenses: [], sourceFile: file, dependenciesComplete: false };
      }
      c.properties = { ...props, 'marque:version': why };
      unplaced.push(key);
    } else throw new InputError(`package "${key}" has source ${source === undefined ? '(none)' : `"${source}"`}, which pub does not write (hosted, git, path, sdk)`, file);
    const purl = b.component(c);
    const kind = DEPENDENCY_KIND[dependency];
    if (kind) b.edge(root, purl, kind);
    else transitive++;
  }
  const notes = transitive ? [`${file}: the lock does not record which package needs which: its ${transitive} transitive package(s) hang from no package, their scope unknown (they count as shipping), and no package's own dependencies are known complete`] : [];
  if (unplaced.length) notes.push(`${file}: ${unplaced.length} package(s) are no Pub release (git, path or SDK), so Pub advisories cannot be placed on them: ${unplaced.join(', ')}`);
  return { ...b.build(), notes };
}

/** The project's name and version from the pubspec.yaml beside the lock; undefined when absent or unreadable. */
export function readPubspec(textOf: string | undefined, file: string): Pubspec | undefined {
  if (textOf === undefined) return undefined;
  try {
    const doc = parseYaml(textOf, file, 100, true);
    if (!isRecord(doc)) return undefined;
    return { ...(text(doc['name']) ? { name: text(doc['name']) } : {}), ...(text(doc['version']) ? { version: text(doc['version']) } : {}) };
  } catch { return undefined; }
}
