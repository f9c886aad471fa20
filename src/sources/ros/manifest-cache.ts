// Parsed package.xml files of one workspace, kept between runs keyed by path and content: a
// warm inventory of a 400-package workspace then parses no XML at all. One cache file per
// workspace, holding only the entries of the last run, written atomically; unreadable means empty.
import { createHash, hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../../model/inventory.ts';
import { writeFileAtomic } from '../../util/fs.ts';
import { mkdirSync } from 'node:fs';
import { cacheDir } from '../../util/yaml.ts';
import type { PackageManifest } from '../../parsers/package-xml.ts';

type Parsed = { manifest: PackageManifest; warnings: Problem[] };
const FORMAT = 1;

export class ManifestCache {
  private readonly path: string;
  private readonly old = new Map<string, Parsed>();
  private readonly used = new Map<string, Parsed>();
  private changed = false;

  constructor(root: string) {
    this.path = join(cacheDir(), 'manifests', `${createHash('sha256').update(root).digest('hex').slice(0, 32)}.json`);
    try {
      const data = JSON.parse(readFileSync(this.path, 'utf8')) as { format?: number; entries?: Record<string, Parsed> };
      if (data.format === FORMAT) for (const [k, v] of Object.entries(data.entries ?? {})) this.old.set(k, v);
    } catch {
      // no cache yet, or unreadable: everything is parsed
    }
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
    try {
      mkdirSync(join(cacheDir(), 'manifests'), { recursive: true });
      writeFileAtomic(this.path, JSON.stringify({ format: FORMAT, entries: Object.fromEntries(this.used) }));
    } catch {
      // a cache that cannot be written only costs speed
    }
  }
}
