// rosdep rule files (REP 111; rosdep's lookup.py): a key → per-OS, per-codename, per-installer
// packages. The first file defining a key wins, as rosdep merges its sources.
import { LIMITS, type FileAccess } from '../../util/file-access.ts';

import { DEFAULT_INSTALLER } from '../../model/platforms.ts';
import { InputError } from '../../util/errors.ts';
import { bundledIndex, isRecord, parseYamlCached } from '../../util/yaml.ts';
import type { LookupTable } from '../../util/lookup-table.ts';
import type { Platform } from '../../model/platforms.ts';

export interface RosdepRule { key: string; file: string; definition: unknown }

export type RosdepResolution =
  | { ok: true; installer: string; packages: string[]; file: string }
  | { ok: false; reason: string };

/** Installer keys rosdep knows; installer keys win over codenames when both could match. */
const INSTALLERS = new Set(['apt', 'pip', 'dnf', 'yum', 'homebrew', 'macports', 'source', 'pacman', 'portage', 'emerge',
  'zypper', 'pkg', 'pkg_add', 'apk', 'nix', 'gem', 'npm', 'slackpkg', 'opkg', 'apt-cyg', 'chocolatey', 'conda', 'cargo']);

export class RosdepDatabase {
  // One layer per rule file, in order: a key is looked up where it is, never copied into one map
  // (the bundled files hold some 3,500 keys, and a product asks for a few dozen).
  private readonly layers: ({ file: string; rules: Record<string, unknown>; table?: undefined } | { file: string; table: LookupTable })[] = [];
  readonly files: string[] = [];

  /** Add one rule file's contents; keys already defined by an earlier file are kept. */
  add(text: string, file: string): void {
    this.addParsed(parseYamlCached(text, file), file);
  }

  addParsed(data: unknown, file: string): void {
    if (data === null || data === undefined) return;
    if (!isRecord(data)) throw new InputError('rosdep rule file must be a mapping of keys to rules', file, 1);
    this.layers.push({ file, rules: data });
    this.files.push(file);
  }

  /** A rule file whose definitions are kept as JSON text, parsed when a key is looked up (bundled data). */
  addSerialised(table: LookupTable, file: string): void {
    this.layers.push({ file, table });
    this.files.push(file);
  }

  private rule(key: string): RosdepRule | undefined {
    for (const layer of this.layers) {
      if (layer.table) {
        const text = layer.table.get(key);
        if (text !== undefined) return { key, file: layer.file, definition: JSON.parse(text) };
      } else if (Object.hasOwn(layer.rules, key)) {
        return { key, file: layer.file, definition: layer.rules[key] };
      }
    }
    return undefined;
  }

  has(key: string): boolean { return this.layers.some((l) => (l.table ? l.table.has(key) : Object.hasOwn(l.rules, key))); }
  get size(): number { return new Set(this.layers.flatMap((l) => (l.table ? [...l.table.keys()] : Object.keys(l.rules)))).size; }

  resolve(key: string, platform: Platform): RosdepResolution | undefined {
    const rule = this.rule(key);
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
      // Bundled rule files, in an installed package, come as their definitions' JSON text (built by
      // scripts/prepare-data.ts); any other file is read (confined) and parsed (through the parse cache).
      const bundled = files.map((f) => bundledIndex(f));
      const texts = await Promise.all(files.map((f, i) => (bundled[i] ? undefined : access.readText(f, LIMITS.rosIndex))));
      texts.forEach((t, i) => (t === undefined ? d.addSerialised(bundled[i]!.table, files[i]!) : d.add(t, files[i]!)));
      return d;
    })();
    loaded.set(cacheKey, db);
    db.catch(() => loaded.delete(cacheKey));
  }
  return db;
}
