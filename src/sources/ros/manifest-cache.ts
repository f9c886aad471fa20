// Parsed package.xml files of one workspace, kept between runs keyed by path and content: a
// warm inventory of a 400-package workspace then parses no XML at all. One cache file per
// workspace, holding only the entries of the last run (util/kept.ts: checksummed, written atomically;
// unreadable or damaged means empty).
import { createHash, hash } from 'node:crypto';
import { join } from 'node:path';
import type { Problem } from '../../model/inventory.ts';
import { loadKept, saveKept } from '../../util/kept.ts';
import { cacheDir } from '../../util/yaml.ts';
import type { PackageManifest } from '../../parsers/package-xml.ts';

type Parsed = { manifest: PackageManifest; warnings: Problem[] };
/** Kept for any build, as before: entries are keyed by path and content, the format by FORMAT. */
const HEADER = { format: 2, build: '', key: 'package.xml' };

export class ManifestCache {
  private readonly path: string;
  private readonly old = new Map<string, Parsed>();
  private readonly used = new Map<string, Parsed>();
  private changed = false;

  constructor(root: string) {
    this.path = join(cacheDir(), 'manifests', `${createHash('sha256').update(root).digest('hex').slice(0, 32)}.json`);
    // No cache yet, or unreadable: everything is parsed.
    const data = loadKept(this.path, HEADER) as { entries?: Record<string, Parsed> } | undefined;
    if (data?.entries && typeof data.entries === 'object') for (const [k, v] of Object.entries(data.entries)) this.old.set(k, v);
  }

  /** The parsed file, from the cache when its path and text are unchanged. */
  get(file: string, text: string, parse: () => Parsed): Parsed {
    const key = hash('sha256', `${file}\0${text}`, 'hex');
    let hit = this.old.get(key);
    if (!hit) { hit = parse(); this.changed = true; }
    this.used.set(key, hit);
    return hit;
  }

  save(): void {
    if (!this.changed && this.used.size === this.old.size) return;
    saveKept(this.path, HEADER, { entries: Object.fromEntries(this.used) });
  }
}
