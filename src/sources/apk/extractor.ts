// Alpine's package database, lib/apk/db/installed: one block per package, "X:value" lines (P name,
// V version, A arch, L licence, o origin, c commit, D dependencies, p provides). Dependencies name
// packages, or what packages provide (so:libc.musl-x86_64.so.1, cmd:apk, /bin/sh): both resolve.
import { join } from 'node:path';
import { makePurl } from '../../model/purl.ts';
import { mapLicenses } from '../../util/license.ts';
import { InputError } from '../../util/errors.ts';
import { LIMITS } from '../../util/file-access.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { osReleaseAt } from '../common/os-release.ts';
import type { Extractor, InventoryFragment, ReadBeside } from '../extractor.ts';
import type { Component } from '../../model/inventory.ts';

export function parseApkInstalled(text: string, file: string, alpineVersion?: string): InventoryFragment {
  const b = new FragmentBuilder();
  const blocks: { fields: Map<string, string[]>; line: number }[] = [];
  let cur: { fields: Map<string, string[]>; line: number } | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.trim()) { cur = undefined; return; }
    const m = /^([A-Za-z]):(.*)$/.exec(line);
    if (!m) throw new InputError(`malformed apk database line "${line.slice(0, 60)}" (expected X:value)`, file, i + 1);
    if (!cur) blocks.push((cur = { fields: new Map(), line: i + 1 }));
    const l = cur.fields.get(m[1]!);
    if (l) l.push(m[2]!); else cur.fields.set(m[1]!, [m[2]!]);
  });
  // As for dpkg's status file: an image always has installed packages, so an empty database is an error, not an empty system.
  if (!blocks.length) throw new InputError('empty apk database: the image lists no installed package', file, 1);
  const get = (blk: (typeof blocks)[number], k: string) => blk.fields.get(k)?.[0];
  const byName = new Map<string, string>();
  const provides = new Map<string, string>();
  for (const blk of blocks) {
    const name = get(blk, 'P'), version = get(blk, 'V');
    if (!name || !version) throw new InputError('a package without P: (name) or V: (version)', file, blk.line);
    const arch = get(blk, 'A');
    const lic = mapLicenses(get(blk, 'L') ? [get(blk, 'L')!] : []);
    const qualifiers: Record<string, string> = { ...(arch ? { arch } : {}), ...(alpineVersion ? { distro: `alpine-${alpineVersion}` } : {}) };
    const c: Component = {
      purl: makePurl({ type: 'apk', namespace: 'alpine', name, version, ...(Object.keys(qualifiers).length ? { qualifiers } : {}) }), name, version, ecosystem: 'apk',
      licenses: [...lic.spdx, ...lic.raw], sourceFile: file, dependenciesComplete: true,
      properties: { ...(get(blk, 'o') ? { 'apk:origin': get(blk, 'o')! } : {}), ...(get(blk, 'c') ? { 'apk:commit': get(blk, 'c')! } : {}) },
    };
    if (get(blk, 'L')) c.licensesDeclared = [get(blk, 'L')!];
    const purl = b.component(c);
    byName.set(name, purl);
    for (const p of (get(blk, 'p') ?? '').split(/\s+/).filter(Boolean)) provides.set(p.split('=')[0]!, purl);
  }
  const targets = new Set<string>();
  for (const blk of blocks) {
    const from = byName.get(get(blk, 'P')!)!;
    for (const dep of (get(blk, 'D') ?? '').split(/\s+/).filter(Boolean)) {
      if (dep.startsWith('!')) continue; // a conflict, not a dependency
      const name = dep.split(/[<>=~]/)[0]!;
      const to = byName.get(name) ?? provides.get(name);
      if (to) { b.edge(from, to, 'runtime'); targets.add(to); }
      else b.missing({ key: dep, package: get(blk, 'P')!, from, file, line: blk.line, reason: 'not installed in the image' });
    }
  }
  // apk's world file names what was asked for; without it, what nothing depends on is a root.
  for (const purl of byName.values()) if (!targets.has(purl)) b.markRoot(purl);
  return b.build();
}

function alpineVersionBeside(file: string, beside: ReadBeside): string | undefined {
  const root = file.slice(0, file.length - 'lib/apk/db/installed'.length);
  const fromOsRelease = osReleaseAt(root, beside)?.['VERSION_ID'];
  if (fromOsRelease) return fromOsRelease;
  return beside(join(root, 'etc/alpine-release'), LIMITS.small)?.trim() || undefined;
}

export const apkExtractor: Extractor = {
  id: 'apk',
  claims: (rel) => rel === 'lib/apk/db/installed' || rel.endsWith('/lib/apk/db/installed'),
  extract: (files, ctx) => parseLockfiles(files, ctx, (text, f) => parseApkInstalled(text, f.rel, alpineVersionBeside(f.path, ctx.beside))),
};

