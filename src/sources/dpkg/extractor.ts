// Debian/Ubuntu image roots: var/lib/dpkg/status (deb-control paragraphs, Debian Policy §5),
// the distribution from etc/os-release, manual installs from apt's extended_states.
import { LIMITS } from '../../util/file-access.ts';
import { InputError } from '../../util/errors.ts';

import { join } from 'node:path';
import { codenameOf, distroQualifier } from '../../model/platforms.ts';
import { makePurl } from '../../model/purl.ts';
import { FragmentBuilder } from '../common/fragment.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { osReleaseAt } from '../common/os-release.ts';
import type { Component, Person } from '../../model/inventory.ts';
import type { Extractor, FoundFile, InventoryFragment, ReadBeside } from '../extractor.ts';
import type { Platform } from '../../model/platforms.ts';
import { parseControl, type Paragraph } from '../../parsers/deb-control.ts';

function person(text: string | undefined): Person | undefined {
  if (!text) return undefined;
  const m = /^(.*?)\s*<([^>]+)>/.exec(text);
  return m ? { name: m[1]!, email: m[2]! } : { name: text };
}

/** Names in a Depends field; alternatives ("a | b") resolve to the first one installed. */
function relations(field: string | undefined): string[][] {
  if (!field) return [];
  return field.split(',').map((alt) => alt.split('|').map((a) => a.trim().replace(/\s*\(.*?\)/, '').replace(/\s*\[.*?\]/, '').replace(/:\w+$/, '').trim()).filter(Boolean));
}

/** `autoInstalled`: the packages apt records as pulled in automatically; undefined when apt left no record. */
export function parseDpkgStatus(text: string, file: string, platform: Platform | undefined, autoInstalled: Set<string> | undefined): InventoryFragment {
  const b = new FragmentBuilder();
  const paragraphs = parseControl(text);
  // An image always has installed packages: an empty or unreadable status file is an error, not an empty system.
  if (!paragraphs.some((p) => p.get('package') && p.get('status'))) {
    throw new InputError(text.trim() ? 'not a dpkg status file: no paragraph has a Package and a Status field' : 'empty dpkg status file: the image lists no installed package', file, 1);
  }
  const installed = paragraphs.filter((p) => /\binstalled$/.test(p.get('status') ?? '') && p.get('package'));
  const qualifiers = (p: Paragraph): Record<string, string> => {
    const q: Record<string, string> = {};
    const arch = p.get('architecture');
    if (arch) q['arch'] = arch;
    if (platform) q['distro'] = distroQualifier(platform);
    return q;
  };
  const ns = platform?.os ?? 'debian';
  const purlByName = new Map<string, string>();
  const provides = new Map<string, string>();
  for (const p of installed) {
    const name = p.get('package')!;
    const version = p.get('version') ?? '';
    const purl = makePurl({ type: 'deb', namespace: ns, name, version, qualifiers: qualifiers(p) });
    const c: Component = {
      purl, name, version, ecosystem: 'deb', licenses: [], sourceFile: file, dependenciesComplete: true,
      description: p.get('description')?.split('\n')[0],
    };
    const maint = person(p.get('maintainer'));
    if (maint) c.supplier = maint;
    if (p.get('homepage')) c.homepage = p.get('homepage');
    const source = p.get('source');
    if (source) c.properties = { 'deb:source': source.split(' ')[0]! };
    // apt marks what a person asked for; the rest came in as dependencies. Essential and required
    // packages are the system itself (Debian Policy §3.8, §2.5): roots even when nothing depends on them.
    const essential = p.get('essential') === 'yes';
    const priority = p.get('priority');
    if (essential || priority === 'required') {
      c.root = true;
      c.properties = { ...c.properties, ...(essential ? { 'deb:essential': 'yes' } : {}), ...(priority ? { 'deb:priority': priority } : {}) };
    }
    if (autoInstalled && !autoInstalled.has(name)) c.root = true;
    purlByName.set(name, b.component(c));
    for (const prov of relations(p.get('provides')).flat()) if (!provides.has(prov)) provides.set(prov, purl);
  }
  const targets = new Set<string>();
  for (const p of installed) {
    const from = purlByName.get(p.get('package')!)!;
    for (const [field, kind] of [['pre-depends', 'runtime'], ['depends', 'runtime'], ['recommends', 'optional']] as const) {
      for (const alternatives of relations(p.get(field))) {
        const hit = alternatives.map((a) => purlByName.get(a) ?? provides.get(a)).find(Boolean);
        if (hit) { b.edge(from, hit, kind); targets.add(hit); }
        else if (kind === 'runtime') b.missing({ key: alternatives.join(' | '), package: p.get('package')!, from, file, line: p.line, kind, reason: 'not installed in the image' });
      }
    }
  }
  if (!autoInstalled) {
    // Without apt's records, the packages nothing depends on are the image's roots.
    for (const purl of purlByName.values()) if (!targets.has(purl)) b.markRoot(purl);
  }
  return b.build();
}

// Files an image may lack; os-release is a few lines, apt's records grow with the packages (16 MiB).
function imageFacts(file: FoundFile, beside: ReadBeside): { platform?: Platform; autoInstalled?: Set<string> } {
  const root = file.path.slice(0, file.path.length - 'var/lib/dpkg/status'.length);
  const o = osReleaseAt(root, beside);
  let platform: Platform | undefined;
  if (o) {
    const os = (o['ID'] ?? 'debian').toLowerCase();
    const codename = o['VERSION_CODENAME'] || (o['VERSION_ID'] ? codenameOf(os, o['VERSION_ID']) : undefined);
    if (codename) platform = { os, codename };
  }
  const states = beside(join(root, 'var/lib/apt/extended_states'), LIMITS.policy);
  const autoInstalled = states === undefined ? undefined
    : new Set(parseControl(states).filter((p) => p.get('auto-installed') === '1').map((p) => p.get('package')!));
  return { platform, autoInstalled };
}

export const dpkgExtractor: Extractor = {
  id: 'dpkg',
  claims: (rel) => rel === 'var/lib/dpkg/status' || rel.endsWith('/var/lib/dpkg/status'),
  extract: (files, ctx) => parseLockfiles(files, ctx, (text, f) => {
    const facts = imageFacts(f, ctx.beside);
    return parseDpkgStatus(text, f.rel, facts.platform, facts.autoInstalled);
  }),
};
