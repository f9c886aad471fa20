// Loaded before every test file (npm test passes --import): each test process gets its own cache
// folder, so no test reads or writes the user's ~/.cache/marque (advisories, catalogs, parse cache).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env['MARQUE_CACHE_DIR'] ??= mkdtempSync(join(tmpdir(), 'marque-test-cache-'));
// Tests never touch the network: a team server started by a test downloads nothing unless the test
// gives it a local source and MARQUE_OFFLINE=0.
process.env['MARQUE_OFFLINE'] ??= '1';
