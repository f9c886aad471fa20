// What a command loads decides how fast it starts (bench/startup.ts measures it): "marque --help"
// loads no command module and no format library, and an inventory loads none of the server, the
// report, the perimeter or the SBOM writers. Structural checks on the module list, not timings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE, ROOT } from './helpers/paths.ts';

function modulesLoaded(...args: string[]): string[] {
  const log = join(mkdtempSync(join(tmpdir(), 'marque-modules-')), 'modules.txt');
  const r = spawnSync(process.execPath, ['--import', join(ROOT, 'test/helpers/module-log.ts'), join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8', env: { ...process.env, MARQUE_MODULE_LOG: log }, maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(log, 'utf8').split('\n').map((m) => m.replace(/^file:\/\//, '').replace(ROOT, '')).filter(Boolean);
}

const packageOf = (m: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(m)?.[1];

test('marque --help loads the registry, not the commands or any library', () => {
  const loaded = modulesLoaded('--help');
  assert.ok(loaded.includes('src/cli/main.ts') && loaded.includes('src/cli/registry.ts'), 'the log lists what was loaded');
  assert.deepEqual(loaded.filter((m) => m.includes('src/cli/commands/')), [], 'no command module');
  assert.deepEqual([...new Set(loaded.map(packageOf).filter(Boolean))], [], 'no dependency');
  assert.ok(loaded.length < 20, `${loaded.length} modules: ${loaded.join(' ')}`);
});

test('marque inventory loads neither the server, the report, the perimeter, nor the SBOM writers', () => {
  const loaded = modulesLoaded('inventory', EXAMPLE, '--json');
  assert.ok(loaded.includes('src/cli/commands/inventory.ts'), 'the log lists what was loaded');
  for (const area of ['src/server/', 'src/report/', 'src/perimeter/', 'src/formats/', 'src/attest/', 'src/diff/', 'web/']) {
    assert.deepEqual(loaded.filter((m) => m.includes(area)), [], `nothing of ${area}`);
  }
  const packages = new Set(loaded.map(packageOf).filter(Boolean));
  for (const p of ['fastify', 'pg', 'pg-boss', 'playwright-core', '@cyclonedx/cyclonedx-library', 'preact', '@lezer/python', 'tar-stream', '@yarnpkg/parsers', 'yauzl']) {
    assert.ok(!packages.has(p), `${p} is not loaded for an inventory of the example (loaded: ${[...packages].join(', ')})`);
  }
});
