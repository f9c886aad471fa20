// "marque db import --server URL": local advisory files sent to a team server's POST
// /api/v1/advisories, one request per path, streamed. A folder of OSV records goes as one JSON list
// (each record checked here first, so a bad one is named by its file and skipped, as a local import
// does); a file goes as it is, named so that the server knows what it is.
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { checkUrl } from '../advisories/download.ts';
import { toAdvisory } from '../advisories/osv.ts';
import type { ImportReport } from '../advisories/import.ts';
import { FileAccess } from '../util/file-access.ts';
import { parseJsonText } from '../util/json.ts';
import { parseYaml } from '../util/yaml.ts';
import { InputError } from '../util/errors.ts';
import type { ServerRequest } from './push.ts';

const TYPES: [RegExp, string][] = [[/\.zip$/i, 'application/zip'], [/\.csv$/i, 'text/csv'], [/\.gz$/i, 'application/gzip'], [/\.ya?ml$/i, 'application/yaml']];

/** The name the server is told: the file's own, in the characters it accepts. */
const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[^A-Za-z0-9]+/, '').slice(0, 200) || 'upload';

/** `vouched`: the ecosystem the sender vouches the records are a complete mirror of (db import --complete). */
export async function sendAdvisories(req: ServerRequest, path: string, vouched?: string[]): Promise<ImportReport[]> {
  const info = await stat(path);
  const skipped: ImportReport['skipped'] = [];
  let body: ReadableStream;
  let handle: Awaited<ReturnType<FileAccess['openHandle']>> | undefined;
  let name = safeName(basename(path));
  let type = TYPES.find(([re]) => re.test(name))?.[1] ?? 'application/json';
  if (info.isDirectory()) {
    body = Readable.toWeb(Readable.from(folderAsList(FileAccess.within(path), path, skipped))) as ReadableStream;
    type = 'application/json';
    name = safeName(basename(path)).replace(/\.(json|ya?ml|zip|csv|gz)$/i, '');
  } else {
    // Through the file-access layer, as every reader of input: a regular file, not a FIFO.
    handle = await FileAccess.within(path).openHandle(path);
    body = handle.readableWebStream() as ReadableStream;
  }
  const base = checkUrl(req.server).href.replace(/\/+$/, '');
  let res: Response;
  let text: string;
  try {
    res = await (req.fetchImpl ?? fetch)(`${base}/api/v1/advisories?name=${encodeURIComponent(name)}${vouched?.length ? `&complete=${encodeURIComponent(vouched.join(','))}` : ''}`, {
      method: 'POST', headers: { authorization: `Bearer ${req.token}`, 'content-type': type }, body, duplex: 'half', redirect: 'error',
    } as RequestInit);
    text = await res.text();
  } finally {
    await handle?.close();
  }
  if (!res.ok) {
    let detail = text.slice(0, 300);
    try { detail = (JSON.parse(text) as { detail?: string }).detail ?? detail; } catch { /* not problem+json */ }
    throw new Error(`POST /advisories (${path}): HTTP ${res.status}: ${detail}`);
  }
  const reports = (JSON.parse(text) as { imported: ImportReport[] }).imported;
  if (reports[0]) reports[0].skipped.unshift(...skipped);
  return reports;
}

/** The OSV records of a folder as one JSON list, read one file at a time. */
async function* folderAsList(files: FileAccess, dir: string, skipped: ImportReport['skipped']): AsyncGenerator<string> {
  let first = true;
  yield '[';
  const visit = async function* (d: string): AsyncGenerator<string> {
    for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) { yield* visit(p); continue; }
      if (!/\.(json|ya?ml)$/i.test(e.name)) continue;
      try {
        const text = await files.readText(p);
        const raw = /\.ya?ml$/i.test(p) ? parseYaml(text, p, 100, true) : parseJsonText(text, p);
        toAdvisory(raw, p);
        yield `${first ? '' : ','}${JSON.stringify(raw)}`;
        first = false;
      } catch (err) {
        skipped.push({ file: p, message: err instanceof InputError ? `${err.where()}: ${err.message}` : (err as Error).message });
      }
    }
  };
  yield* visit(dir);
  yield ']';
}
