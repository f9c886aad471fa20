// apt's Packages indexes (deb822 paragraphs, Debian Policy §5.3 and the Debian repository
// format): what each binary package is, its version, its source package and what it needs.
import { parseControl } from '../parsers/deb-control.ts';
import type { Platform } from '../model/platforms.ts';

export interface AptPackage {
  name: string;
  version: string;
  arch?: string;
  /** Source package name and version (the binary's own when the field is absent, Policy §5.6.1). */
  source: string;
  sourceVersion: string;
  depends?: string;
  preDepends?: string;
  provides?: string;
  priority?: string;
  essential?: boolean;
  maintainer?: string;
  homepage?: string;
  sha256?: string;
  /** Ubuntu's indexes carry SHA512 of each .deb; Debian's do not. */
  sha512?: string;
  filename?: string;
}

export function parsePackagesIndex(text: string): AptPackage[] {
  const out: AptPackage[] = [];
  for (const p of parseControl(text)) {
    const name = p.get('package');
    const version = p.get('version');
    if (!name || !version) continue;
    // "Source: name (version)" when the source version differs from the binary's.
    const src = /^(\S+)(?:\s+\(([^)]+)\))?/.exec(p.get('source') ?? '');
    const a: AptPackage = { name, version, source: src?.[1] ?? name, sourceVersion: src?.[2] ?? version };
    const set = <K extends keyof AptPackage>(k: K, field: string) => { const v = p.get(field); if (v) (a as unknown as Record<string, unknown>)[k] = v; };
    set('arch', 'architecture');
    set('depends', 'depends');
    set('preDepends', 'pre-depends');
    set('provides', 'provides');
    set('priority', 'priority');
    set('maintainer', 'maintainer');
    set('homepage', 'homepage');
    set('sha256', 'sha256');
    set('sha512', 'sha512');
    set('filename', 'filename');
    if (p.get('essential') === 'yes') a.essential = true;
    out.push(a);
  }
  return out;
}

export function looksLikePackagesIndex(text: string): boolean {
  const head = text.slice(0, 2048);
  return /^Package: \S+$/m.test(head) && /^Version: \S+$/m.test(head) && /^(Filename|Architecture): /m.test(head);
}

const SUITE_OS: [RegExp, string][] = [[/ubuntu/i, 'ubuntu'], [/debian/i, 'debian']];

/**
 * The platform of an index apt stored under /var/lib/apt/lists, from its file name
 * ("deb.debian.org_debian_dists_bookworm-security_main_binary-amd64_Packages.lz4").
 */
export function platformOfListFile(fileName: string): Platform | undefined {
  // A URL on a mirror (…/debian/dists/bookworm/main/binary-amd64/Packages.xz) says the same with slashes.
  fileName = fileName.replace(/^[a-z]+:\/\//i, '').replace(/\//g, '_');
  const m = /_dists_([a-z]+)(?:-[a-z]+)?_/.exec(fileName);
  if (!m) return undefined;
  const os = SUITE_OS.find(([re]) => re.test(fileName.slice(0, m.index)))?.[1];
  return os ? { os, codename: m[1]! } : undefined;
}
