// yarn.lock (classic and Berry) and pnpm-lock.yaml (v6 and v9) on real files: webpack's and a jest
// e2e project's yarn locks, vue core's pnpm locks of 2023 (v6) and 2026 (v9) with every workspace's
// package.json (test/fixtures/{yarn,pnpm}/*/LICENSE: MIT). pnpm itself is the oracle for v9.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildInventory } from '../src/api/inventory.ts';
import { productRequest } from '../src/api/request.ts';
import type { Inventory, Problem } from '../src/model/inventory.ts';
import { parsePnpmLock } from '../src/sources/npm/pnpm-lock.ts';
import { parseYarnLock, registryTarballName } from '../src/sources/npm/yarn-lock.ts';
import { yarnSettings } from '../src/sources/npm/projects.ts';
import { gitProvenance, pnpmGitProvenance } from '../src/sources/npm/git-source.ts';
import { deployableFacts } from '../src/formats/deployable.ts';
import { FIXTURES, ROOT } from './helpers/paths.ts';
import { missingTool } from './helpers/tools.ts';

const inventory = async (dir: string) => buildInventory((await productRequest(dir, {})).request);
const id = (c: { name: string; version: string }) => `${c.name}@${c.version}`;

test('pnpm v9 (vue core): 18 importers with their package.json names, links between workspaces, and pnpm list agrees', async () => {
  const dir = join(FIXTURES, 'pnpm', 'vue-core-v9');
  const inv = await inventory(dir);
  const roots = inv.components.filter((c) => c.root);
  assert.equal(roots.length, 18);
  assert.ok(roots.some((c) => id(c) === '@vue/compiler-core@3.6.0-beta.10' || c.name === '@vue/compiler-core'));
  assert.deepEqual(inv.unresolved, []);
  assert.deepEqual(inv.problems, []);
  const core = roots.find((c) => c.name === '@vue/compiler-core')!;
  const shared = roots.find((c) => c.name === '@vue/shared')!;
  assert.ok(inv.dependencies.some((d) => d.from === core.purl && d.to === shared.purl && d.kind === 'runtime'), 'workspace:* is a link to the workspace');
  assert.ok(inv.dependencies.some((d) => d.from === core.purl && d.kind === 'runtime' && d.to.startsWith('pkg:npm/%40babel/parser@')), 'catalog: specifiers resolve through the lock');
  // The oracle: every package `pnpm list --lockfile-only` shows is in Marque's inventory, at the same version.
  const pnpm = spawnSync(join(ROOT, 'node_modules/.bin/pnpm'), ['list', '--lockfile-only', '--json', '--depth', 'Infinity', '-r', '--config.manage-package-manager-versions=false', '--config.offline=true'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(pnpm.status, 0, pnpm.stderr);
  const listed = new Set<string>();
  const walk = (deps: Record<string, { from?: string; version: string; dependencies?: never }> | undefined) => {
    for (const [n, v] of Object.entries(deps ?? {})) { if (!v.version.startsWith('link:')) listed.add(`${v.from ?? n}@${v.version}`); if (v.dependencies) walk(v.dependencies); }
  };
  const projects = JSON.parse(pnpm.stdout) as Record<string, never>[];
  assert.equal(projects.length, roots.length);
  for (const p of projects) for (const g of ['dependencies', 'devDependencies', 'optionalDependencies']) walk(p[g]);
  const ours = new Set(inv.components.map(id));
  assert.ok(listed.size > 550, `${listed.size}`);
  assert.deepEqual([...listed].filter((x) => !ours.has(x)), []);
  // Dev-only tooling is dev; what compiler-core ships with is runtime.
  assert.equal(inv.components.find((c) => c.name === 'prettier')!.kind, 'dev');
  assert.equal(inv.components.find((c) => c.name === 'estree-walker' && c.version.startsWith('2.'))!.kind, 'runtime');
});

test('pnpm v9 (vite): file: folders with a peer suffix resolve, 279 importers stay 279 roots, a has-bom.json that is no SBOM is a warning; pnpm list agrees on every package and edge', async () => {
  const dir = join(FIXTURES, 'pnpm', 'vite');
  const inv = await inventory(dir);
  assert.deepEqual(inv.unresolved, []);
  assert.deepEqual(inv.problems.map((p) => `${p.severity} ${p.file}`), ['warning playground/json/json-bom/has-bom.json']);
  const roots = inv.components.filter((c) => c.root);
  assert.equal(roots.length, 279);
  // Two importers with one package name and version are two roots, named by their folders.
  assert.deepEqual(roots.filter((c) => c.properties?.['npm:packageName'] === '@vitejs/test-hmr').map((c) => c.name).sort(), ['playground/hmr', 'playground/module-graph']);
  // "file:playground/external/dep-that-imports(typescript@6.0.3)": the folder's package, its dependencies followed.
  const external = roots.find((c) => c.name === '@vitejs/test-external')!;
  const dep = inv.components.find((c) => c.name === '@vitejs/test-dep-that-imports')!;
  assert.equal(dep.properties?.['npm:localPath'], 'playground/external/dep-that-imports');
  assert.ok(inv.dependencies.some((d) => d.from === external.purl && d.to === dep.purl));
  assert.ok(inv.dependencies.some((d) => d.from === dep.purl && d.to === 'pkg:npm/slash@3.0.0'), 'its alias slash3 → slash@3.0.0');
  // pnpm's overrides (pnpm-workspace.yaml's, written again at the lock's top) are applied by pnpm in the
  // lock, which Marque reads: "debug": "npm:obug@^1.0.2" makes every debug an obug.
  assert.ok(!inv.components.some((c) => c.name === 'debug'));
  assert.ok(inv.components.some((c) => c.name === 'obug'));
  // "vite": "workspace:*" makes every vite the workspace's (no vite from the registry); "rolldown": "$rolldown" one rolldown.
  const vite = inv.components.filter((c) => c.name === 'vite');
  assert.deepEqual(vite.map((c) => c.root), [true]);
  assert.equal(inv.dependencies.filter((d) => d.to === vite[0]!.purl).length, 16, "the 16 importers that depend on vite");
  assert.deepEqual(inv.components.filter((c) => c.name === 'rolldown').map((c) => c.version), ['1.2.4']);
  assert.equal(inv.components.find((c) => c.name === 'chokidar' && c.version === '3.6.0')!.properties?.['npm:patch'], 'patches/chokidar@3.6.0.patch', 'patchedDependencies');
  // The oracle: pnpm's own reading of the lock, every importer's tree, every package and parent → child edge.
  const pnpm = spawnSync(join(ROOT, 'node_modules/.bin/pnpm'), ['list', '--lockfile-only', '--json', '--depth', 'Infinity', '-r', '--config.manage-package-manager-versions=false', '--config.offline=true'], { cwd: dir, encoding: 'utf8', maxBuffer: 256 << 20 });
  assert.equal(pnpm.status, 0, pnpm.stderr);
  type Node = { from?: string; version: string; dependencies?: Record<string, Node> };
  const projects = JSON.parse(pnpm.stdout) as Record<string, Record<string, Node> | undefined>[];
  assert.equal(projects.length, 279);
  const byId = new Map(inv.components.map((c) => [id(c), c.purl]));
  const local = new Map(inv.components.filter((c) => c.properties?.['npm:localPath']).map((c) => [c.name, c.purl]));
  const edges = new Set(inv.dependencies.map((d) => `${d.from} ${d.to}`));
  // pnpm writes a folder as "file:…" (or "alias@file:…"), a registry package as its version with the peer suffix.
  const purlOf = (n: string, v: Node) => (v.version.includes('file:') ? local.get(v.version.startsWith('file:') ? v.from ?? n : v.version.slice(0, v.version.indexOf('@file:'))) : byId.get(`${v.from ?? n}@${v.version.replace(/\(.*$/, '')}`));
  const missing: string[] = [];
  const lost: string[] = [];
  let checked = 0;
  const walk = (from: string | undefined, deps: Record<string, Node> | undefined) => {
    for (const [n, v] of Object.entries(deps ?? {})) {
      if (v.version.startsWith('link:')) continue;
      const to = purlOf(n, v);
      if (!to) { missing.push(`${v.from ?? n}@${v.version}`); continue; }
      if (from) { checked++; if (!edges.has(`${from} ${to}`)) lost.push(`${from} → ${to}`); }
      walk(to, v.dependencies);
    }
  };
  for (const p of projects) for (const g of ['dependencies', 'devDependencies', 'optionalDependencies']) walk(undefined, p[g]);
  assert.deepEqual([missing, lost], [[], []]);
  assert.ok(checked > 1800, `${checked}`);
});

test('pnpm v9 (rmf-web): a peer variant reached from dev dependencies only does not make what only it depends on ship; pnpm list --prod agrees on the shipping set', async () => {
  // debug@4.4.3 is installed twice: (supports-color@10.2.2) for api-client's dependencies, (supports-color@8.1.1)
  // under dashboard-e2e's devDependencies. One component, but supports-color@8.1.1 and has-flag are dev.
  const dir = join(FIXTURES, 'pnpm', 'rmf-web');
  const inv = await inventory(dir);
  assert.deepEqual([inv.unresolved, inv.problems], [[], []]);
  const kind = (n: string) => inv.components.find((c) => id(c) === n)?.kind;
  assert.deepEqual(['debug@4.4.3', 'ms@2.1.3', 'supports-color@10.2.2', 'supports-color@8.1.1', 'has-flag@4.0.0', '@babel/core@7.29.7'].map(kind), ['runtime', 'runtime', 'optional', 'dev', 'dev', 'dev']);
  assert.equal(inv.components.filter((c) => c.name === 'debug').length, 1, 'one component per name@version');
  // The dev variant's edge is a dev edge that names its variant; an edge both variants have is kept once, as the shipping one's.
  const from = (n: string) => inv.dependencies.filter((d) => d.from === 'pkg:npm/debug@4.4.3' && d.to.startsWith(`pkg:npm/${n}@`)).map((d) => `${d.to} ${d.kind} ${d.condition ?? ''}`.trim());
  assert.deepEqual(from('supports-color').sort(), ['pkg:npm/supports-color@10.2.2 optional', 'pkg:npm/supports-color@8.1.1 dev pnpm variant debug@4.4.3(supports-color@8.1.1)']);
  assert.deepEqual(from('ms'), ['pkg:npm/ms@2.1.3 runtime']);
  // The oracle: what pnpm installs for production is what Marque counts as shipping (runtime or optional).
  const pnpm = spawnSync(join(ROOT, 'node_modules/.bin/pnpm'), ['list', '--prod', '--lockfile-only', '--json', '--depth', 'Infinity', '-r', '--config.manage-package-manager-versions=false', '--config.offline=true'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(pnpm.status, 0, pnpm.stderr);
  type Node = { from?: string; version: string; dependencies?: Record<string, Node>; optionalDependencies?: Record<string, Node> };
  const prod = new Set<string>();
  const walk = (deps: Record<string, Node> | undefined) => {
    for (const [n, v] of Object.entries(deps ?? {})) { if (!v.version.startsWith('link:')) prod.add(`${v.from ?? n}@${v.version.replace(/\(.*$/, '')}`); walk(v.dependencies); walk(v.optionalDependencies); }
  };
  for (const p of JSON.parse(pnpm.stdout) as Record<string, Record<string, Node> | undefined>[]) { walk(p['dependencies']); walk(p['optionalDependencies']); }
  const shipping = inv.components.filter((c) => !c.root && (c.kind === 'runtime' || c.kind === 'optional')).map(id);
  assert.deepEqual(shipping.sort(), [...prod].sort());
  assert.equal(prod.size, 3);
});

test('pnpm v6: dev flags are a variant\'s; a package is dev only when every variant is, and a dev-only variant\'s edges do not ship', async () => {
  // The rmf-web shape written as pnpm 8 writes it: the dev-only variant comes first.
  const dir = mkdtempSync(join(tmpdir(), 'marque-pnpm-v6-peers-'));
  writeFileSync(join(dir, 'package.json'), '{"name": "app", "version": "1.0.0"}');
  writeFileSync(join(dir, 'pnpm-lock.yaml'), [
    "lockfileVersion: '6.0'", '',
    'dependencies:', '  debug:', '    specifier: ^4.4.3', '    version: 4.4.3(supports-color@10.2.2)', '',
    'devDependencies:', "  '@babel/core':", '    specifier: ^7.29.1', '    version: 7.29.7(supports-color@8.1.1)', '',
    'packages:', '',
    '  /@babel/core@7.29.7(supports-color@8.1.1):', '    resolution: {integrity: sha512-AAAA}', '    dependencies:', '      debug: 4.4.3(supports-color@8.1.1)', '    dev: true', '',
    '  /debug@4.4.3(supports-color@8.1.1):', '    resolution: {integrity: sha512-AAAA}', '    dependencies:', '      ms: 2.1.3', '      supports-color: 8.1.1', '    dev: true', '',
    '  /debug@4.4.3(supports-color@10.2.2):', '    resolution: {integrity: sha512-AAAA}', '    dependencies:', '      ms: 2.1.3', '      supports-color: 10.2.2', '    dev: false', '',
    '  /has-flag@4.0.0:', '    resolution: {integrity: sha512-AAAA}', '    dev: true', '',
    '  /ms@2.1.3:', '    resolution: {integrity: sha512-AAAA}', '    dev: false', '',
    '  /supports-color@10.2.2:', '    resolution: {integrity: sha512-AAAA}', '    dev: false', '',
    '  /supports-color@8.1.1:', '    resolution: {integrity: sha512-AAAA}', '    dependencies:', '      has-flag: 4.0.0', '    dev: true', '',
  ].join('\n'));
  try {
    const inv = await inventory(dir);
    const kind = (n: string) => inv.components.find((c) => id(c) === n)?.kind;
    assert.deepEqual(['debug@4.4.3', 'ms@2.1.3', 'supports-color@10.2.2', 'supports-color@8.1.1', 'has-flag@4.0.0'].map(kind), ['runtime', 'runtime', 'runtime', 'dev', 'dev']);
    assert.equal(inv.components.find((c) => c.name === 'debug')!.declaredScope, undefined);
    assert.ok(inv.dependencies.some((d) => d.from === 'pkg:npm/debug@4.4.3' && d.to === 'pkg:npm/supports-color@8.1.1' && d.kind === 'dev'));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('pnpm v6, one project: the dependencies pnpm 8 writes at the top level are the root\'s, as pnpm writes them and as a YAML parser reads them', () => {
  const lock = ["lockfileVersion: '6.0'", '', 'dependencies:', '  ms:', '    specifier: ^2.1.3', '    version: 2.1.3', '', 'devDependencies:', '  has-flag:', '    specifier: ^4.0.0', '    version: 4.0.0', '',
    'packages:', '', '  /has-flag@4.0.0:', '    resolution: {integrity: sha512-AAAA}', '    dev: true', '', '  /ms@2.1.3:', '    resolution: {integrity: sha512-AAAA}', '    dev: false', ''].join('\n');
  // A comment is outside pnpm's style: the same lock through the YAML parser.
  for (const text of [lock, `# by hand\n${lock}`]) {
    const f = parsePnpmLock(text, 'pnpm-lock.yaml', () => ({ name: 'app', version: '1.0.0' }));
    assert.deepEqual(f.dependencies.map((d) => `${d.from} ${d.kind} ${d.to}`).sort(), ['pkg:npm/app@1.0.0 dev pkg:npm/has-flag@4.0.0', 'pkg:npm/app@1.0.0 runtime pkg:npm/ms@2.1.3']);
  }
});

test('pnpm v6 (vue core, 2023): dev and optional flags, peer-suffixed keys, workspace links', async () => {
  const inv = await inventory(join(FIXTURES, 'pnpm', 'vue-core-v6'));
  assert.equal(inv.components.length, 802);
  assert.deepEqual(inv.unresolved, []);
  assert.equal(inv.components.filter((c) => c.root).length, 18);
  const sfc = inv.components.find((c) => c.name === '@vue/compiler-sfc')!;
  assert.ok(inv.dependencies.some((d) => d.from === sfc.purl && d.to === 'pkg:npm/%40vue/compiler-core@3.3.4'), 'link:../compiler-core');
  assert.ok(inv.dependencies.some((d) => d.from === sfc.purl && d.to === 'pkg:npm/postcss@8.4.21'));
  assert.equal(inv.components.find((c) => c.name === 'vitest')!.kind, 'dev');
  assert.equal(inv.components.find((c) => c.name === 'magic-string' && c.version === '0.30.0')!.kind, 'runtime');
});

test('yarn classic (webpack): the project from package.json, its direct dependencies resolved, dev split from runtime', async () => {
  const inv = await inventory(join(FIXTURES, 'yarn', 'classic-webpack'));
  const root = inv.components.filter((c) => c.root);
  assert.deepEqual(root.map(id), ['webpack@5.109.2']);
  assert.deepEqual(inv.unresolved, []);
  const direct = inv.dependencies.filter((d) => d.from === root[0]!.purl);
  assert.equal(direct.filter((d) => d.kind === 'runtime').length, 19, 'the 19 dependencies of package.json');
  assert.ok(direct.filter((d) => d.kind === 'dev').length > 80);
  assert.equal(inv.components.find((c) => c.name === 'enhanced-resolve')!.kind, 'runtime');
  assert.equal(inv.components.find((c) => c.name === 'jest' && !c.root)!.kind, 'dev');
  const lodash = inv.components.find((c) => c.name === 'lodash')!;
  assert.match(lodash.distribution ?? '', /^https:\/\/registry\.yarnpkg\.com\/lodash\/-\/lodash-/);
  assert.equal(lodash.hashes?.[0]?.alg, 'SHA-512');
});

test('yarn Berry (a jest e2e project): the root workspace entry is the project; descriptors with the npm: protocol resolve', async () => {
  const inv = await inventory(join(FIXTURES, 'yarn', 'berry-jest-e2e'));
  const root = inv.components.filter((c) => c.root);
  assert.deepEqual(root.map((c) => c.name), ['root-workspace-0b6124']);
  assert.deepEqual(inv.unresolved, []);
  assert.deepEqual(inv.dependencies.filter((d) => d.from === root[0]!.purl).map((d) => d.to.replace(/@[^@]*$/, '')).sort(), ['pkg:npm/%40babel/preset-env', 'pkg:npm/%40babel/preset-flow', 'pkg:npm/%40babel/preset-typescript', 'pkg:npm/react']);
  assert.equal(inv.components.length, 139);
});

test('pnpm: a link: to a folder that is no importer is a local folder reached through its edge (scope dev here), not another root of the product', () => {
  const lock = [
    "lockfileVersion: '9.0'", '', 'importers:', '', '  .:', '    devDependencies:', '      bundled-lib:', '        specifier: link:./test/bundled-lib', '        version: link:test/bundled-lib',
    '      a:', '        specifier: ^1.0.0', '        version: 1.0.0', '', 'packages:', '', '  a@1.0.0:', '    resolution: {integrity: sha512-AAAA}', '', 'snapshots:', '', '  a@1.0.0: {}', '',
  ].join('\n');
  const f = parsePnpmLock(lock, 'pnpm-lock.yaml', (path) => (path === '.' ? { name: 'app', version: '1.0.0' } : path === 'test/bundled-lib' ? { name: '@test/bundled-lib', version: '0.0.1' } : undefined));
  const lib = f.components.find((c) => c.name === '@test/bundled-lib')!;
  assert.ok(lib, f.components.map((c) => c.purl).join(' '));
  assert.equal(lib.root, undefined, 'not a root');
  assert.equal(lib.firstParty, undefined, 'as Yarn\'s link: folder: counted, on the cautious side');
  assert.deepEqual(lib.properties, { 'npm:localPath': 'test/bundled-lib' });
  assert.ok(f.dependencies.some((d) => d.from === 'pkg:npm/app@1.0.0' && d.to === lib.purl && d.kind === 'dev'));
  assert.deepEqual(f.components.filter((c) => c.root).map((c) => c.name), ['app']);
});

test('pnpm 11: a lock of two YAML documents (the env lock, then the project\'s) is read; the package manager it records is a build tool of the root', () => {
  // The shape of astro's and typescript-eslint's locks (pnpm 11 and 12 with "packageManager" pinned in
  // package.json), cut down: they were refused whole ("expected a single document in the stream").
  const env = [
    '---', "lockfileVersion: '9.0'", '', 'importers:', '', '  .:', '    configDependencies: {}', '    packageManagerDependencies:',
    "      '@pnpm/exe':", '        specifier: 11.10.0', '        version: 11.10.0', '', 'packages:', '',
    "  '@pnpm/exe@11.10.0':", '    resolution: {integrity: sha512-AAAA}', '    hasBin: true', '',
    "  '@pnpm/linux-x64@11.10.0':", '    resolution: {integrity: sha512-AAAA}', '    cpu: [x64]', '    os: [linux]', '',
    '  detect-libc@2.1.2:', '    resolution: {integrity: sha512-AAAA}', '', 'snapshots:', '',
    "  '@pnpm/exe@11.10.0':", '    dependencies:', '      detect-libc: 2.1.2', '    optionalDependencies:', "      '@pnpm/linux-x64': 11.10.0", "      '@pnpm/win-x64': 11.10.0", '',
    "  '@pnpm/linux-x64@11.10.0': {}", '', '  detect-libc@2.1.2: {}', '',
  ];
  const main = [
    '---', "lockfileVersion: '9.0'", '', 'settings:', '  autoInstallPeers: false', '', 'importers:', '', '  .:', '    dependencies:', '      detect-libc:', '        specifier: ^2.0.0', '        version: 2.1.2',
    '    devDependencies:', '      sitemap:', '        specifier: ^9.0.0', '        version: 9.0.0', '', 'packages:', '',
    '  detect-libc@2.1.2:', '    resolution: {integrity: sha512-AAAA}', '', '  sitemap@9.0.0:', '    resolution: {integrity: sha512-AAAA}', '', 'snapshots:', '', '  detect-libc@2.1.2: {}', '', '  sitemap@9.0.0: {}', '',
  ];
  const f = parsePnpmLock([...env, ...main].join('\n'), 'pnpm-lock.yaml', (path) => (path === '.' ? { name: 'root', version: '0.0.0' } : undefined));
  const edges = f.dependencies.map((d) => `${d.from} ${d.kind} ${d.to}`).sort();
  assert.deepEqual(edges, [
    'pkg:npm/%40pnpm/exe@11.10.0 optional pkg:npm/%40pnpm/linux-x64@11.10.0',
    'pkg:npm/%40pnpm/exe@11.10.0 runtime pkg:npm/detect-libc@2.1.2',
    'pkg:npm/root@0.0.0 build pkg:npm/%40pnpm/exe@11.10.0',
    'pkg:npm/root@0.0.0 dev pkg:npm/sitemap@9.0.0',
    'pkg:npm/root@0.0.0 runtime pkg:npm/detect-libc@2.1.2',
  ]);
  assert.deepEqual(f.components.filter((c) => c.root).map((c) => c.purl), ['pkg:npm/root@0.0.0']);
  assert.deepEqual(f.unresolved, []);
  // An error in the project's document names the line of the file, not of the document.
  const broken = [...env, ...main.slice(0, 12), '        version: [2.1.2', ...main.slice(13)].join('\n');
  assert.throws(() => parsePnpmLock(broken, 'pnpm-lock.yaml'), (e: Error & { line?: number }) => /malformed YAML/.test(e.message) && e.line! > env.length + 1);
});

test('pnpm 10 and later: a patch the lock records by its hash alone is named by its file in pnpm-workspace.yaml; a patched peer inside another key does not mark that package', async () => {
  // The shape of nuxt's lock (pnpm 11): patchedDependencies keep a sha256, pnpm-workspace.yaml the file.
  const hash = (c: string) => c.repeat(64);
  const dir = mkdtempSync(join(tmpdir(), 'marque-pnpm-patch-'));
  writeFileSync(join(dir, 'package.json'), '{"name": "app", "version": "1.0.0", "pnpm": {"patchedDependencies": {"changelogen": "patches/changelogen.patch"}}}');
  writeFileSync(join(dir, 'pnpm-workspace.yaml'), 'packages:\n  - .\npatchedDependencies:\n  nitropack@2.13.4: patches/nitropack@2.13.4.patch\n');
  writeFileSync(join(dir, 'pnpm-lock.yaml'), [
    "lockfileVersion: '9.0'", '', 'patchedDependencies:', `  changelogen: ${hash('a')}`, `  nitropack@2.13.4: ${hash('b')}`, `  unused@^1.0.0: ${hash('c')}`, '',
    'importers:', '', '  .:', '    dependencies:',
    '      changelogen:', '        specifier: ^0.6.0', `        version: 0.6.2(patch_hash=${hash('a')})`,
    "      '@nuxt/devtools':", '        specifier: ^4.0.0', `        version: 4.0.0(nitropack@2.13.4(patch_hash=${hash('b')}))`, '',
    'packages:', '', "  '@nuxt/devtools@4.0.0':", '    resolution: {integrity: sha512-AAAA}', '', '  changelogen@0.6.2:', '    resolution: {integrity: sha512-AAAA}', '',
    '  nitropack@2.13.4:', '    resolution: {integrity: sha512-AAAA}', '', 'snapshots:', '',
    `  '@nuxt/devtools@4.0.0(nitropack@2.13.4(patch_hash=${hash('b')}))':`, '    dependencies:', `      nitropack: 2.13.4(patch_hash=${hash('b')})`, '',
    `  changelogen@0.6.2(patch_hash=${hash('a')}): {}`, '', `  nitropack@2.13.4(patch_hash=${hash('b')}): {}`, '',
  ].join('\n'));
  const inv = await inventory(dir);
  assert.deepEqual(inv.problems, []);
  const patches = Object.fromEntries(inv.components.filter((c) => c.properties?.['npm:patch']).map((c) => [id(c), c.properties!['npm:patch']]));
  assert.deepEqual(patches, { 'changelogen@0.6.2': 'patches/changelogen.patch', 'nitropack@2.13.4': 'patches/nitropack@2.13.4.patch' });
  // Without the files beside it, the lock still says that the package is patched.
  const f = parsePnpmLock(readFileSync(join(dir, 'pnpm-lock.yaml'), 'utf8'), 'pnpm-lock.yaml');
  assert.deepEqual(f.components.filter((c) => c.properties?.['npm:patch']).map((c) => `${id(c)} ${c.properties!['npm:patch']}`).sort(), ['changelogen@0.6.2 patched', 'nitropack@2.13.4 patched']);
});

test('malformed and unsupported JavaScript locks: a problem with the file, never a crash', () => {
  assert.throws(() => parseYarnLock('"a@^1":\n  version "1.0.0"\n  dependencies\n    b "^1"\n  : :\n', 'yarn.lock', []), /yarn\.lock|malformed/);
  assert.throws(() => parseYarnLock('"a@^1":\n  resolved "x"\n', 'yarn.lock', []), /entry "a@\^1" has no version/);
  assert.throws(() => parsePnpmLock('lockfileVersion: 5.4\n', 'pnpm-lock.yaml'), /lockfileVersion 5\.4 is not read; Marque reads versions 6 to 9/);
  assert.throws(() => parsePnpmLock('- a\n- b\n', 'pnpm-lock.yaml'), /not a pnpm-lock\.yaml/);
  assert.throws(() => parsePnpmLock("lockfileVersion: '9.0'\nsnapshots:\n  a@1.0.0: 7\n", 'pnpm-lock.yaml'), /package "a@1\.0\.0" is not a map/);
  const dir = mkdtempSync(join(tmpdir(), 'marque-yarn-bad-'));
  writeFileSync(join(dir, 'yarn.lock'), '"a@^1":\n  resolved "x"\n');
  writeFileSync(join(dir, 'package.json'), '{"name": "p", "version": "1.0.0", "dependencies": {"a": "^1"}}');
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), 'inventory', dir], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr + r.stdout, /yarn\.lock: entry "a@\^1" has no version/);
});

test('a pnpm lock whose YAML aliases repeat one dependency map thousands of times is refused', () => {
  const deps = Array.from({ length: 3000 }, (_, i) => `    p${i}: 1.0.0`).join('\n');
  const snaps = Array.from({ length: 2000 }, (_, i) => `  s${i}@1.0.0:\n    dependencies: *d`).join('\n');
  const text = `lockfileVersion: '9.0'\nsnapshots:\n  anchor@1.0.0:\n    dependencies: &d\n${deps.replace(/^ {4}/gm, '      ')}\n${snaps}\n`;
  // That it is refused is checked here; how fast is bench/hostile.ts's job (timing is no test's).
  assert.throws(() => parsePnpmLock(text, 'pnpm-lock.yaml'), /more than 5000000 dependency entries; not read/);
});

/**
 * Yarn itself as the oracle: `yarn info --all --recursive` (offline, from the lock and package.json
 * alone) lists every package with its dependencies. Returns what Yarn lists that Marque's graph lacks.
 */
async function yarnOracle(fixture: string): Promise<{ packages: number; edges: number; missing: string[]; extra: string[]; lostEdges: string[]; extraEdges: string[]; inv: Inventory }> {
  // The fixture as its repository holds it (a large lock gzipped beside): Marque reads all of it; Yarn
  // gets no .yarnrc.yml (it names plugins and releases not copied) and is told to ignore yarnPath.
  const copy = (withRc: boolean) => {
    const dir = mkdtempSync(join(tmpdir(), 'marque-yarn-oracle-'));
    cpSync(join(FIXTURES, 'yarn', fixture), dir, { recursive: true, filter: (f) => withRc || !f.endsWith('.yarnrc.yml') });
    if (existsSync(join(dir, 'yarn.lock.gz'))) { writeFileSync(join(dir, 'yarn.lock'), gunzipSync(readFileSync(join(dir, 'yarn.lock.gz')))); rmSync(join(dir, 'yarn.lock.gz')); }
    return dir;
  };
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/@yarnpkg/cli-dist/bin/yarn.js'), 'info', '--all', '--recursive', '--json'], { cwd: copy(false), encoding: 'utf8', env: { ...process.env, YARN_IGNORE_PATH: '1', YARN_ENABLE_NETWORK: '0', YARN_ENABLE_TELEMETRY: '0', YARN_ENABLE_GLOBAL_CACHE: '0' }, maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  const listed = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { value: string; children: { Version: string; Dependencies?: { descriptor: string; locator: string }[] } });
  const name = (locator: string) => locator.slice(0, locator.indexOf('@', 1));
  const inv = await inventory(copy(true));
  // Yarn versions a workspace, a portal and a link 0.0.0-use.local; Marque gives each its package.json's
  // version, when the folder has one inside the scanned folder (checked by the callers).
  const roots = new Map(inv.components.filter((c) => c.root).map((c) => [c.name, c.version]));
  const folders = new Map(inv.components.filter((c) => c.properties?.['npm:localPath'] !== undefined).map((c) => [c.name, c.version]));
  const versionOf = new Map(listed.map((x) => [x.value, x.value.includes('@workspace:') ? roots.get(name(x.value)) ?? '' : /@(portal|link):/.test(x.value) ? folders.get(name(x.value)) ?? '' : x.children.Version]));
  const ours = new Set(inv.components.map(id));
  const theirs = new Set(listed.map((x) => `${name(x.value)}@${versionOf.get(x.value)}`));
  const purlOf = new Map(inv.components.map((c) => [id(c), c.purl]));
  const edges = new Set(inv.dependencies.map((d) => `${d.from} ${d.to}`));
  const lostEdges: string[] = [];
  const theirEdges = new Set<string>();
  let n = 0;
  for (const x of listed) {
    for (const d of x.children.Dependencies ?? []) {
      n++;
      // A virtual locator (a peer-dependency instance) names its package after "#".
      const real = d.locator.includes('@virtual:') ? `${name(d.locator)}@${d.locator.slice(d.locator.indexOf('#') + 1)}` : d.locator;
      const to = purlOf.get(`${name(real)}@${versionOf.get(real)}`);
      theirEdges.add(`${purlOf.get(`${name(x.value)}@${versionOf.get(x.value)}`)} ${to}`);
      if (!to || !edges.has(`${purlOf.get(`${name(x.value)}@${versionOf.get(x.value)}`)} ${to}`)) lostEdges.push(`${x.value} → ${d.descriptor}`);
    }
  }
  // Yarn lists a patched package (resolve@patch:…) beside the original; both are one name@version here.
  // Marque's edges Yarn does not list (peers are resolved by Yarn through the parent: compared apart).
  const extraEdges = inv.dependencies.filter((d) => d.kind !== 'peer' && !theirEdges.has(`${d.from} ${d.to}`)).map((d) => `${d.from} → ${d.to}`);
  return { packages: theirs.size, edges: n, missing: [...theirs].filter((x) => !ours.has(x)), extra: [...ours].filter((x) => !theirs.has(x)), lostEdges, extraEdges, inv };
}

test('yarn Berry oracle: `yarn info --all --recursive` (Yarn itself, offline, from the lock) lists the same packages and the same edges', async () => {
  const o = await yarnOracle('berry-jest-e2e');
  assert.deepEqual([o.missing, o.extra, o.lostEdges, o.extraEdges], [[], [], [], []]);
  assert.equal(o.packages, 139);
});

test('yarn Berry (prettier): aliases are the package their resolution names, resolutions override ranges, patches are marked, Yarn\'s built-in extensions apply; Yarn agrees on 1,050 packages and all 1,827 edges', async () => {
  const o = await yarnOracle('berry-prettier');
  assert.deepEqual([o.missing, o.extra], [[], []]);
  assert.equal(o.packages, 1050);
  assert.equal(o.edges, 1827);
  // Yarn's built-in package extensions (@yarnpkg/extensions, compiled into Yarn, written nowhere in the
  // project) add one of them: `unified@<10` gains `@types/unist@^2.0.0`.
  assert.deepEqual([o.lostEdges, o.extraEdges], [[], []]);
  const inv = await inventory(join(FIXTURES, 'yarn', 'berry-prettier'));
  const names = new Set(inv.components.map(id));
  for (const x of ['string-width@4.2.3', 'wrap-ansi@7.0.0', 'strip-ansi@6.0.1', 'react-is@18.3.1', 'react-is@19.2.7']) assert.ok(names.has(x), x);
  assert.ok(![...names].some((x) => /^(string-width-cjs|wrap-ansi-cjs|strip-ansi-cjs|react-is-18|react-is-19)@/.test(x)), 'an alias is not a package');
  // package.json "resolutions": { "trim": "1.0.1" }: remark-parse's trim@0.0.1 is trim@1.0.1.
  const trim = inv.components.find((c) => c.name === 'trim')!;
  assert.equal(trim.version, '1.0.1');
  assert.ok(trim.depth !== null && trim.depth > 1);
  const unified = inv.components.find((c) => id(c) === 'unified@9.2.2')!;
  assert.ok(inv.dependencies.some((d) => d.from === unified.purl && d.to.startsWith('pkg:npm/%40types/unist@2.') && d.kind === 'runtime'));
  const remarkParse = inv.components.find((c) => id(c) === 'remark-parse@8.0.3')!;
  assert.ok(inv.dependencies.some((d) => d.from === remarkParse.purl && d.to === trim.purl && d.constraint === 'npm:1.0.1'));
  assert.deepEqual(inv.unresolved, []);
  assert.deepEqual(inv.components.filter((c) => c.root).map(id), ['prettier@3.10.0-dev']);
  assert.equal(inv.components.find((c) => c.name === 'typescript')!.properties?.['npm:patch'], 'optional!builtin<compat/typescript>');
});

test('yarn Berry (Jest\'s monorepo, 71 workspaces): patches of the project\'s own (.yarn/patches) and Yarn\'s, resolutions scoped to a parent and to workspaces; Yarn agrees on 2,221 packages and all 5,397 edges', async () => {
  const o = await yarnOracle('berry-jest-root');
  assert.deepEqual([o.missing, o.extra, o.lostEdges, o.extraEdges], [[], [], [], []]);
  assert.deepEqual([o.packages, o.edges], [2221, 5397]);
  const { inv } = o;
  assert.deepEqual([inv.unresolved, inv.problems], [[], []]);
  assert.equal(inv.components.filter((c) => c.root).length, 71);
  // A patched package is the package (its purl, for advisories), the patch named beside it.
  const patched = Object.fromEntries(inv.components.filter((c) => c.properties?.['npm:patch']).map((c) => [id(c), c.properties!['npm:patch']]));
  assert.deepEqual(patched, {
    'lru-cache@10.4.3': './.yarn/patches/lru-cache-npm-10.4.3-30c10b861a.patch', 'ts-node@10.9.2': './.yarn/patches/ts-node-npm-10.9.1-6c268be7f4.patch', '@types/mdx@2.0.14': '~/.yarn/patches/@types-mdx-npm-2.0.14-ebb2ecb0d6.patch',
    'resolve@1.22.12': 'optional!builtin<compat/resolve>', 'typescript@5.9.3': 'optional!builtin<compat/typescript>', 'fsevents@2.3.3': 'optional!builtin<compat/fsevents>',
  });
  // "ansi-escapes/type-fest": "^2.0.0" applies under ansi-escapes only; "@testing-library/react-native/jest-matcher-utils": "workspace:*" makes it the workspace.
  const from = (purl: string) => inv.dependencies.filter((d) => d.from === purl).map((d) => `${d.to} ${d.constraint}`);
  assert.deepEqual(from('pkg:npm/ansi-escapes@4.3.2'), ['pkg:npm/type-fest@2.19.0 npm:^2.0.0']);
  assert.ok(from('pkg:npm/%40testing-library/react-native@14.0.1').includes('pkg:npm/jest-matcher-utils@30.4.1 workspace:*'));
  assert.ok(inv.components.find((c) => id(c) === 'jest-matcher-utils@30.4.1')!.root);
  assert.deepEqual(inv.components.filter((c) => c.name === '@types/node').map((c) => c.version), ['18.19.130'], '"@types/node": "18.x"');
});

test('yarn Berry portal: and link: (Jest\'s e2e projects): a portal\'s folder is read for its version, a link out of the scanned folder is named without one; Yarn agrees on every package and edge', async () => {
  const portal = await yarnOracle('berry-jest-portal');
  assert.deepEqual([portal.missing, portal.extra, portal.lostEdges, portal.extraEdges], [[], [], [], []]);
  assert.deepEqual(portal.inv.components.filter((c) => !c.root).map((c) => `${id(c)} ${c.properties?.['npm:localPath']}`).sort(), ['foo@0.0.0 ./lib', 'undeclared@0.0.0 ./undeclared-dependency']);
  const link = await yarnOracle('berry-jest-link');
  assert.deepEqual([link.missing, link.extra, link.lostEdges, link.extraEdges], [[], [], [], []]);
  assert.deepEqual([link.packages, link.edges], [135, 296]);
  const linked = link.inv.components.find((c) => c.name === '@jest/test-result')!;
  assert.deepEqual([linked.version, linked.properties?.['npm:localPath']], ['', '../../../packages/jest-test-result']);
  assert.deepEqual(link.inv.unresolved, []);
});

test('yarn Berry catalogs (Babel): a workspace\'s "catalog:" and "catalog:dev" are the ranges .yarnrc.yml\'s catalogs give, not gaps; a catalog without the entry is a gap that says so', () => {
  // Babel's whole lock (1,655 packages, 4,073 edges, 30 catalog references) agrees with `yarn info --all --recursive`
  // once the catalogs apply; before, its 26 distinct catalog edges were unresolved. The excerpt: one workspace.
  const dir = join(FIXTURES, 'yarn', 'berry-babel-catalog');
  const ws = JSON.parse(readFileSync(join(dir, 'packages/babel-generator/package.json'), 'utf8')) as Record<string, unknown>;
  const problems: Problem[] = [];
  const settings = yarnSettings({ beside: (p) => existsSync(p) ? readFileSync(p, 'utf8') : undefined }, join(dir, 'yarn.lock'), 'yarn.lock', problems);
  assert.deepEqual(problems, []);
  const f = parseYarnLock(readFileSync(join(dir, 'yarn.lock'), 'utf8'), 'yarn.lock', [{ path: 'packages/babel-generator', ...ws }], settings);
  const gen = f.components.find((c) => c.name === '@babel/generator')!;
  const from = f.dependencies.filter((d) => d.from === gen.purl && d.to.includes('jridgewell')).map((d) => `${d.to} ${d.kind} ${d.constraint}`);
  assert.deepEqual(from, [
    'pkg:npm/%40jridgewell/gen-mapping@0.4.0-beta.0 runtime npm:0.4.0-beta.0', // catalog: 0.4.0-beta.0, not the lock's other 0.3.13
    'pkg:npm/%40jridgewell/sourcemap-codec@1.6.0-beta.0 dev npm:1.6.0-beta.0', // catalogs.dev, a devDependency
    'pkg:npm/%40jridgewell/trace-mapping@0.3.31 runtime npm:^0.3.31',
  ]);
  // The excerpt leaves out the workspaces it depends on; those are the only gaps, dev ones said to be dev.
  assert.deepEqual(f.unresolved!.map((m) => `${m.key} ${m.kind}`), ['@babel/core@workspace:^ dev', '@babel/helper-fixtures@workspace:^ dev', '@babel/parser@workspace:^ runtime', '@babel/plugin-transform-typescript@workspace:^ dev', '@babel/types@workspace:^ runtime']);
  const without = parseYarnLock(readFileSync(join(dir, 'yarn.lock'), 'utf8'), 'yarn.lock', [{ path: 'packages/babel-generator', ...ws }], { catalog: { '@jridgewell/gen-mapping': '0.4.0-beta.0' } });
  assert.deepEqual(without.unresolved!.filter((m) => m.key.includes('catalog')).map((m) => m.reason), [
    '"@jridgewell/sourcemap-codec@catalog:dev": the catalog "dev" (catalogs.dev) is not in .yarnrc.yml or empty',
    '"@jridgewell/trace-mapping@catalog:": the default catalog (catalog) of .yarnrc.yml has no entry for @jridgewell/trace-mapping',
  ]);
});

test('packages fetched from git (npm/cli\'s own fixtures, webpack\'s GitHub dependency): the repository and commit are their provenance, and no registry file is made up for them', async () => {
  const prov = (inv: Inventory, name: string) => { const c = inv.components.find((x) => x.name === name)!; return `${c.version} ${c.provenance?.type} ${c.provenance?.url} ${c.provenance?.version}`; };
  // package-lock.json: "resolved": "git+ssh://git@github.com/substack/minimist.git#3754568…".
  const lock = await inventory(join(FIXTURES, 'npm-cli-git', 'minimist-git-dep'));
  assert.equal(prov(lock, 'minimist'), '0.0.8 git ssh://git@github.com/substack/minimist.git 3754568bfd43a841d2d72d7fb54598635aea8fa4');
  // Before, the SBOM named the registry's minimist-0.0.8.tgz with the SHA-512 of the tarball npm packed from the commit.
  const facts = deployableFacts(lock.components.find((c) => c.name === 'minimist')!);
  assert.equal(facts.uri, undefined);
  assert.match(facts.unavailable['deployable-uri'] ?? '', /^fetched from git \(ssh:\/\/git@github\.com\/substack\/minimist\.git at 3754568b/);
  // classic yarn.lock: a git URL, a GitHub shorthand (its codeload archive); registry, tarball and folder entries have none.
  const yarn = await inventory(join(FIXTURES, 'npm-cli-git', 'yarn-stuff'));
  assert.equal(prov(yarn, 'full-git-url'), '1.1.1 git https://github.com/isaacs/abbrev-js.git b8f3a2fc0c3bb8ffd8b0d0072cc6b5a3667e963c');
  assert.equal(prov(yarn, 'ghshort'), '1.1.1 git https://github.com/isaacs/abbrev-js b8f3a2fc0c3bb8ffd8b0d0072cc6b5a3667e963c');
  assert.deepEqual(yarn.components.filter((c) => c.provenance).map((c) => c.name).sort(), ['full-git-url', 'ghshort']);
  // "remote": "https://registry.npmjs.org/abbrev/-/abbrev-1.1.1.tgz" is abbrev 1.1.1 (the registry's layout), not a package "remote";
  // what came from git keeps the project's name for it, and says the lock does not give the package's own.
  assert.ok(!yarn.components.some((c) => c.name === 'remote'), yarn.components.map((c) => c.purl).join(' '));
  assert.ok(yarn.dependencies.some((d) => d.from === 'pkg:npm/a@1.2.3' && d.to === 'pkg:npm/abbrev@1.1.1'));
  assert.deepEqual(yarn.problems.map((p) => p.message.slice(0, 22)).sort(), ['"full-git-url@1.1.1" (', '"ghshort@1.1.1" (https']);
  assert.equal(registryTarballName('https://registry.yarnpkg.com/@babel/core/-/core-7.26.0.tgz', '7.26.0'), '@babel/core');
  assert.equal(registryTarballName('https://registry.npmjs.org/@babel%2fcore/-/core-7.26.0.tgz', '7.26.0'), '@babel/core');
  assert.equal(registryTarballName('https://registry.npmjs.org/abbrev/-/abbrev-1.1.1.tgz', '1.1.2'), undefined, 'another version: not that file');
  assert.equal(registryTarballName('https://codeload.github.com/isaacs/abbrev-js/tar.gz/b8f3a2f', '1.1.1'), undefined);
  const webpack = await inventory(join(FIXTURES, 'yarn', 'classic-webpack'));
  assert.equal(prov(webpack, 'tooling'), '1.28.1 git https://github.com/webpack/tooling 4c13a00ac84cf0e2dd57c457cd1ce46faa9e456a');
  // Yarn Berry's git references and pnpm's git resolutions, as their tools write them.
  assert.deepEqual(gitProvenance('https://github.com/isaacs/abbrev-js.git#commit=b8f3a2fc0c3bb8ffd8b0d0072cc6b5a3667e963c'), { type: 'git', url: 'https://github.com/isaacs/abbrev-js.git', version: 'b8f3a2fc0c3bb8ffd8b0d0072cc6b5a3667e963c' });
  assert.deepEqual(gitProvenance('git+ssh://git@github.com/a/b.git#commit=abc123&workspace=x'), { type: 'git', url: 'ssh://git@github.com/a/b.git', version: 'abc123' });
  assert.deepEqual(pnpmGitProvenance({ type: 'git', repo: 'https://github.com/a/b.git', commit: 'abc123' }), { type: 'git', url: 'https://github.com/a/b.git', version: 'abc123' });
  for (const registry of ['https://registry.yarnpkg.com/abbrev/-/abbrev-1.1.1.tgz#f8f2c887ad10bf67f634f005b6987fed3179aac8', 'npm:1.1.1', 'https://registry.npmjs.org/abbrev/-/abbrev-1.1.1.tgz', 'file:abbrev-1.1.1.tgz#f8f2c887', undefined]) assert.equal(gitProvenance(registry), undefined, registry);
});

test('yarn Berry: a resolution scoped to a parent, a portal and a link to folders, packageExtensions of .yarnrc.yml', () => {
  const lock = [
    '__metadata:', '  version: 8', '',
    '"app@workspace:.":', '  version: 0.0.0-use.local', '  resolution: "app@workspace:."', '  dependencies:', '    a: "npm:^1.0.0"', '    b: "npm:^1.0.0"', '    local: "portal:./local"', '    linked: "link:../linked"', '  languageName: unknown', '  linkType: soft', '',
    '"a@npm:^1.0.0":', '  version: 1.0.0', '  resolution: "a@npm:1.0.0"', '  dependencies:', '    c: "npm:^1.0.0"', '  languageName: node', '  linkType: hard', '',
    '"b@npm:^1.0.0":', '  version: 1.2.0', '  resolution: "b@npm:1.2.0"', '  dependencies:', '    c: "npm:^1.0.0"', '  languageName: node', '  linkType: hard', '',
    '"c@npm:1.5.0, c@npm:^1.0.0":', '  version: 1.5.0', '  resolution: "c@npm:1.5.0"', '  languageName: node', '  linkType: hard', '',
    '"c@npm:2.0.0":', '  version: 2.0.0', '  resolution: "c@npm:2.0.0"', '  languageName: node', '  linkType: hard', '',
    '"local@portal:./local::locator=app%40workspace%3A.":', '  version: 0.0.0-use.local', '  resolution: "local@portal:./local::locator=app%40workspace%3A."', '  languageName: node', '  linkType: soft', '',
    '"linked@link:../linked::locator=app%40workspace%3A.":', '  version: 0.0.0-use.local', '  resolution: "linked@link:../linked::locator=app%40workspace%3A."', '  languageName: node', '  linkType: soft', '',
  ].join('\n');
  // An extension adds what a package does not depend on yet (b already depends on c: kept), only to the versions its range matches.
  const f = parseYarnLock(lock, 'yarn.lock', [{ path: '.', name: 'app', version: '2.0.0', resolutions: { 'a/c': '2.0.0', '**/c': '1.0.0' } }], { packageExtensions: { 'b@^1.1.0': { dependencies: { c: '2.0.0' } }, 'c@^1.5.0': { dependencies: { a: '^1.0.0' } }, 'c@^1.0.0 <1.5.0': { dependencies: { b: '^1.0.0' } } } });
  const edges = f.dependencies.map((d) => `${d.from} → ${d.to}`).sort();
  assert.deepEqual(edges, [
    'pkg:npm/a@1.0.0 → pkg:npm/c@2.0.0', 'pkg:npm/app@2.0.0 → pkg:npm/a@1.0.0', 'pkg:npm/app@2.0.0 → pkg:npm/b@1.2.0', 'pkg:npm/app@2.0.0 → pkg:npm/linked', 'pkg:npm/app@2.0.0 → pkg:npm/local',
    'pkg:npm/b@1.2.0 → pkg:npm/c@1.5.0', 'pkg:npm/c@1.5.0 → pkg:npm/a@1.0.0',
  ]);
  assert.equal(f.components.find((c) => c.name === 'local')!.properties?.['npm:localPath'], './local');
  // Yarn refuses glob resolutions; so does Marque, and says so.
  assert.match(f.problems![0]!.message, /resolution "\*\*\/c" is not applied: .*glob pattern/);
});

test('Yarn\'s built-in package extensions: the data Marque applies is the list of the Yarn the tests run (scripts/yarn-extensions.ts regenerates it); they come first and a classic lock has none', async () => {
  const { extensionsOfInstalledYarn, renderExtensions, YARN_EXTENSIONS_FILE } = await import('../scripts/yarn-extensions.ts');
  const { version, list } = extensionsOfInstalledYarn();
  assert.equal(readFileSync(YARN_EXTENSIONS_FILE, 'utf8'), renderExtensions(version, list), `stale: run node scripts/yarn-extensions.ts (Yarn ${version})`);
  const lock = (berry: boolean) => [
    ...(berry ? ['__metadata:', '  version: 8', ''] : []),
    `"unified@${berry ? 'npm:' : ''}^9.0.0":`, '  version: 9.2.2', ...(berry ? ['  resolution: "unified@npm:9.2.2"'] : []), '',
    `"@types/unist@${berry ? 'npm:' : ''}^2.0.0, @types/unist@${berry ? 'npm:' : ''}^3.0.0":`, '  version: 2.0.11', ...(berry ? ['  resolution: "@types/unist@npm:2.0.11"'] : []), '',
  ].join('\n');
  const edges = (berry: boolean, settings = {}) => parseYarnLock(lock(berry), 'yarn.lock', [], settings).dependencies.map((d) => `${d.from} → ${d.to} ${d.constraint}`);
  assert.deepEqual(edges(true), ['pkg:npm/unified@9.2.2 → pkg:npm/%40types/unist@2.0.11 ^2.0.0']);
  // Yarn 4 registers its own extensions before .yarnrc.yml's: the built-in one wins for the same dependency.
  assert.deepEqual(edges(true, { packageExtensions: { 'unified@*': { dependencies: { '@types/unist': '^3.0.0' } } } }), ['pkg:npm/unified@9.2.2 → pkg:npm/%40types/unist@2.0.11 ^2.0.0']);
  assert.deepEqual(edges(false), []);
});

test('yarn workspaces outside the scanned folder ("../shared/*", a workspace folder linked out) are named, never read, and the scan goes on', async () => {
  const top = mkdtempSync(join(tmpdir(), 'marque-yarn-outside-'));
  const proj = join(top, 'proj');
  for (const [f, text] of Object.entries({
    'shared/x/package.json': '{"name":"x","version":"9.9.9","devDependencies":{"secret":"1"}}',
    'elsewhere/package.json': '{"name":"l","version":"8.8.8"}',
    'proj/packages/a/package.json': '{"name":"a","version":"1.0.0"}',
    'proj/package.json': '{"name":"root","version":"2.0.0","workspaces":["../shared/*","packages/*","linked"]}',
    'proj/yarn.lock': ['__metadata:', '  version: 8', '', ...['root@workspace:.', 'a@workspace:packages/a', 'x@workspace:../shared/x', 'l@workspace:linked'].flatMap((r) => [`"${r}":`, '  version: 0.0.0-use.local', `  resolution: "${r}"`, '  languageName: unknown', '  linkType: soft', ''])].join('\n'),
  })) { mkdirSync(join(top, f, '..'), { recursive: true }); writeFileSync(join(top, f), text); }
  symlinkSync(join(top, 'elsewhere'), join(proj, 'linked'));
  const inv = await inventory(proj);
  assert.deepEqual(inv.problems.map((p) => `${p.severity} ${p.file}: ${p.message}`).sort(), [
    'warning linked/package.json: leads outside the scanned folder; not read',
    'warning linked: symbolic link leads outside the scanned folder; not followed',
    'warning package.json: workspace pattern "../shared/*" points outside the scanned folder; those workspaces\' package.json files are not read (their versions and dev dependencies come from the lock alone): scan the folder that holds them all to include them',
  ]);
  assert.deepEqual(inv.components.map(id).sort(), ['a@1.0.0', 'l@', 'root@2.0.0', 'x@']);
});

test('npm overrides: package-lock.json holds the overridden version where Node finds it; npm ls (offline, from the lock) agrees that remark-parse → trim is trim@1.0.1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-npm-overrides-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { 'remark-parse': '8.0.3' }, overrides: { trim: '1.0.1' } }));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages: {
    '': { name: 'app', version: '1.0.0', dependencies: { 'remark-parse': '8.0.3' } },
    'node_modules/remark-parse': { version: '8.0.3', resolved: 'https://registry.npmjs.org/remark-parse/-/remark-parse-8.0.3.tgz', dependencies: { trim: '0.0.1' } },
    'node_modules/trim': { version: '1.0.1', resolved: 'https://registry.npmjs.org/trim/-/trim-1.0.1.tgz' },
  } }));
  const inv = await inventory(dir);
  assert.deepEqual(inv.unresolved, []);
  const trim = inv.components.find((c) => c.name === 'trim')!;
  assert.equal(trim.depth, 2);
  assert.ok(inv.dependencies.some((d) => d.from === 'pkg:npm/remark-parse@8.0.3' && d.to === trim.purl));
  const npm = spawnSync('npm', ['ls', '--all', '--package-lock-only', '--json'], { cwd: dir, encoding: 'utf8' });
  if (npm.error) { missingTool(undefined, 'npm (npm ls is the oracle)', 'npm comes with Node.js'); return; }
  const tree = JSON.parse(npm.stdout) as { dependencies: Record<string, { dependencies: Record<string, { version: string; overridden: boolean }> }> };
  assert.deepEqual(tree.dependencies['remark-parse']!.dependencies['trim'], { ...tree.dependencies['remark-parse']!.dependencies['trim'], version: trim.version, overridden: true });
});

test('npm overrides on a real project (Theia: 9 overrides, two of them nested under a parent): npm ls (offline, from the lock and the 107 package.json files) and Marque agree on every package and every edge, perfect-scrollbar overridden to 1.5.5 among them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-theia-overrides-'));
  cpSync(join(FIXTURES, 'npm-theia', 'project'), dir, { recursive: true });
  writeFileSync(join(dir, 'package-lock.json'), gunzipSync(readFileSync(join(FIXTURES, 'npm-theia', 'package-lock.json.gz'))));
  const overrides = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { overrides: Record<string, unknown> }).overrides;
  assert.deepEqual(Object.entries(overrides).filter(([, v]) => typeof v === 'object').map(([k]) => k), ['@typescript-eslint/eslint-plugin-tslint', 'nx']);
  const inv = await inventory(dir);
  assert.deepEqual(inv.unresolved, []);
  const npm = spawnSync('npm', ['ls', '--all', '--package-lock-only', '--json', '--offline'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (npm.error) { missingTool(undefined, 'npm (npm ls is the oracle)', 'npm comes with Node.js'); return; }
  assert.equal(npm.status, 0, npm.stderr);
  type Node = { version?: string; resolved?: string; overridden?: boolean; dependencies?: Record<string, Node> };
  const byId = new Map(inv.components.map((c) => [id(c), c.purl]));
  const roots = new Map(inv.components.filter((c) => c.root).map((c) => [c.name, c.purl]));
  const edges = new Set(inv.dependencies.map((d) => `${d.from} ${d.to}`));
  const listed = new Set<string>();
  const missing: string[] = [];
  const lost: string[] = [];
  const overridden: string[] = [];
  // npm names a package by the name it is installed under, an alias ("string-width-cjs": npm:string-width@^4.2.0) being the real package its tarball names.
  // A node npm shows again as "deduped" carries its version only: the name comes from its first showing.
  const tree = (JSON.parse(npm.stdout) as Node).dependencies;
  const named = new Map<string, string>();
  const learn = (deps: Record<string, Node> | undefined) => { for (const [n, v] of Object.entries(deps ?? {})) { const real = /^https:\/\/registry\.npmjs\.org\/((?:@[^/]+\/)?[^/]+)\/-\//.exec(v.resolved ?? '')?.[1]; if (real) named.set(`${n}@${v.version}`, real); learn(v.dependencies); } };
  learn(tree);
  const realName = (n: string, v: Node) => named.get(`${n}@${v.version}`) ?? n;
  const rootPurls = new Set(roots.values());
  const walk = (from: string, deps: Record<string, Node> | undefined) => {
    for (const [n, v] of Object.entries(deps ?? {})) {
      if (v.version === undefined && v.resolved === undefined) continue; // an optional dependency npm did not install
      const key = `${realName(n, v)}@${v.version}`;
      const to = byId.get(key);
      if (!to) { missing.push(key); continue; }
      const workspace = rootPurls.has(to);
      if (!workspace) listed.add(key);
      if (v.overridden) overridden.push(key);
      // npm hangs the workspaces under the monorepo's root; Marque makes each a root of its own.
      if (!(workspace && from === monorepo) && !edges.has(`${from} ${to}`)) lost.push(`${from} → ${to}`);
      walk(to, v.dependencies);
    }
  };
  const monorepo = roots.get('@theia/monorepo')!;
  walk(monorepo, tree);
  assert.deepEqual([missing, lost], [[], []]);
  assert.deepEqual(overridden, ['perfect-scrollbar@1.5.5']);
  // Every package npm installs is in the inventory, at the version npm installs (the overridden one where an override applies).
  const ours = new Set(inv.components.filter((c) => !c.root).map(id));
  assert.deepEqual([...listed].filter((x) => !ours.has(x)), []);
  assert.ok(listed.size > 2000, `${listed.size}`);
  // The nested override "nx": { "brace-expansion": "^5.0.9" }: nx asks for 5.0.8 exactly and gets 5.0.9.
  assert.ok(inv.dependencies.some((d) => d.from === 'pkg:npm/nx@22.7.8' && d.to === 'pkg:npm/brace-expansion@5.0.9' && d.constraint === '5.0.8'));
  for (const [name, want] of [['perfect-scrollbar', '1.5.5'], ['dompurify', /^3\./], ['uuid', /^11\./], ['tar', /^7\./]] as const) {
    const versions = inv.components.filter((c) => c.name === name).map((c) => c.version);
    assert.ok(versions.length > 0 && versions.every((v) => (typeof want === 'string' ? v === want : want.test(v))), `${name}: ${versions.join(', ')}`);
  }
});

test('pnpm-lock.yaml as pnpm writes it is read line by line and gives what a YAML parser gives; anything outside that style goes to the YAML parser', async () => {
  const { readPnpmYaml } = await import('../src/sources/npm/pnpm-yaml.ts');
  const { parseYamlFast } = await import('../src/util/yaml.ts');
  // Maps become plain objects and numbers their text, to compare (the line reader keeps "1.0" as written).
  const norm = (v: unknown): unknown => v instanceof Map ? norm(Object.fromEntries(v)) : Array.isArray(v) ? v.map(norm)
    : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)])) : typeof v === 'number' ? String(v) : v;
  for (const f of ['vite', 'vue-core-v9', 'vue-core-v6']) {
    const text = readFileSync(join(FIXTURES, 'pnpm', f, 'pnpm-lock.yaml'), 'utf8');
    const fast = readPnpmYaml(text);
    assert.ok(fast, `${f}: read line by line`);
    assert.ok(fast['snapshots'] instanceof Map || fast['packages'] instanceof Map);
    assert.deepEqual(norm(fast), norm(parseYamlFast(text, 'pnpm-lock.yaml')), f);
  }
  const style = [
    "lockfileVersion: '9.0'", '', 'importers:', '', '  .:', '    dependencies:', "      'it''s':", '        specifier: "^1.0.0\\u0021"', '        version: 1.0.0',
    'packages:', "  '@a/b@1.0.0':", "    resolution: {integrity: sha512-AA==, tarball: 'https://x.test/b.tgz'}", '    cpu: [x64, arm64]', '    engines: {node: ^18 || >=20}', '    hasBin: true', '    deprecated: ~',
    '    os:', '    - linux', '    - darwin', '    libc:', '      - glibc', '    peerDependencies: {}', '  c@2.0.0: {}', 'empty:',
  ].join('\n');
  assert.deepEqual(norm(readPnpmYaml(style)), norm(parseYamlFast(style, 'x')));
  // Outside pnpm's style: an anchor and alias, a tag, a block scalar, a comment, a key written twice, a tab, a second document, "__proto__".
  for (const other of ['a: &x {b: 1}\nc: *x', 'a: !!str 1', 'a: |\n  text', '# lock\na: 1', 'a: 1\na: 2', 'a:\n\tb: 1', '---\na: 1', 'a:\n  b:\n    __proto__: 1', '__proto__: 1', 'a: b # note', '- a', 'a:\n  - b: 1', `a: ${'['.repeat(20_000)}${']'.repeat(20_000)}`]) {
    assert.equal(readPnpmYaml(other), undefined, other);
  }
  // Such a lock is still read, by the YAML parser, and its errors carry their line.
  const aliased = parsePnpmLock(["lockfileVersion: '9.0'", 'importers:', '  .:', '    dependencies: &d', '      a: {specifier: ^1.0.0, version: 1.0.0}', 'packages:', '  a@1.0.0: {resolution: {integrity: sha512-AA==}}', 'snapshots:', '  a@1.0.0: {}'].join('\n'), 'pnpm-lock.yaml');
  assert.deepEqual(aliased.dependencies.map((d) => `${d.from} → ${d.to}`), ['pkg:npm/root → pkg:npm/a@1.0.0']);
  assert.throws(() => parsePnpmLock("lockfileVersion: '9.0'\nimporters:\n  .: {a: 1\n", 'pnpm-lock.yaml'), (e: Error & { line?: number }) => /malformed YAML/.test(e.message) && e.line !== undefined);
});

test('npm purls written without the library are the ones packageurl-js writes (every name and version of the fixture locks, and names it must encode)', async () => {
  const { npmPurl, makePurl } = await import('../src/model/purl.ts');
  const viaLibrary = (name: string, version: string) => {
    const slash = name.startsWith('@') ? name.indexOf('/') : -1;
    return makePurl({ type: 'npm', ...(slash > 0 ? { namespace: name.slice(0, slash) } : {}), name: slash > 0 ? name.slice(slash + 1) : name, version });
  };
  const pairs: [string, string][] = [['JSONStream', '1.3.5'], ['@Scope/X', '1.0.0'], ['a', '1.0.0(peer@2)'], ['a', ''], ['a', 'v1'], ['a', '1.0.0+build.5'], ['@s/a', 'file:../x'], ['a b', '1'], ['a', '^1.0.0 || 2'], ['ü', '1']];
  const pnpm = parsePnpmLock(readFileSync(join(FIXTURES, 'pnpm', 'vite', 'pnpm-lock.yaml'), 'utf8'), 'pnpm-lock.yaml');
  const yarn = parseYarnLock(readFileSync(join(FIXTURES, 'yarn', 'berry-prettier', 'yarn.lock'), 'utf8'), 'yarn.lock', []);
  for (const c of [...pnpm.components, ...yarn.components]) pairs.push([c.name, c.version]);
  assert.ok(pairs.length > 2500);
  assert.deepEqual(pairs.filter(([n, v]) => npmPurl(n, v) !== viaLibrary(n, v)), []);
});

test('npm lockfileVersion 1 (npm 5 and 6): the nested tree is read as npm reads it — requires resolved in the nearest "dependencies" upward, dev/optional flags as scope, aliases, git and tarball URLs, integrity, the project from package.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-npm-v1-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '3.0.0',
    dependencies: { a: '^1.0.0', al: 'npm:real@^2.0.0', g: 'github:o/r#0123456789abcdef0123456789abcdef01234567', t: 'https://example.org/t.tgz' }, devDependencies: { d: '^1.0.0' }, optionalDependencies: { o: '^1.0.0' } }));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'app', version: '3.0.0', lockfileVersion: 1, requires: true, dependencies: {
    a: { version: '1.0.0', resolved: 'https://registry.npmjs.org/a/-/a-1.0.0.tgz', integrity: 'sha512-AA==', requires: { b: '^2.0.0' },
      dependencies: { b: { version: '2.0.0', resolved: 'https://registry.npmjs.org/b/-/b-2.0.0.tgz', requires: { c: '^1.0.0' } } } },
    b: { version: '1.0.0', dev: true },
    c: { version: '1.1.0' },
    d: { version: '1.0.0', dev: true, requires: { b: '^1.0.0' } },
    al: { version: 'npm:real@2.0.0', resolved: 'https://registry.npmjs.org/real/-/real-2.0.0.tgz' },
    g: { version: 'github:o/r#0123456789abcdef0123456789abcdef01234567', from: 'github:o/r' },
    t: { version: 'https://example.org/t.tgz', integrity: 'sha1-AA==' },
    o: { version: '1.0.0', optional: true },
  } }));
  const inv = await inventory(dir);
  const root = inv.components.find((c) => c.root)!;
  assert.equal(root.purl, 'pkg:npm/app@3.0.0');
  assert.deepEqual(inv.components.filter((c) => !c.root).map((c) => `${id(c)} ${c.declaredScope ?? 'required'}`).sort(),
    ['a@1.0.0 required', 'b@1.0.0 dev', 'b@2.0.0 required', 'c@1.1.0 required', 'd@1.0.0 dev', 'g@ required', 'o@1.0.0 optional', 'real@2.0.0 required', 't@ required']);
  const edges = new Set(inv.dependencies.map((d) => `${d.from} ${d.to} ${d.kind}`));
  // a finds its own nested b@2; b@2 climbs to the root for c; d (nothing nested) gets the root's b@1.
  for (const e of ['pkg:npm/a@1.0.0 pkg:npm/b@2.0.0 runtime', 'pkg:npm/b@2.0.0 pkg:npm/c@1.1.0 runtime', 'pkg:npm/d@1.0.0 pkg:npm/b@1.0.0 runtime',
    'pkg:npm/app@3.0.0 pkg:npm/d@1.0.0 dev', 'pkg:npm/app@3.0.0 pkg:npm/o@1.0.0 optional', 'pkg:npm/app@3.0.0 pkg:npm/real@2.0.0 runtime']) assert.ok(edges.has(e), e);
  assert.deepEqual(inv.unresolved, []);
  const a = inv.components.find((c) => c.name === 'a')!;
  assert.equal(a.hashes?.[0]?.alg, 'SHA-512');
  const g = inv.components.find((c) => c.name === 'g')!;
  assert.deepEqual(g.provenance, { type: 'git', url: 'https://github.com/o/r.git', version: '0123456789abcdef0123456789abcdef01234567' });
  assert.equal(inv.components.find((c) => c.name === 't')!.distribution, 'https://example.org/t.tgz');
  // Without package.json, the top-level packages nothing else requires are the project's, in the scope npm flagged them.
  rmSync(join(dir, 'package.json'));
  const alone = await inventory(dir);
  const direct = alone.dependencies.filter((d) => d.from === 'pkg:npm/app@3.0.0').map((d) => `${d.to} ${d.kind}`).sort();
  assert.deepEqual(direct, ['pkg:npm/a@1.0.0 runtime', 'pkg:npm/d@1.0.0 dev', 'pkg:npm/g runtime', 'pkg:npm/o@1.0.0 optional', 'pkg:npm/real@2.0.0 runtime', 'pkg:npm/t runtime']);
});

test('npm lockfileVersion 1 on a real project (OWASP NodeGoat, 1,081 packages): npm ls (offline, from the lock and package.json) and Marque agree on every package, every edge and which packages are dev-only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-nodegoat-v1-'));
  cpSync(join(FIXTURES, 'npm-nodegoat-v1', 'package.json'), join(dir, 'package.json'));
  writeFileSync(join(dir, 'package-lock.json'), gunzipSync(readFileSync(join(FIXTURES, 'npm-nodegoat-v1', 'package-lock.json.gz'))));
  const inv = await inventory(dir);
  assert.deepEqual(inv.unresolved, []);
  assert.equal(inv.components.find((c) => c.name === 'marked')!.version, '0.3.9');
  const ls = (...extra: string[]) => spawnSync('npm', ['ls', '--all', '--package-lock-only', '--json', '--offline', ...extra], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
  const npm = ls();
  if (npm.error) { missingTool(undefined, 'npm (npm ls is the oracle)', 'npm comes with Node.js'); return; }
  assert.equal(npm.status, 0, npm.stderr);
  type Node = { version?: string; dependencies?: Record<string, Node> };
  // A package fetched from a URL has no version in npm's tree, nor in Marque's purl.
  const listed = (tree: Node, edges?: Set<string>) => {
    const out = new Set<string>();
    const walk = (from: string, deps: Record<string, Node> | undefined) => {
      for (const [n, v] of Object.entries(deps ?? {})) {
        const k = `${n}@${v.version ?? ''}`;
        edges?.add(`${from} ${k}`);
        out.add(k);
        walk(k, v.dependencies);
      }
    };
    walk('owasp-nodejs-goat@1.3.0', tree.dependencies);
    return out;
  };
  const npmEdges = new Set<string>();
  const all = listed(JSON.parse(npm.stdout) as Node, npmEdges);
  const prod = listed(JSON.parse(ls('--omit=dev').stdout) as Node);
  const mine = new Map(inv.components.map((c) => [id(c), c]));
  assert.equal(all.size, 1081);
  assert.deepEqual([...all].filter((k) => !mine.has(k)), []);
  assert.deepEqual([...mine.keys()].filter((k) => !all.has(k) && k !== 'owasp-nodejs-goat@1.3.0'), []);
  assert.deepEqual([...all].filter((k) => (mine.get(k)!.declaredScope === 'dev') === prod.has(k)), [], 'dev exactly where npm --omit=dev leaves the package out');
  const byPurl = new Map(inv.components.map((c) => [c.purl, id(c)]));
  const edges = new Set(inv.dependencies.map((d) => `${byPurl.get(d.from)} ${byPurl.get(d.to)}`));
  assert.deepEqual([...npmEdges].filter((e) => !edges.has(e)), []);
  assert.ok(npmEdges.size > 1900);
});

test('npm lockfileVersion 1 without package.json (the NodeGoat excerpt): its packages are read, the project depending on the top-level ones', async () => {
  const inv = await inventory(join(FIXTURES, 'diff-upgrades', 'nodegoat-5848aad-parent'));
  assert.deepEqual(inv.components.map(id).sort(), ['marked@0.3.9', 'owasp-nodejs-goat@1.3.0', 'underscore@1.9.1']);
  assert.deepEqual(inv.dependencies.map((d) => `${d.from} ${d.to}`).sort(), ['pkg:npm/owasp-nodejs-goat@1.3.0 pkg:npm/marked@0.3.9', 'pkg:npm/owasp-nodejs-goat@1.3.0 pkg:npm/underscore@1.9.1']);
  assert.equal(inv.components.find((c) => c.name === 'marked')!.hashes?.[0]?.alg, 'SHA-1');
});

test('package-lock.json without a "packages" map and not lockfileVersion 1 is refused; a v1 entry that is not a map is named', async () => {
  const { parsePackageLock } = await import('../src/sources/npm/package-lock.ts');
  assert.throws(() => parsePackageLock('{"lockfileVersion": 3}', 'package-lock.json'), /lockfileVersion 3 has no "packages" map; lockfileVersion 1, 2 and 3 are read/);
  assert.throws(() => parsePackageLock('{}', 'package-lock.json'), /lockfileVersion \? has no "packages" map/);
  assert.throws(() => parsePackageLock('{"lockfileVersion": 1, "dependencies": {"a": {"version": "1.0.0", "dependencies": {"b": 7}}}}', 'package-lock.json'), /package "b" under node_modules\/a is not a map/);
});
