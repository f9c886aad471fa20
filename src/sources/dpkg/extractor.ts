// Debian/Ubuntu image roots: var/lib/dpkg/status (deb-control paragraphs, Debian Policy §5),
// the distribution from etc/os-release, manual installs from apt's extended_states.
import { LIMITS } from '../../util/file-access.ts';
import { InputError, problemOf } from '../../util/errors.ts';

import { join } from 'node:path';
import { codenameOf, distroQualifier } from '../../model/platforms.ts';
import { makePurl } from '../../model/purl.ts';
import { FragmentBuilder } from '../common/fragment.ts';
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

/**
 * Whether dpkg has the package on the system: the third word of Status (want, error flag, state) is
 * "installed", or one of the trigger states that follow configuration (dpkg(1) "Package states");
 * "half-installed", "unpacked", "half-configured" and "config-files" are not installed.
 */
function isInstalled(status: string): boolean {
  return /^(installed|triggers-awaited|triggers-pending)$/.test(status.trim().split(/\s+/)[2] ?? '');
}

/** One file of dpkg's database: the status file, or one of the per-package files distroless images keep in status.d/. */
export interface DpkgFile { text: string; file: string; statusD?: boolean }

/**
 * Read an image's dpkg database. `autoInstalled`: the packages apt records as pulled in automatically;
 * undefined when apt left no record. A status.d/ file (distroless: one per package, written by its
 * image builder) has no Status field: what it lists is installed.
 */
export function parseDpkgStatus(text: string | DpkgFile[], file: string, platform: Platform | undefined, autoInstalled: Set<string> | undefined): InventoryFragment {
  const b = new FragmentBuilder();
  const files: DpkgFile[] = typeof text === 'string' ? [{ text, file }] : text;
  const installed: (Paragraph & { file: string })[] = [];
  for (const f of files) {
    const paragraphs = parseControl(f.text);
    // An image always has installed packages: an empty or unreadable status file is an error, not an empty system.
    if (!f.statusD && !paragraphs.some((p) => p.get('package') && p.get('status'))) {
      throw new InputError(f.text.trim() ? 'not a dpkg status file: no paragraph has a Package and a Status field' : 'empty dpkg status file: the image lists no installed package', f.file, 1);
    }
    if (f.statusD && !paragraphs.some((p) => p.get('package'))) throw new InputError('not a dpkg status.d file: no paragraph has a Package field', f.file, 1);
    for (const p of paragraphs) {
      if (!p.get('package')) continue;
      const status = p.get('status');
      if (status === undefined ? f.statusD : isInstalled(status)) installed.push(Object.assign(p, { file: f.file }));
    }
  }
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
      purl, name, version, ecosystem: 'deb', licenses: [], sourceFile: p.file, dependenciesComplete: true,
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
        else if (kind === 'runtime') b.missing({ key: alternatives.join(' | '), package: p.get('package')!, from, file: p.file, line: p.line, kind, reason: 'not installed in the image' });
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
function imageFacts(root: string, beside: ReadBeside): { platform?: Platform; autoInstalled?: Set<string> } {
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

const STATUS = /(^|\/)var\/lib\/dpkg\/status$/;
// distroless: one file per package (and its .md5sums, not a paragraph file) in status.d/.
const STATUS_D = /(^|\/)var\/lib\/dpkg\/status\.d\/[^/]+$/;
// Beside a package's paragraph file: its dpkg info files (md5sums, maintainer scripts), not paragraphs.
const INFO_FILE = /\.(md5sums|conffiles|list|preinst|postinst|prerm|postrm|config|templates|triggers|shlibs|symbols)$/;

/** The image root a database file belongs to, as a path prefix ("" or "…/"). */
function rootOf(path: string): string {
  return path.slice(0, path.lastIndexOf('var/lib/dpkg/'));
}

export const dpkgExtractor: Extractor = {
  id: 'dpkg',
  claims: (rel, name) => STATUS.test(rel) || (STATUS_D.test(rel) && !INFO_FILE.test(name)),
  async extract(files, ctx) {
    const out: InventoryFragment = { components: [], dependencies: [], unresolved: [], notes: [] };
    // One database per image root: its status file and its status.d/ files together.
    const roots = new Map<string, FoundFile[]>();
    for (const f of files) {
      const key = rootOf(f.rel);
      roots.set(key, [...(roots.get(key) ?? []), f]);
    }
    for (const group of roots.values()) {
      const texts: DpkgFile[] = [];
      for (const f of group.sort((x, y) => (STATUS.test(x.rel) ? 0 : 1) - (STATUS.test(y.rel) ? 0 : 1) || (x.rel < y.rel ? -1 : 1))) {
        const text = await ctx.read(f);
        if (text !== undefined) texts.push({ text, file: f.rel, statusD: !STATUS.test(f.rel) });
      }
      if (!texts.length) continue;
      const facts = imageFacts(rootOf(group[0]!.path), ctx.beside);
      // A status.d/ file that is not one is reported and left out; the others still count.
      const good: DpkgFile[] = [];
      for (const t of texts) {
        try { parseDpkgStatus([t], t.file, undefined, undefined); good.push(t); } catch (e) { ctx.problem(problemOf(e, t.file)); }
      }
      if (!good.length) continue;
      const part = parseDpkgStatus(good, good[0]!.file, facts.platform, facts.autoInstalled);
      for (const c of part.components) out.components.push(c);
      for (const d of part.dependencies) out.dependencies.push(d);
      for (const u of part.unresolved ?? []) out.unresolved!.push(u);
    }
    return out;
  },
};
