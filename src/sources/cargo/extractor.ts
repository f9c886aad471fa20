// Cargo.lock (versions 1–4): [[package]] entries; packages without `source` are the workspace's own,
// and their Cargo.toml files (manifest.ts) say which dependencies are dev-, build- or optional.
import { checkShape } from '../common/shape.ts';
import type { TomlError } from 'smol-toml';
import { tomlModule } from '../../util/lazy.ts';
import { makePurl } from '../../model/purl.ts';
import { InputError } from '../../util/errors.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import type { Component, Problem } from '../../model/inventory.ts';
import { readCargoManifests, workspaceOfMember, type CargoManifests } from './manifest.ts';
import { dirname, posix } from 'node:path';
import type { Extractor, InventoryFragment } from '../extractor.ts';

/**
 * Where a crate comes from, in its purl (purl-spec's cargo type: crates.io is the default repository): a git
 * checkout is `vcs_url=git+<url>@<commit>`, another registry `repository_url=<index>`. Without them a git fork and
 * the crates.io release of the same name and version were one purl, hence one component. crates.io advisories still
 * match a git checkout by name and version (OSV's crates.io records name the crate, and a checkout at a released
 * version is that release's code unless it is a fork); its vcs_url lets GIT advisories of its repository match too.
 */
function sourceQualifiers(source: string | undefined): Record<string, string> | undefined {
  if (!source || source === 'registry+https://github.com/rust-lang/crates.io-index' || source === 'sparse+https://index.crates.io/') return undefined;
  if (source.startsWith('git+')) {
    const [url, commit] = source.split('#') as [string, string | undefined];
    return { vcs_url: `${url.replace(/\?.*$/, '')}${commit ? `@${commit}` : ''}` };
  }
  const reg = /^(?:registry|sparse)\+(.+)$/.exec(source);
  return reg ? { repository_url: reg[1]! } : undefined;
}

interface CargoPackage { name: string; version: string; source?: string; checksum?: string; dependencies?: string[] }

/** `folders`: each own package's folder relative to the lock's (readCargoManifests): a member is declared by its Cargo.toml there. */
export function parseCargoLock(text: string, file: string, manifests: CargoManifests = new Map(), folders: Map<string, string> = new Map()): InventoryFragment {
  let data: { package?: CargoPackage[]; metadata?: Record<string, string> };
  try {
    data = tomlModule().parse(text) as typeof data;
  } catch (e) {
    const te = e as TomlError;
    throw new InputError(`malformed TOML: ${te.message.split('\n')[0]}`, file, te.line, te.column);
  }
  checkShape('Cargo.lock', data, file);
  const b = new FragmentBuilder();
  const pkgs = data.package ?? [];
  const byName = new Map<string, CargoPackage[]>();
  const purlOf = new Map<CargoPackage, string>();
  // Lookups, not scans: a lock with thousands of versions of one crate stays linear.
  const byNameVersion = new Map<string, CargoPackage | null>();
  for (const p of pkgs) {
    const same = byName.get(p.name);
    if (same) same.push(p); else byName.set(p.name, [p]);
    const key = `${p.name} ${p.version}`;
    byNameVersion.set(key, byNameVersion.has(key) ? null : p); // null: two sources lock the same version
    // Lockfile v1 kept checksums in [metadata] as "checksum NAME VERSION (SOURCE)".
    const checksum = p.checksum ?? data.metadata?.[`checksum ${p.name} ${p.version} (${p.source})`];
    const c: Component = {
      purl: makePurl({ type: 'cargo', name: p.name, version: p.version, qualifiers: sourceQualifiers(p.source) }), name: p.name, version: p.version,
      ecosystem: 'cargo', licenses: [], sourceFile: file, dependenciesComplete: true,
    };
    if (!p.source) {
      c.root = true; c.firstParty = true;
      // A workspace member is declared by its own Cargo.toml: one under examples/ is then an example's (folderScopes).
      const folder = folders.get(p.name);
      if (folder && folder !== '.' && !folder.startsWith('..')) c.sourceFile = posix.join(posix.dirname(file), folder, 'Cargo.toml');
    }
    if (checksum) c.hashes = [{ alg: 'SHA-256', value: checksum, source: `${file} checksum` }];
    if (p.source?.startsWith('git+')) c.provenance = { type: 'git', url: p.source.slice(4).replace(/#.*$/, ''), version: p.source.split('#')[1] };
    purlOf.set(p, b.component(c));
  }
  for (const p of pkgs) {
    for (const dep of p.dependencies ?? []) {
      // "name", "name version" or "name version (source)"
      const [name, version] = dep.split(' ');
      // Cargo names the source when two sources lock the same version (a git fork beside the crates.io release).
      const source = / \((.+)\)$/.exec(dep)?.[1];
      const bySource = source ? (byName.get(name!) ?? []).find((x) => x.version === version && x.source === source) : undefined;
      const exact = bySource ?? (version ? byNameVersion.get(`${name} ${version}`) : undefined);
      const candidates = version ? (exact ? [exact] : exact === null ? [null, null] : []) : byName.get(name!) ?? [];
      const kinds = p.source ? undefined : manifests.get(p.name)?.get(name!);
      if (candidates.length === 1) for (const kind of kinds ?? ['runtime' as const]) b.edge(purlOf.get(p)!, purlOf.get(candidates[0]!)!, kind);
      else b.missing({ key: dep, package: p.name, from: purlOf.get(p)!, file, reason: candidates.length ? 'ambiguous dependency in Cargo.lock' : 'dependency not in Cargo.lock' });
    }
  }
  return b.build();
}

export const cargoExtractor: Extractor = {
  id: 'cargo',
  claims: (_rel, name) => name === 'Cargo.lock',
  extract: async (files, ctx) => {
    // A Cargo.lock in a workspace member's folder is not the one Cargo builds the member with (RustDesk's
    // libs/portable/Cargo.lock, 0.1.0 and older crates beside the workspace's 1.4.9): not read, said.
    // When the workspace keeps no lock here (a library's is often not committed), the member's is the only record: read, said.
    const left: string[] = [];
    const read = files.filter((f) => {
      const ws = workspaceOfMember(ctx.files, dirname(f.path), ctx.root);
      if (!ws) return true;
      const wsLock = posix.join(posix.dirname(ws), 'Cargo.lock');
      if (!files.some((x) => x.rel === wsLock)) {
        left.push(`${f.rel}: read, but its folder is a member of the workspace ${ws}, and Cargo builds members with the workspace's Cargo.lock, which is not in the scanned folder: the versions Cargo builds may differ`);
        return true;
      }
      left.push(`${f.rel}: not read: its folder is a member of the workspace ${ws}, and Cargo builds members with the workspace's Cargo.lock (${wsLock}), not this one`);
      return false;
    });
    const out = await parseLockfiles(read, ctx, (text, f) => {
      const problems: Problem[] = [];
      const folders = new Map<string, string>();
      const part = parseCargoLock(text, f.rel, readCargoManifests(ctx.files, f.path, f.rel, problems, ctx.root, folders), folders);
      return { ...part, problems };
    });
    out.notes!.push(...left);
    return out;
  },
};
