// Download of advisory sources over HTTPS into temporary files, for an atomic import afterwards.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

/** The public locations Marque updates from unless told otherwise. */
// GIT holds the records whose ranges name a source repository (NVD-derived CVEs of C/C++ projects).
export const OSV_ECOSYSTEMS = ['PyPI', 'npm', 'crates.io', 'Go', 'Maven', 'RubyGems', 'Debian', 'Ubuntu', 'GIT'];
export const DEFAULT_SOURCES: readonly string[] = [
  ...OSV_ECOSYSTEMS.map((e) => `https://osv-vulnerabilities.storage.googleapis.com/${encodeURIComponent(e)}/all.zip`),
  'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
  'https://epss.empiricalsecurity.com/epss_scores-current.csv.gz',
];

/** A download larger than this is refused (OSV's largest per-ecosystem dump is well under it). */
export const MAX_DOWNLOAD_BYTES = 4 * 1024 * 1024 * 1024;

/** Plain HTTP is accepted only on this machine (tests, mirrors on loopback); advisories travel over TLS. */
export function checkUrl(url: string): URL {
  let u: URL;
  try { u = new URL(url); } catch { throw new Error(`not a URL: ${url}`); }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) throw new Error(`refusing ${u.protocol}// for ${url}: advisory data is fetched over HTTPS only (plain HTTP only on loopback)`);
  return u;
}

/** The file name that tells the importer what a source is, e.g. "PyPI-all.zip". */
function localName(u: URL, i: number): string {
  const parts = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const name = basename(u.pathname) || `source-${i}`;
  return `${i}-${name === 'all.zip' && parts.length > 1 ? `${parts.at(-2)}-all.zip` : name}`;
}

export async function downloadAll(urls: readonly string[], onProgress?: (msg: string) => void, fetchImpl: typeof fetch = fetch): Promise<{ dir: string; files: string[] }> {
  const dir = await mkdtemp(join((await import('node:os')).tmpdir(), 'marque-download-'));
  const files: string[] = [];
  try {
    for (const [i, url] of urls.entries()) {
      const u = checkUrl(url);
      onProgress?.(`downloading ${url}`);
      const res = await fetchImpl(u, { redirect: 'follow' });
      if (!res.ok || !res.body) throw new Error(`${url}: HTTP ${res.status} ${res.statusText}`);
      const declared = Number(res.headers.get('content-length') ?? NaN);
      if (declared > MAX_DOWNLOAD_BYTES) throw new Error(`${url}: ${declared} bytes, over the ${MAX_DOWNLOAD_BYTES}-byte limit`);
      const file = join(dir, localName(u, i));
      let seen = 0;
      const limit = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          seen += chunk.length;
          if (seen > MAX_DOWNLOAD_BYTES) cb(new Error(`${url}: more than ${MAX_DOWNLOAD_BYTES} bytes`));
          else cb(null, chunk);
        },
      });
      await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), limit, createWriteStream(file));
      if (!Number.isNaN(declared) && seen !== declared) throw new Error(`${url}: received ${seen} of ${declared} bytes`);
      files.push(file);
    }
    return { dir, files };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
