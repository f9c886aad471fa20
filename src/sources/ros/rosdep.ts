// rosdep rule files (REP 111; rosdep's lookup.py): a key → per-OS, per-codename, per-installer
// packages. The first file defining a key wins, as rosdep merges its sources.
import { LIMITS, type FileAccess } from '../../util/file-access.ts';

import { DEFAULT_INSTALLER } from '../../model/platforms.ts';
import { InputError } from '../../util/errors.ts';
import { isRecord, parseYamlCached } from '../../util/yaml.ts';
import type { Platform } from '../extractor.ts';

export interface RosdepRule { key: string; file: string; definition: unknown }

export type RosdepResolution =
  | { ok: true; installer: string; packages: string[]; file: string }
  | { ok: false; reason: string };

/** Installer keys rosdep knows; installer keys win over codenames when both could match. */
const INSTALLERS = new Set(['apt', 'pip', 'dnf', 'yum', 'homebrew', 'macports', 'source', 'pacman', 'portage', 'emerge',
  'zypper', 'pkg', 'pkg_add', 'apk', 'nix', 'gem', 'npm', 'slackpkg', 'opkg', 'apt-cyg', 'chocolatey', 'conda', 'cargo']);

export class RosdepDatabase {
  private readonly rules = new Map<string, RosdepRule>();
  readonly files: string[] = [];

  /** Add one rule file's contents; keys already defined by an earlier file are kept. */
  add(text: string, file: string): void {
    const data = parseYamlCached(text, file);
    if (data === null || data === undefined) return;
    if (!isRecord(data)) throw new InputError('rosdep rule file must be a mapping of keys to rules', file, 1);
    for (const [key, definition] of Object.entries(data)) {
      if (!this.rules.has(key)) this.rules.set(key, { key, file, definition });
    }
    this.files.push(file);
  }

  has(key: string): boolean { return this.rules.has(key); }
  get size(): number { return this.rules.size; }

  resolve(key: string, platform: Platform): RosdepResolution | undefined {
    const rule = this.rules.get(key);
    if (!rule) return undefined;
    const r = resolveRule(rule.definition, platform);
    return r.ok ? { ...r, file: rule.file } : r;
  }
}

function packagesOf(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) return value.flatMap((v) => (typeof v === 'string' ? v.split(/\s+/).filter(Boolean) : []));
  if (isRecord(value) && 'packages' in value) return packagesOf(value['packages']);
  return undefined;
}

/** rosdep's RosdepDefinition.get_rule_for_platform, for one OS and codename. */
export function resolveRule(definition: unknown, platform: Platform): { ok: true; installer: string; packages: string[] } | { ok: false; reason: string } {
  const where = `${platform.os}:${platform.codename}`;
  if (!isRecord(definition)) return { ok: false, reason: 'rule is not a mapping' };
  let data: unknown;
  if (platform.os in definition) data = definition[platform.os];
  else if ('*' in definition) data = definition['*'];
  else return { ok: false, reason: `no rule for ${platform.os}` };
  if (data === null) return { ok: false, reason: `explicitly unavailable on ${platform.os}` };
  const fallback = DEFAULT_INSTALLER[platform.os] ?? 'apt';

  const pickInstaller = (d: Record<string, unknown>): { installer: string; value: unknown } | undefined => {
    const inst = Object.keys(d).find((k) => INSTALLERS.has(k));
    return inst ? { installer: inst, value: d[inst] } : undefined;
  };

  if (isRecord(data) && !('packages' in data)) {
    let found = pickInstaller(data);
    if (!found) {
      let byVersion: unknown;
      if (platform.codename in data) byVersion = data[platform.codename];
      else if ('*' in data) byVersion = data['*'];
      else return { ok: false, reason: `no rule for ${where}` };
      if (byVersion === null) return { ok: false, reason: `explicitly unavailable on ${where}` };
      if (isRecord(byVersion) && !('packages' in byVersion)) {
        found = pickInstaller(byVersion);
        if (!found) return { ok: false, reason: `no installer named in the rule for ${where}` };
      } else {
        found = { installer: fallback, value: byVersion };
      }
    }
    if (found.value === null) return { ok: false, reason: `explicitly unavailable on ${where}` };
    const packages = packagesOf(found.value);
    if (!packages) return { ok: false, reason: `unreadable ${found.installer} rule for ${where}` };
    return { ok: true, installer: found.installer, packages };
  }
  const packages = packagesOf(data);
  if (!packages) return { ok: false, reason: `unreadable rule for ${where}` };
  return { ok: true, installer: fallback, packages };
}

const loaded = new Map<string, Promise<RosdepDatabase>>();

/** Load rule files once per process and list of paths. */
export function loadRosdep(files: readonly string[], access: FileAccess): Promise<RosdepDatabase> {
  const cacheKey = files.join('\0');
  let db = loaded.get(cacheKey);
  if (!db) {
    db = (async () => {
      const d = new RosdepDatabase();
      const texts = await Promise.all(files.map((f) => access.readText(f, LIMITS.rosIndex)));
      texts.forEach((t, i) => d.add(t, files[i]!));
      return d;
    })();
    loaded.set(cacheKey, db);
    db.catch(() => loaded.delete(cacheKey));
  }
  return db;
}
