import { buildServer } from '../../server/app.ts';
import { openPortfolio, schemaOf } from '../../server/open.ts';
import { dbPath } from '../../api/advisories.ts';
import { AdvisoryDb } from '../../advisories/store.ts';
import { rematch } from '../../api/rematch.ts';
import { deadlineEvents } from '../../api/deadlines.ts';
import { deliverDue } from '../../server/webhooks.ts';
import { inProcessJobs, pgBossJobs } from '../../server/jobs.ts';
import { UsageError } from '../../util/errors.ts';
import { FileAccess, LIMITS } from '../../util/file-access.ts';
import { EXIT, type Command } from '../command.ts';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export const serveCommand: Command = {
  name: 'serve',
  usage: `marque serve [--port N] [--host ADDRESS] [--data DIR | --database postgres://…]

  --port N        TCP port (default 8080)
  --host ADDRESS  address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --data DIR      folder of the embedded database (default $MARQUE_CACHE_DIR/server)
  --database URL  PostgreSQL instead (also $MARQUE_DATABASE_URL)
  --schema NAME   the PostgreSQL schema of this deployment (also $MARQUE_DATABASE_SCHEMA; default: the
                  database's search path); its job queue lives in NAME_jobs (default marque_jobs)
  --db FILE       the advisory database releases are matched against (default: the one "marque db" uses)
  --max-upload-mb N
                  the largest request body, an SBOM upload included (default 64)
  --webhook-allow-host HOST
                  let webhooks reach this host although it is not public (a name or an address as
                  written in the URL; repeatable); plain HTTP is then accepted for it too. Without it,
                  webhooks go to public addresses over HTTPS only, checked when each request connects
  --trust-proxy ADDRESS
                  a reverse proxy (address or CIDR; repeatable or comma-separated) whose
                  X-Forwarded-For names the client: the failed-authentication limit then counts per
                  client, not per proxy
  --csaf-team NAME
                  serve this team's published CSAF advisories as a CSAF trusted provider under
                  /.well-known/csaf/ (provider-metadata.json, ROLIE feed, index.txt, changes.csv, hashes,
                  OpenPGP signatures), without a token (docs/server.md)
  --public-url URL
                  the https:// address people reach the server at (behind the reverse proxy): the
                  CSAF documents' and feeds' URLs use it
  --security-txt FILE
                  served at /.well-known/security.txt (make it with "marque advisory security-txt")
  --log-level LEVEL
                  the request log on standard output, one JSON line per request with its id (default
                  info; warn, error, or silent for none). Tokens are never logged
  --rematch-every MINUTES
                  match every release in its support period again this often (default 60; 0: only on
                  POST /api/v1/rematch), so a "marque db update" on the server turns into events; on
                  PostgreSQL this runs on pg-boss, once for all servers on the database

  The API is under /api/v1, described at /api/v1/openapi.json; create a token with "marque token create".`,
  options: { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, database: { type: 'string' }, schema: { type: 'string' }, db: { type: 'string' }, 'rematch-every': { type: 'string' }, 'max-upload-mb': { type: 'string' }, 'webhook-allow-host': { type: 'string', multiple: true }, 'trust-proxy': { type: 'string', multiple: true }, 'log-level': { type: 'string' }, 'csaf-team': { type: 'string' }, 'public-url': { type: 'string' }, 'security-txt': { type: 'string' } },
  async run(_positionals, flags, io) {
    const port = Number(flags['port'] ?? 8080);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a TCP port (got "${String(flags['port'])}")`);
    const where_ = { data: flags['data'] as string | undefined, database: flags['database'] as string | undefined, schema: flags['schema'] as string | undefined };
    const { store, where } = await openPortfolio(where_);
    const minutes = Number(flags['rematch-every'] ?? 60);
    if (!(minutes >= 0)) throw new UsageError(`--rematch-every takes minutes (got "${String(flags['rematch-every'])}")`);
    const advisoryDb = dbPath(flags['db'] as string | undefined);
    const mb = Number(flags['max-upload-mb'] ?? 64);
    if (!(mb > 0 && mb <= 4096)) throw new UsageError(`--max-upload-mb takes a size in MiB, 1 to 4096 (got "${String(flags['max-upload-mb'])}")`);
    // Events made by a re-match go out to the webhooks at once, not at the next delivery tick.
    let deliverNow = () => {};
    const allowHosts = new Set(((flags['webhook-allow-host'] as string[] | undefined) ?? []).map((h) => h.replace(/^\[|\]$/g, '').toLowerCase()));
    const trustProxy = ((flags['trust-proxy'] as string[] | undefined) ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
    const level = (flags['log-level'] as string | undefined) ?? 'info';
    if (!LOG_LEVELS.includes(level)) throw new UsageError(`--log-level takes ${LOG_LEVELS.join(', ')} (got "${level}")`);
    const publicUrl = flags['public-url'] as string | undefined;
    if (publicUrl && !/^https:\/\/[^/]+\/?$/.test(publicUrl)) throw new UsageError(`--public-url must be an https:// origin (CSAF 2.0 §7.1.3), got "${publicUrl}"`);
    const securityTxt = flags['security-txt'] ? FileAccess.within(flags['security-txt'] as string).readTextSync(flags['security-txt'] as string, LIMITS.small) : undefined;
    const csaf = { team: flags['csaf-team'] as string | undefined, publicUrl, securityTxt };
    const app = await buildServer(store, { advisoryDb, maxBodyBytes: Math.round(mb * 1024 * 1024), onEvents: () => deliverNow(), allowHosts, trustProxy, logger: level === 'silent' ? false : level, csaf });
    const handlers = {
      rematch: async () => {
        const db = AdvisoryDb.openForRead(advisoryDb);
        if (!db) return;
        try {
          const r = await rematch(store, db, new Date());
          if (r.events.length) { io.err(`re-match: ${r.releases} releases, ${r.events.length} new event(s)\n`); deliverNow(); }
        } catch (e) {
          io.err(`re-match failed: ${(e as Error).message}\n`);
          throw e; // on pg-boss the job is then retried
        } finally {
          db.close();
        }
      },
      // Webhook deliveries due: new ones, and retries whose backoff has passed.
      // Deadlines about to pass (or passed) become events first, then everything due is delivered.
      deliver: async () => {
        await deadlineEvents(store, new Date()).catch((e: Error) => io.err(`deadline check failed: ${e.message}\n`));
        await deliverDue(store, new Date(), { allowHosts, log: (msg, details) => app.log.warn(details, msg) }).catch((e: Error) => io.err(`webhook delivery failed: ${e.message}\n`));
      },
    };
    // On PostgreSQL the work is shared by every server on the database (pg-boss); embedded, it runs here.
    const url = (flags['database'] as string | undefined) ?? process.env['MARQUE_DATABASE_URL'];
    const cron = minutes <= 0 ? null : minutes < 60 ? `*/${Math.max(1, Math.round(minutes))} * * * *` : `0 */${Math.max(1, Math.round(minutes / 60))} * * *`;
    const schema = schemaOf(where_);
    const jobs = url ? pgBossJobs(url, handlers, { rematch: cron, deliver: '* * * * *' }, schema ? `${schema}_jobs` : undefined) : inProcessJobs(handlers, { rematch: minutes * 60_000, deliver: 10_000 });
    deliverNow = () => { void jobs.trigger('deliver').catch((e: Error) => io.err(`webhook delivery not started: ${e.message}\n`)); };
    await jobs.start();
    // Data imported while the server was down counts at once; the API does not wait for it.
    if (minutes > 0) void jobs.trigger('rematch').catch(() => {});
    const address = await app.listen({ port, host: (flags['host'] as string | undefined) ?? '127.0.0.1' });
    io.err(`marque serve: ${address}/api/v1 (store: ${where}); Ctrl-C stops\n`);
    await new Promise<void>((resolve) => {
      const stop = () => { void jobs.stop().then(() => app.close()).then(() => store.close()).then(resolve); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return EXIT.ok;
  },
};
