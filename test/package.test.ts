// Marque as a user gets it: "npm pack" makes a tarball without tests, fixtures or install scripts,
// which installs without the network and runs from the installed copy (compiled JavaScript, no
// TypeScript sources): --help, and the README's whole tour (inventory, vulns, check, report, serve).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { packAndInstall } from '../scripts/pack-install.ts';
import { runTour } from './helpers/tour.ts';

test('npm pack gives a tarball that installs offline and runs: --help, then the README tour from the installed copy', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-package-'));
  const installed = packAndInstall(dir);
  console.log(`# tarball ${installed.tarball.split('/').pop()}: ${(installed.bytes / 1024).toFixed(0)} KB, ${installed.files.length} files`);

  // What the package carries: compiled JavaScript and data; no sources, tests, fixtures, benches.
  for (const f of installed.files) assert.doesNotMatch(f, /^(src|test|bench|examples|scripts|web)\//, `${f} does not belong in the package`);
  for (const f of ['bin/marque.js', 'dist/js/marque.js', 'dist/js/marque.js.map', 'dist/web/dossier.js', 'dist/validators/marque-manifest.cjs', 'schemas/marque.schema.json', 'data/rosdistro/jazzy/distribution.yaml', 'data/rosdistro/jazzy/distribution.yaml.parsed.json', 'npm-shrinkwrap.json', 'LICENSE']) {
    assert.ok(installed.files.includes(f), `the package carries ${f}`);
  }
  const manifest = JSON.parse(readFileSync(join(installed.packageDir, 'package.json'), 'utf8')) as { private?: boolean; scripts?: Record<string, string> };
  assert.equal(manifest.private, undefined, 'publishable');
  for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) assert.equal(manifest.scripts?.[s], undefined, `no ${s} script runs at a user's install`);
  assert.ok(!existsSync(join(installed.packageDir, 'src')), 'the installed copy runs compiled JavaScript');

  // The installed command, as a shell would run it: "#!/usr/bin/env node" finds Node 24 first on PATH.
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`, MARQUE_CACHE_DIR: join(dir, 'cache') };
  const help = spawnSync(installed.bin, ['--help'], { env, encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /^marque \d+\.\d+\.\d+: get products ready for the EU Cyber Resilience Act/);
  assert.doesNotMatch(help.stderr, /ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING/);

  const results = await runTour([installed.bin], env);
  for (const r of results) assert.equal(r.code, r.step.exit, `${r.step.line}\n${r.err}`);
  assert.match(results.find((r) => r.step.args[0] === 'inventory')!.out, /225 components/);
  const report = results.find((r) => r.step.args[0] === 'report')!;
  assert.match(report.err, /wrote .*dossier\.html/);
  assert.ok(results.some((r) => r.step.kind === 'background' && /^http:\/\/127\.0\.0\.1:\d+$/.test(r.out)), 'marque serve answered its health check');
});
