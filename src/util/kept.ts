// A result kept between runs under the cache folder ($MARQUE_CACHE_DIR): one file, a header line
// (what it was made by and for, and the SHA-256 of the body) and the JSON body. A file made by
// another format or build, for other inputs, or damaged is ignored as if absent; writes are atomic;
// a cache that cannot be written only costs speed.
import { hash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { FileAccess } from './file-access.ts';
import { writeFileAtomic } from './fs.ts';

/** What a kept file was made by and for: all must be the same for it to be used. */
export interface KeptHeader { format: number; build: string; key: string }

/** The body of the kept file at `path` when its header is `header` and its checksum holds. */
export function loadKept(path: string, header: KeptHeader): unknown {
  try {
    const text = FileAccess.within(dirname(path)).readIfPresentSync(path);
    if (text === undefined) return undefined;
    const eol = text.indexOf('\n');
    if (eol < 0) return undefined; // no header: an older cache's file
    const h = JSON.parse(text.slice(0, eol)) as Partial<KeptHeader> & { sha256?: unknown };
    const body = text.slice(eol + 1);
    if (h.format !== header.format || h.build !== header.build || h.key !== header.key || h.sha256 !== hash('sha256', body, 'hex')) return undefined;
    return JSON.parse(body) as unknown;
  } catch {
    return undefined; // unreadable or damaged: the work is done again
  }
}

export function saveKept(path: string, header: KeptHeader, body: unknown): void {
  try {
    const text = JSON.stringify(body);
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, `${JSON.stringify({ ...header, sha256: hash('sha256', text, 'hex') })}\n${text}`);
  } catch {
    // a read-only or full cache only costs speed
  }
}
