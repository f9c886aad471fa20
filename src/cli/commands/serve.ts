import { buildServer } from '../../server/app.ts';
import { openPortfolio } from '../../server/open.ts';
import { dbPath } from '../../api/advisories.ts';
import { AdvisoryDb } from '../../advisories/store.ts';
import { rematch } from '../../api/rematch.ts';
import { deliverDue } from '../../server/webhooks.ts';
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
                  POST /api/v1/rematch), so a "marque db update" on the server turns into events

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
    // The embedded scheduler: one re-match at a time, in this process (a PostgreSQL job queue is to come).
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      const db = AdvisoryDb.openForRead(advisoryDb);
      try {
        if (db) { const r = await rematch(store, db, new Date()); if (r.events.length) io.err(`re-match: ${r.releases} releases, ${r.events.length} new event(s)\n`); }
      } catch (e) {
        io.err(`re-match failed: ${(e as Error).message}\n`);
      } finally {
        db?.close();
        running = false;
      }
    };
    const timer = minutes > 0 ? setInterval(() => { void tick(); }, minutes * 60_000) : undefined;
    timer?.unref();
    if (timer) void tick(); // data imported while the server was down counts at once
    // Webhook deliveries due (new ones, and retries whose backoff has passed), every ten seconds.
    let sending = false;
    const deliveries = setInterval(() => {
      if (sending) return;
      sending = true;
      void deliverDue(store).catch((e: Error) => io.err(`webhook delivery failed: ${e.message}\n`)).finally(() => { sending = false; });
    }, 10_000);
    deliveries.unref();
    const address = await app.listen({ port, host: (flags['host'] as string | undefined) ?? '127.0.0.1' });
    io.err(`marque serve: ${address}/api/v1 (store: ${where}); Ctrl-C stops\n`);
    await new Promise<void>((resolve) => {
      const stop = () => { if (timer) clearInterval(timer); clearInterval(deliveries); void app.close().then(() => store.close()).then(resolve); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return EXIT.ok;
  },
};
