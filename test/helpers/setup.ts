// Loaded before every test file (npm test passes --import): each test process gets its own cache
// folder, so no test reads or writes the user's ~/.cache/marque (advisories, catalogs, parse cache).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env['MARQUE_CACHE_DIR'] ??= mkdtempSync(join(tmpdir(), 'marque-test-cache-'));
// Tests never touch the network: a team server started by a test downloads nothing unless the test
// gives it a local source and MARQUE_OFFLINE=0.
process.env['MARQUE_OFFLINE'] ??= '1';

// A test file whose main thread blocks in a system call (a FIFO opened blocking, say) never reaches its
// own timeouts, and node --test does not kill it: the whole run would wait for CI's limit. A worker
// thread, which runs while the main thread is blocked, ends such a file after MARQUE_TEST_FILE_LIMIT_S
// (600 s by default) with a line naming it, so the run fails in minutes and says where.
if (process.env['NODE_TEST_CONTEXT']) {
  const { Worker } = await import('node:worker_threads');
  const limit = Number(process.env['MARQUE_TEST_FILE_LIMIT_S'] ?? 600) * 1000;
  const file = process.argv[1] ?? 'a test file';
  new Worker(`
    const { workerData: { limit, file } } = require('node:worker_threads');
    setTimeout(() => {
      require('node:fs').writeSync(2, '\\n' + file + ': still running after ' + limit / 1000 + ' s; ended by test/helpers/setup.ts (a blocked system call or a hang)\\n');
      process.kill(process.pid, 'SIGKILL');
    }, limit);
  `, { eval: true, workerData: { limit, file } }).unref();
}
