// Download of advisory sources over HTTPS into temporary files, for an atomic import afterwards.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

// The OSV ecosystems whose all.zip "db update" downloads: those of every reader whose archive is of
// ordinary size (the RPM distributions' are far larger: added with --source); GIT holds the records
// whose ranges name a source repository (NVD-derived CVEs of C/C++ projects).
export const DOWNLOADED_OSV_ECOSYSTEMS: readonly string[] = ['PyPI', 'npm', 'crates.io', 'Go', 'Maven', 'RubyGems', 'Packagist', 'NuGet', 'Hex', 'Pub', 'Debian', 'Ubuntu', 'Alpine', 'GIT'];
/** OSV's per-ecosystem archive, as its bucket serves it. */
export const OSV_ARCHIVE = (ecosystem: string): string => `https://osv-vulnerabilities.storage.googleapis.com/${encodeURIComponent(ecosystem)}/all.zip`;
/** The public locations Marque updates from unless told otherwise. */
export const DEFAULT_SOURCES: readonly string[] = [
  ...DOWNLOADED_OSV_ECOSYSTEMS.map(OSV_ARCHIVE),
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

/** No byte for this long (connecting, waiting for headers, or between chunks): the server is gone. */
export const idleTimeoutMs = (): number => Number(process.env['MARQUE_DOWNLOAD_IDLE_MS']) || 60_000;
const MAX_REDIRECTS = 5;

/** "fetch failed" says nothing: name the URL and the network's own reason. */
function networkError(url: string, e: unknown): Error {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'AbortError' || err.name === 'TimeoutError') return new Error(`${url}: no data for ${idleTimeoutMs() / 1000} s; the server stopped answering`);
  const c = err.cause;
  const cause = c?.message ? (c.code && !c.message.includes(c.code) ? `${c.code} ${c.message}` : c.message) : c?.code ?? err.message;
  return new Error(`cannot download ${url}: ${cause}. Offline? "marque db import PATH" reads the same data from local files`);
}

/**
 * Fetch one URL, following redirects by hand so that every hop meets the HTTPS rule (fetch's own
 * "follow" would let https → http pass). The signal aborts when the server goes quiet.
 */
async function fetchChecked(url: string, fetchImpl: typeof fetch, signal: AbortSignal): Promise<Response> {
  let current = checkUrl(url);
  for (let hop = 0; ; hop++) {
    let res: Response;
    try { res = await fetchImpl(current, { redirect: 'manual', signal }); } catch (e) { throw networkError(current.href, e); }
    if (res.status < 300 || res.status > 399 || res.status === 304) return res;
    const location = res.headers.get('location');
    await res.body?.cancel();
    if (!location) throw new Error(`${current.href}: HTTP ${res.status} without a Location`);
    if (hop >= MAX_REDIRECTS) throw new Error(`${url}: more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, current);
    try { current = checkUrl(next.href); } catch (e) { throw new Error(`${url} redirects to ${next.href}: ${(e as Error).message}`); }
  }
}

export async function downloadAll(urls: readonly string[], onProgress?: (msg: string) => void, fetchImpl: typeof fetch = fetch): Promise<{ dir: string; files: string[] }> {
  const dir = await mkdtemp(join((await import('node:os')).tmpdir(), 'marque-download-'));
  const files: string[] = [];
  try {
    for (const [i, url] of urls.entries()) {
      const u = checkUrl(url);
      onProgress?.(`downloading ${url}`);
      const abort = new AbortController();
      const idle = idleTimeoutMs();
      let timer = setTimeout(() => abort.abort(), idle);
      const alive = () => { clearTimeout(timer); timer = setTimeout(() => abort.abort(), idle); };
      try {
        const res = await fetchChecked(url, fetchImpl, abort.signal);
        if (!res.ok || !res.body) throw new Error(`${url}: HTTP ${res.status} ${res.statusText}`);
        alive();
        const declared = Number(res.headers.get('content-length') ?? NaN);
        // With a Content-Encoding, fetch hands over decoded bytes while Content-Length counts encoded ones.
        const encoded = (res.headers.get('content-encoding') ?? 'identity').toLowerCase() !== 'identity';
        if (!encoded && declared > MAX_DOWNLOAD_BYTES) throw new Error(`${url}: ${declared} bytes, over the ${MAX_DOWNLOAD_BYTES}-byte limit`);
        const file = join(dir, localName(u, i));
        let seen = 0;
        const limit = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            alive();
            seen += chunk.length;
            if (seen > MAX_DOWNLOAD_BYTES) cb(new Error(`${url}: more than ${MAX_DOWNLOAD_BYTES} bytes`));
            else cb(null, chunk);
          },
        });
        try {
          await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), limit, createWriteStream(file));
        } catch (e) {
          throw abort.signal.aborted ? networkError(url, Object.assign(new Error('aborted'), { name: 'AbortError' })) : e;
        }
        if (!encoded && !Number.isNaN(declared) && seen !== declared) throw new Error(`${url}: received ${seen} of ${declared} bytes`);
        files.push(file);
      } finally {
        clearTimeout(timer);
      }
    }
    return { dir, files };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
