// Parsed package.xml files of one workspace, kept between runs by path: each with the SHA-256 of the
// text it was parsed from and, when the walk saw the file settled (FoundFile.stamp), its stamp. A file
// whose stamp is the kept one is not read at all (its kept SHA-256 counts among the inputs, as git
// trusts an index entry's stat data); one without, or with another stamp, is read and its text's
// SHA-256 compared, so a warm inventory of a 400-package workspace parses no XML, and one whose files
// settled reads none. One cache file per workspace, holding only the entries of the last run
// (util/kept.ts: checksummed, written atomically; unreadable or damaged means empty).
import { hash } from 'node:crypto';
import { join } from 'node:path';
import type { Problem } from '../../model/inventory.ts';
import { loadKept, saveKept } from '../../util/kept.ts';
import { cacheDir } from '../../util/yaml.ts';
import type { PackageManifest } from '../../parsers/package-xml.ts';
import type { FoundFile } from '../extractor.ts';

export type Parsed = { manifest: PackageManifest; warnings: Problem[] };
/** A file's entry: its settled stamp when read (null: none), its text's SHA-256, and its parse. */
type Entry = [stamp: string | null, sha256: string, parsed: Parsed];
/** Kept for any build, as before: entries are checked by path and content (or stamp), the format by FORMAT. */
const HEADER = { format: 3, build: '', key: 'package.xml' };

const isEntry = (e: unknown): e is Entry => Array.isArray(e) && e.length === 3 && (e[0] === null || typeof e[0] === 'string') && typeof e[1] === 'string' && typeof e[2] === 'object' && e[2] !== null;

export function manifestCachePath(root: string): string {
  return join(cacheDir(), 'manifests', `${hash('sha256', root, 'hex').slice(0, 32)}.json`);
}

export class ManifestCache {
  private readonly path: string;
  private readonly old = new Map<string, Entry>();
  private readonly used = new Map<string, Entry>();
  private changed = false;

  constructor(root: string) {
    this.path = manifestCachePath(root);
    // No cache yet, or unreadable: everything is read and parsed.
    const data = loadKept(this.path, HEADER) as { entries?: Record<string, unknown> } | undefined;
    if (data?.entries && typeof data.entries === 'object') for (const [k, v] of Object.entries(data.entries)) if (isEntry(v)) this.old.set(k, v);
  }

  /** The kept parse and text SHA-256 of a file the walk saw with the stamp it was kept with; undefined otherwise. */
  byStamp(file: FoundFile): { parsed: Parsed; sha256: string } | undefined {
    const e = this.old.get(file.rel);
    if (!e || e[0] === null || file.stamp === undefined || e[0] !== file.stamp.id) return undefined;
    this.used.set(file.rel, e);
    return { parsed: e[2], sha256: e[1] };
  }

  /**
   * The parsed file, from the cache when its path and text are unchanged. `stamp`: the file's settled
   * stamp, taken before `text` was read and the same after (null: none), kept with the entry.
   */
  get(file: string, text: string, stamp: string | null, parse: () => Parsed): Parsed {
    const sha256 = hash('sha256', text, 'hex');
    const e = this.old.get(file);
    const parsed = e && e[1] === sha256 ? e[2] : parse();
    if (!e || e[1] !== sha256 || e[0] !== stamp) this.changed = true;
    this.used.set(file, [stamp, sha256, parsed]);
    return parsed;
  }

  save(): void {
    if (!this.changed && this.used.size === this.old.size) return;
    saveKept(this.path, HEADER, { entries: Object.fromEntries(this.used) });
  }
}
