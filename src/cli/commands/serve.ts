import { buildServer } from '../../server/app.ts';
import { openPortfolio } from '../../server/open.ts';
import { dbPath } from '../../api/advisories.ts';
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

  The API is under /api/v1, described at /api/v1/openapi.json; create a token with "marque token create".`,
  options: { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, database: { type: 'string' }, db: { type: 'string' } },
  async run(_positionals, flags, io) {
    const port = Number(flags['port'] ?? 8080);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a TCP port (got "${String(flags['port'])}")`);
    const { store, where } = await openPortfolio({ data: flags['data'] as string | undefined, database: flags['database'] as string | undefined });
    const app = await buildServer(store, { advisoryDb: dbPath(flags['db'] as string | undefined) });
    const address = await app.listen({ port, host: (flags['host'] as string | undefined) ?? '127.0.0.1' });
    io.err(`marque serve: ${address}/api/v1 (store: ${where}); Ctrl-C stops\n`);
    await new Promise<void>((resolve) => {
      const stop = () => { void app.close().then(() => store.close()).then(resolve); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return EXIT.ok;
  },
};
