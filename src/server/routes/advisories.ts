// Advisory data imported into the server (admin): one file per request — an OSV all.zip, OSV
// records (one, or a JSON list), the KEV catalogue, an EPSS CSV (optionally gzipped) — read as a
// stream into a temporary file with a size cap, then imported as "marque db import" imports it
// (atomically); the re-match of what it changed follows at once. "marque db import --server URL"
// sends files this way.
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsync } from 'fastify';
import { HttpProblem } from '../problem.ts';
import { InputError } from '../../util/errors.ts';
import { ref } from '../schemas.ts';
import type { ServerAdvisoryData } from '../advisory-data.ts';
import type { PortfolioStore } from '../store/store.ts';

/** The default cap of one import (OSV's largest per-ecosystem all.zip is well under it). */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024 * 1024;

/** At most this many skipped records and notes are listed per source (the counts are in its basis). */
const LISTED = 100;

const FILE_MESSAGE = { type: 'object', required: ['file', 'message'], properties: { file: { type: 'string' }, message: { type: 'string' } } } as const;

/** One imported source, as "marque db import" reports it. */
const IMPORTED = {
  type: 'object', required: ['source', 'kind', 'records', 'skipped'],
  properties: {
    source: { type: 'string', description: 'the source the import made or replaced, e.g. osv:PyPI, kev' }, kind: { type: 'string' }, records: { type: 'integer' },
    complete: { type: 'array', items: { type: 'string' }, description: 'OSV: the ecosystems the source is a complete export of (empty: partial)' },
    basis: { type: 'string', description: 'OSV: why complete or partial, with the count of alias or related ids dropped' },
    skipped: { type: 'array', maxItems: LISTED, items: FILE_MESSAGE, description: 'records that could not be read, with their file (the first 100)' },
    notes: { type: 'array', maxItems: LISTED, items: FILE_MESSAGE, description: 'OSV: what was left out of records that were kept (an alias or related id that is not an OSV id), with the file (the first 100); absent when none' },
  },
} as const;

/** A name for the file by its media type, when the request names none. */
const BY_TYPE: Record<string, string> = { 'application/zip': 'upload.zip', 'application/json': 'upload.json', 'text/csv': 'upload.csv', 'application/gzip': 'upload.csv.gz', 'application/yaml': 'upload.yaml' };

/**
 * Whether a team's admin may import: the advisory data is the server's and every team's releases are matched
 * against it, so one team's admin importing (a KEV catalogue without an entry, a record rewritten) would change
 * another team's findings and Art. 14 clocks. Only the teams named by the operator may, or the only team there is.
 */
async function mayImport(store: PortfolioStore, teamId: string, teams: readonly string[] | undefined): Promise<boolean> {
  if (teams?.length) return teams.includes((await store.team(teamId))?.name ?? '');
  return (await store.teamCount()) === 1;
}

/** Where an upload waits while it is imported: named by the server's process, so that a restarted server knows its dead predecessor's. */
const IMPORT_PREFIX = 'marque-import-';

/**
 * Removes what imports of servers no longer running left behind (killed during an upload: the file stays, up to
 * the 4 GiB cap). Another live server's (several may run on one machine) is left alone.
 */
export async function sweepStaleImports(dir = tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const pid = Number(new RegExp(`^${IMPORT_PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (!pid || alive(pid)) continue;
    await rm(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

export function advisoryRoutes(store: PortfolioStore, data: ServerAdvisoryData | undefined, maxBytes = MAX_IMPORT_BYTES, teams?: readonly string[]): FastifyPluginAsync {
  return async (app) => {
    if (data) {
      const removed = await sweepStaleImports();
      if (removed.length) app.log.info({ removed }, 'removed the uploads of advisory imports a stopped server left behind');
    }
    // The body is not parsed here: it is streamed to a file and counted as it arrives.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    app.post<{ Querystring: { name?: string; complete?: string } }>('/advisories', {
      config: { admin: true },
      schema: {
        summary: '(admin) Import advisory data: an OSV all.zip, OSV records (JSON or YAML, one or a list), the CISA KEV catalogue (JSON) or a FIRST EPSS CSV (.csv or .csv.gz), as the body; ?name= the file\'s name, which says what it is (e.g. PyPI-all.zip, known_exploited_vulnerabilities.json). Imported atomically; what it changed is re-matched at once. ?complete=ECOSYSTEM[,ECOSYSTEM]: the sender vouches the records are a complete mirror of that ecosystem (as "marque db import --complete"); otherwise only an OSV per-ecosystem all.zip counts as complete',
        querystring: { type: 'object', properties: { name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$' }, complete: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9 .:_-]{0,99}(,[A-Za-z][A-Za-z0-9 .:_-]{0,99})*$' } } },
        response: { 200: { type: 'object', required: ['imported'], properties: { imported: { type: 'array', items: IMPORTED } } }, 400: ref('Problem'), 401: ref('Problem'), 403: ref('Problem'), 413: ref('Problem'), 503: ref('Problem'), 507: ref('Problem') },
      },
    }, async (req) => {
      if (!data) throw new HttpProblem(503, 'this server has no advisory database to import into');
      if (!(await mayImport(store, req.auth!.teamId, teams))) {
        throw new HttpProblem(403, teams?.length
          ? `the server's advisory data is shared by every team on it; only an admin of ${teams.map((t) => `"${t}"`).join(', ')} may import it`
          : 'the server\'s advisory data is shared by every team on it, and this server holds several: the operator names the teams that may import it (MARQUE_ADVISORY_TEAMS=NAME[,NAME])');
      }
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const name = req.query.name ?? BY_TYPE[type];
      if (!name) throw new HttpProblem(400, 'say what the file is: ?name=FILE (e.g. PyPI-all.zip, known_exploited_vulnerabilities.json, epss_scores.csv.gz) or a Content-Type of application/zip, application/json, text/csv or application/gzip');
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (declared > maxBytes) throw new HttpProblem(413, `the file is ${declared} bytes, over this server's ${maxBytes}-byte limit for an import`);
      const dir = await mkdtemp(join(tmpdir(), `${IMPORT_PREFIX}${process.pid}-`));
      try {
        const file = join(dir, name);
        let seen = 0;
        const cap = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            seen += chunk.length;
            if (seen > maxBytes) cb(new HttpProblem(413, `more than this server's ${maxBytes}-byte limit for an import; nothing was imported`));
            else cb(null, chunk);
          },
        });
        await pipeline(req.body as NodeJS.ReadableStream, cap, createWriteStream(file));
        if (!seen) throw new HttpProblem(400, 'the request has no body: send the file as the body');
        let reports;
        try {
          reports = await data.importFiles([file], [name], req.query.complete?.split(',').filter(Boolean));
        } catch (e) {
          // Named by the file's name, not where the server kept it.
          if (e instanceof InputError) throw new HttpProblem(422, `${name}${e.line ? `:${e.line}` : ''}: ${e.message}; nothing was imported`);
          throw e;
        }
        req.log.info({ imported: reports.map((r) => ({ source: r.source, records: r.records, skipped: r.skipped.length })), bytes: seen }, 'advisory import');
        // Files named as the sender named them, not where the server kept them.
        const named = (s: { file: string; message: string }) => ({ file: s.file.replace(dir, '').replace(/^\//, ''), message: s.message });
        return {
          imported: reports.map((r) => ({
            source: r.source, kind: r.kind, records: r.records, ...(r.basis ? { complete: r.complete ?? [], basis: r.basis } : {}),
            skipped: r.skipped.slice(0, LISTED).map(named), ...(r.notes?.length ? { notes: r.notes.slice(0, LISTED).map(named) } : {}),
          })),
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  };
}
