import { openPortfolio } from '../../server/open.ts';
import { dbPath } from '../../api/advisories.ts';
import { teamServer } from '../../server/team-server.ts';
import { DEFAULT_SCHEDULE, type UpdateSchedule } from '../../server/advisory-data.ts';
import { DEFAULT_SOURCES } from '../../advisories/download.ts';
import { UsageError } from '../../util/errors.ts';
import { FileAccess, LIMITS } from '../../util/file-access.ts';
import { EXIT, type Command } from '../command.ts';
import { DEFAULT_LIMITS, LIMIT_SETTINGS, type TeamLimits } from '../../server/limits.ts';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** MARQUE_OFFLINE=1 (as the tests set it) or --offline: no scheduled downloads. */
const offlineByEnv = () => ['1', 'true', 'yes'].includes((process.env['MARQUE_OFFLINE'] ?? '').toLowerCase());

export const serveCommand: Command = {
  name: 'serve',
  usage: `marque serve [--port N] [--host ADDRESS] [--data DIR | --database postgres://…] [options]

  --port N        TCP port (default 8080)
  --host ADDRESS  address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --data DIR      folder of the embedded database (default $MARQUE_CACHE_DIR/server)
  --database URL  PostgreSQL instead (also $MARQUE_DATABASE_URL); several servers may share it
  --schema NAME   the PostgreSQL schema of this deployment (also $MARQUE_DATABASE_SCHEMA; default: the
                  database's search path)
  --db FILE       the server's advisory database (default: the one "marque db" uses). The server
                  keeps it up to date itself, takes imports (POST /api/v1/advisories, "marque db import
                  --server"), and picks up a change made on disk ("marque db import") within seconds
  --update-kev MINUTES, --update-osv MINUTES, --update-epss MINUTES
                  how often each kind of source is downloaded, as "marque db update" does (defaults
                  ${DEFAULT_SCHEDULE.kev}, ${DEFAULT_SCHEDULE.osv} and ${DEFAULT_SCHEDULE.epss}; 0: never), counted from its last import
  --source URL    a URL to download instead of the defaults (repeatable; also $MARQUE_ADVISORY_SOURCES)
  --offline       no downloads at all (also MARQUE_OFFLINE=1): imports only
  --rematch-every MINUTES
                  deprecated: accepted and ignored, with a warning (the server re-matches what every
                  change of its advisory data affects, at once)
  --max-upload-mb N
                  the largest request body, an SBOM upload included (default 64)
  --max-import-mb N
                  the largest advisory import (default 4096)
  --webhook-allow-host HOST
                  let webhooks reach this host although it is not public (a name or an address as
                  written in the URL; repeatable); plain HTTP is then accepted for it too. Without it,
                  webhooks go to public addresses over HTTPS only, checked when each request connects
  --trust-proxy ADDRESS
                  a reverse proxy (address or CIDR; repeatable or comma-separated) whose
                  X-Forwarded-For names the client: the failed-authentication limit then counts per
                  client, not per proxy
  --advisory-team NAME
                  a team whose admins may import advisory data (repeatable or comma-separated). The data is
                  shared by every team: on a server of several, only the teams named here may change it
                  (or MARQUE_ADVISORY_TEAMS); a server of one team lets that team
  --csaf-team NAME
                  serve this team's published CSAF advisories as a CSAF trusted provider under
                  /.well-known/csaf/ (provider-metadata.json, ROLIE feed, index.txt, changes.csv, hashes,
                  OpenPGP signatures), without a token (docs/server.md)
  --public-url URL
                  the https:// address people reach the server at (behind the reverse proxy): the
                  CSAF documents' and feeds' URLs use it
  --security-txt FILE
                  served at /.well-known/security.txt (make it with "marque advisory security-txt")
  Per-team limits (so that one team, or one leaked token, cannot starve the others; docs/server.md):
  --max-products N            products per team (default ${DEFAULT_LIMITS.products}; also $MARQUE_MAX_PRODUCTS)
  --max-releases N            releases per product (default ${DEFAULT_LIMITS.releasesPerProduct}; also $MARQUE_MAX_RELEASES)
  --max-tokens N              valid API tokens per team (default ${DEFAULT_LIMITS.tokens}; also $MARQUE_MAX_TOKENS)
  --max-webhooks N            webhooks per team (default ${DEFAULT_LIMITS.webhooks}; also $MARQUE_MAX_WEBHOOKS)
  --max-assessments N         signed assessments per team (default ${DEFAULT_LIMITS.assessments}; also $MARQUE_MAX_ASSESSMENTS)
  --max-streams N             open event streams per team, per server (default ${DEFAULT_LIMITS.streamsPerTeam}; also $MARQUE_MAX_STREAMS)
  --max-streams-per-token N   open event streams per token, per server (default ${DEFAULT_LIMITS.streamsPerToken}; also $MARQUE_MAX_STREAMS_PER_TOKEN)
  --max-expensive-per-minute N
                  requests a minute per token to a release's findings and the portfolio (default
                  ${DEFAULT_LIMITS.expensivePerMinute}; 0: none; also $MARQUE_MAX_EXPENSIVE_PER_MINUTE)
                  A count past its limit gets 403, a rate or streams 429, naming the limit and this flag
  --log-level LEVEL
                  the request log on standard output, one JSON line per request with its id (default
                  info; warn, error, or silent for none). Tokens are never logged

  Every change of the advisory data re-matches, at once, only the releases that hold a package it
  names; a pushed release is matched at once; a new version of Marque's matcher re-matches every
  release once. What is new becomes an event (GET /api/v1/events, the SSE stream, webhooks).
  The API is under /api/v1, described at /api/v1/openapi.json; /healthz, /readyz and /metrics
  (Prometheus) need no token. Create a token with "marque token create".`,
  options: {
    port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, database: { type: 'string' }, schema: { type: 'string' }, db: { type: 'string' },
    'max-upload-mb': { type: 'string' }, 'max-import-mb': { type: 'string' }, 'webhook-allow-host': { type: 'string', multiple: true }, 'trust-proxy': { type: 'string', multiple: true },
    'log-level': { type: 'string' }, offline: { type: 'boolean' }, source: { type: 'string', multiple: true },
    'update-kev': { type: 'string' }, 'update-osv': { type: 'string' }, 'update-epss': { type: 'string' },
    'rematch-every': { type: 'string' }, 'advisory-team': { type: 'string', multiple: true }, 'csaf-team': { type: 'string' }, 'public-url': { type: 'string' }, 'security-txt': { type: 'string' },
    ...Object.fromEntries(Object.values(LIMIT_SETTINGS).map((l) => [l.flag, { type: 'string' as const }])),
  },
  async run(_positionals, flags, io) {
    const port = Number(flags['port'] ?? 8080);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a TCP port (got "${String(flags['port'])}")`);
    const mib = (flag: string, dflt: number, most: number) => {
      const v = Number(flags[flag] ?? dflt);
      if (!(v > 0 && v <= most)) throw new UsageError(`--${flag} takes a size in MiB, 1 to ${most} (got "${String(flags[flag])}")`);
      return Math.round(v * 1024 * 1024);
    };
    const maxBodyBytes = mib('max-upload-mb', 64, 4096);
    const maxImportBytes = mib('max-import-mb', 4096, 64 * 1024);
    const schedule: UpdateSchedule = { ...DEFAULT_SCHEDULE };
    for (const kind of ['kev', 'osv', 'epss'] as const) {
      const v = flags[`update-${kind}`];
      if (v === undefined) continue;
      const minutes = Number(v);
      if (!(minutes >= 0)) throw new UsageError(`--update-${kind} takes minutes (got "${String(v)}")`);
      schedule[kind] = minutes;
    }
    const allowHosts = new Set(((flags['webhook-allow-host'] as string[] | undefined) ?? []).map((h) => h.replace(/^\[|\]$/g, '').toLowerCase()));
    const trustProxy = ((flags['trust-proxy'] as string[] | undefined) ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
    const level = (flags['log-level'] as string | undefined) ?? 'info';
    if (!LOG_LEVELS.includes(level)) throw new UsageError(`--log-level takes ${LOG_LEVELS.join(', ')} (got "${level}")`);
    const fromEnv = process.env['MARQUE_ADVISORY_SOURCES']?.split(',').map((x) => x.trim()).filter(Boolean);
    const sources = (flags['source'] as string[] | undefined) ?? fromEnv ?? [...DEFAULT_SOURCES];
    const publicUrl = flags['public-url'] as string | undefined;
    if (publicUrl && !/^https:\/\/[^/]+\/?$/.test(publicUrl)) throw new UsageError(`--public-url must be an https:// origin (CSAF 2.0 §7.1.3), got "${publicUrl}"`);
    const securityTxt = flags['security-txt'] ? FileAccess.within(flags['security-txt'] as string).readTextSync(flags['security-txt'] as string, LIMITS.small) : undefined;
    const limits = {} as TeamLimits;
    for (const [key, l] of Object.entries(LIMIT_SETTINGS) as [keyof TeamLimits, (typeof LIMIT_SETTINGS)[keyof TeamLimits]][]) {
      const given = (flags[l.flag] as string | undefined) ?? process.env[l.env];
      const least = key === 'expensivePerMinute' ? 0 : 1;
      const v = given === undefined || given === '' ? DEFAULT_LIMITS[key] : Number(given);
      if (!Number.isInteger(v) || v < least) throw new UsageError(`--${l.flag} (or ${l.env}) takes a whole number of ${l.what}, ${least} or more (got "${String(given)}")`);
      limits[key] = v;
    }
    const csaf = { team: flags['csaf-team'] as string | undefined, publicUrl, securityTxt };
    const { store, where } = await openPortfolio({ data: flags['data'] as string | undefined, database: flags['database'] as string | undefined, schema: flags['schema'] as string | undefined });
    if (flags['rematch-every'] !== undefined) io.err('marque serve: --rematch-every is deprecated and ignored: every change of the advisory data re-matches what it affects, at once\n');
    const server = await teamServer(store, {
      advisoryDb: dbPath(flags['db'] as string | undefined), sources, schedule, offline: Boolean(flags['offline']) || offlineByEnv(),
      maxBodyBytes, maxImportBytes, allowHosts, trustProxy, logger: level === 'silent' ? false : level, csaf, limits,
      ...(flags['advisory-team'] ? { advisoryTeams: (flags['advisory-team'] as string[]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean) } : {}),
    });
    const address = await server.app.listen({ port, host: (flags['host'] as string | undefined) ?? '127.0.0.1' });
    await server.start();
    io.err(`marque serve: ${address}/api/v1 (store: ${where}; advisory data: ${server.data.path}); Ctrl-C stops\n`);
    await new Promise<void>((resolve) => {
      const stop = () => { void server.stop().then(() => store.close()).then(resolve); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return EXIT.ok;
  },
};
