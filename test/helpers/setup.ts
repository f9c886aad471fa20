// Loaded before every test file (npm test passes --import): each test process gets its own cache
// folder, so no test reads or writes the user's ~/.cache/marque (advisories, catalogs, parse cache).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env['MARQUE_CACHE_DIR'] ??= mkdtempSync(join(tmpdir(), 'marque-test-cache-'));
