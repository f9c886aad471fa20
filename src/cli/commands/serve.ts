import { buildServer } from '../../server/app.ts';
import { openPortfolio } from '../../server/open.ts';
import { dbPath } from '../../api/advisories.ts';
import { AdvisoryDb } from '../../advisories/store.ts';
import { rematch } from '../../api/rematch.ts';
import { deadlineEvents } from '../../api/deadlines.ts';
import { deliverDue } from '../../server/webhooks.ts';
import { inProcessJobs, pgBossJobs } from '../../server/jobs.ts';
import { UsageError } from '../../util/errors.ts';
import { EXIT, type Command } from '../command.ts';

export const serveCommand: Command = {
  name: 'serve',
  usage: `marque serve [--port N] [--host ADDRESS] [--data DIR | --database postgres://…]

  --port N        TCP port (default 8080)
  --host ADDRESS  address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --data DIR      folder of the embedded database (default $MARQUE_CACHE_DIR/server)
  --database URL  PostgreSQL instead (also $MARQUE_DATABASE_URL)
  --db FILE       the advisory database releases are matched against (default: the one "marque db" uses)
  --rematch-every MINUTES
                  match every release in its support period again this often (default 60; 0: only on
                  POST /api/v1/rematch), so a "marque db update" on the server turns into events; on
                  PostgreSQL this runs on pg-boss, once for all servers on the database

  The API is under /api/v1, described at /api/v1/openapi.json; create a token with "marque token create".`,
  options: { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, database: { type: 'string' }, db: { type: 'string' }, 'rematch-every': { type: 'string' } },
  async run(_positionals, flags, io) {
    const port = Number(flags['port'] ?? 8080);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a TCP port (got "${String(flags['port'])}")`);
    const { store, where } = await openPortfolio({ data: flags['data'] as string | undefined, database: flags['database'] as string | undefined });
    const minutes = Number(flags['rematch-every'] ?? 60);
    if (!(minutes >= 0)) throw new UsageError(`--rematch-every takes minutes (got "${String(flags['rematch-every'])}")`);
    const advisoryDb = dbPath(flags['db'] as string | undefined);
    const app = await buildServer(store, { advisoryDb });
    const handlers = {
      rematch: async () => {
        const db = AdvisoryDb.openForRead(advisoryDb);
        if (!db) return;
        try {
          const r = await rematch(store, db, new Date());
          if (r.events.length) io.err(`re-match: ${r.releases} releases, ${r.events.length} new event(s)\n`);
        } catch (e) {
          io.err(`re-match failed: ${(e as Error).message}\n`);
        } finally {
          db.close();
        }
      },
      // Webhook deliveries due: new ones, and retries whose backoff has passed.
      // Deadlines about to pass (or passed) become events first, then everything due is delivered.
      deliver: async () => {
        await deadlineEvents(store, new Date()).catch((e: Error) => io.err(`deadline check failed: ${e.message}\n`));
        await deliverDue(store).catch((e: Error) => io.err(`webhook delivery failed: ${e.message}\n`));
      },
    };
    // On PostgreSQL the work is shared by every server on the database (pg-boss); embedded, it runs here.
    const url = (flags['database'] as string | undefined) ?? process.env['MARQUE_DATABASE_URL'];
    const cron = minutes <= 0 ? null : minutes < 60 ? `*/${Math.max(1, Math.round(minutes))} * * * *` : `0 */${Math.max(1, Math.round(minutes / 60))} * * *`;
    const jobs = url ? pgBossJobs(url, handlers, { rematch: cron, deliver: '* * * * *' }) : inProcessJobs(handlers, { rematch: minutes * 60_000, deliver: 10_000 });
    await jobs.start();
    if (minutes > 0) await jobs.trigger('rematch'); // data imported while the server was down counts at once
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
