import { advisoryStatus, dbPath, DEFAULT_MAX_AGE_DAYS, importAdvisories, updateAdvisories } from '../../api/advisories.ts';
import { DEFAULT_SOURCES } from '../../advisories/download.ts';
import type { ImportReport } from '../../advisories/import.ts';
import { UsageError } from '../../util/errors.ts';
import { sendAdvisories } from '../../api/advisory-upload.ts';
import { EXIT, maxAgeFlag, type Command } from '../command.ts';
import { progress } from '../io.ts';
import { table } from '../render.ts';
import { parsePlatform } from '../../model/platforms.ts';
import { rosdistroCacheUrl } from '../../catalogs/locations.ts';
import { loadManifest } from '../../manifest/manifest.ts';

/**
 * What an import left out, to standard error: records skipped, and ids dropped from records kept (an alias that is
 * not an OSV id), each with its file; the same lines whether the import ran here or on a server (--server).
 */
function leftOut(r: ImportReport, err: (s: string) => void): void {
  for (const s of r.skipped.slice(0, 20)) err(`  skipped ${s.file}: ${s.message}\n`);
  for (const n of (r.notes ?? []).slice(0, 20)) err(`  note ${n.file}: ${n.message}\n`);
  const more = (r.notes?.length ?? 0) - 20;
  if (more > 0) err(`  and ${more} more note(s) (--json lists them)\n`);
}

/** One imported source, and whether it makes coverage. */
function importLine(r: ImportReport): string {
  const coverage = r.kind !== 'osv' || !r.basis ? '' : r.complete?.length ? `; complete for ${r.complete.join(', ')} (${r.basis})` : `; partial (${r.basis})`;
  return `${r.source}: ${r.records} ${r.kind} records${r.skipped.length ? `, ${r.skipped.length} skipped` : ''}${coverage}\n`;
}

export const dbCommand: Command = {
  name: 'db',
  usage: `marque db import [--complete ECOSYSTEM] PATH... [--db FILE] [--platform OS:CODENAME] [--json]
       marque db import [--complete ECOSYSTEM] PATH... --server URL [--json]
       marque db update [--source URL]... [--rosdistro-cache NAME]... [--platform OS:CODENAME] [--db FILE] [--json]
       marque db status [--db FILE] [--max-age DAYS] [--json]

  PATH       a folder of OSV records (JSON or YAML), one OSV file or JSON list, an OSV all.zip,
             the CISA KEV catalogue (JSON), a FIRST EPSS CSV (optionally .gz), a rosdistro cache
             (<distro>-cache.yaml[.gz]) or an apt Packages index (plain, .gz, .xz, .lz4; the platform
             comes from apt's list file name, else from --platform)
  --complete ECOSYSTEM
             vouch that the OSV records at PATH are a complete mirror of ECOSYSTEM (e.g. Debian:12;
             repeatable or comma-separated), recorded with the date and the path. Without it only OSV's per-ecosystem archive
             (ECOSYSTEM/all.zip, every record of that ecosystem) is complete; any other import is
             partial: its findings count, its coverage does not (docs/vulnerabilities.md)
  --db FILE  the database (default: $MARQUE_CACHE_DIR/advisories.sqlite, else ~/.cache/marque/)
  --server URL
             import into a team server instead (an admin token in $MARQUE_TOKEN): each PATH is sent
             to POST /api/v1/advisories and imported there atomically, one PATH at a time; the server
             re-matches what the import changed at once
  --source   a URL to download instead of the defaults (repeatable; also $MARQUE_ADVISORY_SOURCES,
             comma-separated). HTTPS only; plain HTTP only on loopback. Defaults:
             ${DEFAULT_SOURCES.join('\n             ')}
  --rosdistro-cache NAME
             also download that ROS distribution's cache from the location the rosdistro index names
             (over HTTPS); without it, the distribution of ./marque.yaml (inventory.rosdistro), if any
  --platform the platform of apt Packages indexes given as --source URLs whose path does not name it
  --max-age  days after which a source counts as stale, by the data's own date (default ${DEFAULT_MAX_AGE_DAYS})`,
  options: { complete: { type: 'string', multiple: true }, server: { type: 'string' }, db: { type: 'string' }, platform: { type: 'string' }, 'rosdistro-cache': { type: 'string', multiple: true }, json: { type: 'boolean' }, 'max-age': { type: 'string' }, source: { type: 'string', multiple: true } },
  async run(positionals, flags, io) {
    const [sub, ...paths] = positionals;
    const path = dbPath(flags['db'] as string | undefined);
    const vouched = (flags['complete'] as string[] | undefined)?.flatMap((v) => v.split(',')).map((v) => v.trim());
    if (vouched && sub !== 'import') throw new UsageError('--complete belongs to "marque db import": db update knows its archives are complete');
    for (const v of vouched ?? []) if (!/^[A-Za-z][A-Za-z0-9 .:_-]{0,99}$/.test(v)) throw new UsageError(`--complete takes an OSV ecosystem, e.g. Debian:12, PyPI or GIT (got "${v}")`);
    if (sub === 'import' && flags['server']) {
      if (!paths.length) throw new UsageError('marque db import needs at least one PATH');
      const token = process.env['MARQUE_TOKEN'];
      if (!token) throw new UsageError('set MARQUE_TOKEN to an admin token of the server ("marque token create --role admin" there)');
      const reports = [];
      for (const p of paths) reports.push(...await sendAdvisories({ server: flags['server'] as string, token }, p, vouched));
      if (flags['json']) io.out(JSON.stringify({ server: flags['server'], imported: reports }, null, 2) + '\n');
      else {
        for (const r of reports) {
          io.out(importLine(r));
          leftOut(r, (t) => io.err(t));
        }
        io.out(`imported into ${flags['server']}\n`);
      }
      return reports.some((r) => r.skipped.length) ? EXIT.input : EXIT.ok;
    }
    if (sub === 'import' || sub === 'update') {
      if (sub === 'import' && !paths.length) throw new UsageError('marque db import needs at least one PATH');
      const fromEnv = process.env['MARQUE_ADVISORY_SOURCES']?.split(',').map((x) => x.trim()).filter(Boolean);
      const sources = [...((flags['source'] as string[] | undefined) ?? fromEnv ?? [...DEFAULT_SOURCES])];
      if (sub === 'update') {
        let distros = (flags['rosdistro-cache'] as string[] | undefined) ?? [];
        if (!distros.length) {
          const manifest = await loadManifest('.').catch(() => undefined);
          if (manifest?.inventory?.rosdistro) distros = [manifest.inventory.rosdistro];
        }
        for (const d of distros) sources.push(rosdistroCacheUrl(d));
      }
      const p = progress(io, !flags['json']);
      let reports;
      try {
        const platform = flags['platform'] ? parsePlatform(flags['platform'] as string) : undefined;
        reports = sub === 'import' ? await importAdvisories(path, paths, p.update, undefined, platform, { vouched }) : await updateAdvisories(path, sources, p.update, platform);
      } finally {
        p.done();
      }
      if (flags['json']) io.out(JSON.stringify({ db: path, imported: reports }, null, 2) + '\n');
      else {
        for (const r of reports) {
          io.out(importLine(r));
          leftOut(r, (t) => io.err(t));
        }
        io.out(`database: ${path}\n`);
      }
      return reports.some((r) => r.skipped.length) ? EXIT.input : EXIT.ok;
    }
    if (sub === 'status') {
      const maxAge = maxAgeFlag(flags) ?? DEFAULT_MAX_AGE_DAYS;
      const status = advisoryStatus(path, maxAge);
      if (flags['json']) { io.out(JSON.stringify(status, null, 2) + '\n'); return status.exists ? EXIT.ok : EXIT.input; }
      if (!status.exists) { io.err(`no advisory database at ${path}; run "marque db import PATH..."\n`); return EXIT.input; }
      // One row per source and ecosystem: coverage is decided per ecosystem, by complete sources only.
      const rows = status.sources.flatMap((s) => {
        const age = `${s.ageDays} d${s.stale ? ' (stale)' : ''}`;
        const per = Object.entries(s.ecosystems ?? {}).sort((a, b) => (a[0] < b[0] ? -1 : 1));
        const row = (eco: string, coverage: string, records: number) => [s.name, eco, coverage, String(records), s.dataDate?.slice(0, 10) ?? '-', age, s.importedAt.slice(0, 16).replace('T', ' ')];
        if (s.kind !== 'osv') return [row('-', '-', s.records)];
        if (!per.length) return [row('?', 'partial', s.records)];
        return per.map(([eco, n]) => row(eco, s.complete.includes(eco) ? 'complete' : 'partial', n));
      });
      io.out(table(rows, ['SOURCE', 'ECOSYSTEM', 'COVERAGE', 'RECORDS', 'DATA AS OF', 'AGE', 'IMPORTED']));
      // How each came in, and (OSV) why it is complete or partial.
      io.out(`\n${status.sources.map((s) => `${s.name}: ${s.how ?? `from ${s.origin}`}${s.kind !== 'osv' ? '' : `\n  ${s.complete.length ? `complete for ${s.complete.join(', ')}` : 'partial'}: ${s.basis ?? '-'}`}`).join('\n')}\n`);
      if (status.sources.some((s) => s.kind === 'osv')) io.out('Only complete sources make coverage; a partial source\'s findings count, its coverage does not.\n');
      if (status.catalogs.length) {
        io.out('\n' + table(status.catalogs.map((c) => [c.name, String(c.records), c.importedAt, c.dataDate ?? '-']), ['CATALOG', 'PACKAGES', 'IMPORTED', 'DATA AS OF']));
      }
      io.out(`\n${status.counts!.advisories} advisories, ${status.counts!.kev} KEV entries, ${status.counts!.epss} EPSS scores in ${path}\n`);
      return EXIT.ok;
    }
    throw new UsageError('marque db needs a sub-command: import, update or status');
  },
};
