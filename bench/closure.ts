// bench/closure: a product workspace over a whole distribution closure. A rosdistro cache of
// 1,600 released jazzy packages (real names, versions and rosdep keys from the bundled snapshot;
// generated package.xml bodies whose dependencies form a DAG) and Debian 12's real Packages
// indexes from /var/lib/apt/lists. Measures importing each catalog, and inventory cold (first
// run builds the per-file catalog stores) and warm, each in a fresh process.
// Usage: node bench/closure.ts [--runs N] [--released N]
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { DatabaseSync } from 'node:sqlite';
import { parse, stringify } from 'yaml';
import { BUNDLED_ROSDISTRO } from '../src/util/package.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, released: { type: 'string', default: '1600' }, child: { type: 'string' }, cache: { type: 'string' }, 'apt-index': { type: 'string', multiple: true }, import: { type: 'string' } } });
const PLATFORM = { os: 'debian', codename: 'bookworm' };

if (values.import) {
  // One import of one catalog file into a fresh database, in its own process.
  const { CatalogStore } = await import('../src/catalogs/store.ts');
  const { importCatalogFile } = await import('../src/catalogs/open.ts');
  const db = new DatabaseSync(join(mkdtempSync(join(tmpdir(), 'marque-bench-db-')), 'c.sqlite'));
  const store = new CatalogStore(db, true);
  const started = performance.now();
  db.exec('begin');
  const { status: s } = await importCatalogFile(store, values.import, PLATFORM);
  db.exec('commit');
  console.log(JSON.stringify({ ms: performance.now() - started, records: s.records, kind: s.kind }));
  process.exit(0);
}

if (values.child) {
  const started = performance.now();
  const { buildInventory } = await import('../src/api/inventory.ts');
  const inv = await buildInventory({ target: values.child, rosdistro: 'jazzy', platform: PLATFORM, rosdistroCaches: [values.cache!], aptIndexes: values['apt-index'] ?? [] });
  const ms = performance.now() - started;
  const released = inv.components.filter((c) => c.properties?.['ros:package']).length;
  const followed = inv.components.filter((c) => c.properties?.['marque:closure'] === 'followed').length;
  const apt = inv.components.filter((c) => c.ecosystem === 'deb' && !c.properties?.['ros:package'] && c.version).length;
  console.log(JSON.stringify({ ms, components: inv.components.length, dependencies: inv.dependencies.length, released, followed, apt, maxDepth: Math.max(...inv.components.map((c) => c.depth ?? 0)), problems: inv.problems.length }));
  process.exit(0);
}

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;

const distText = readFileSync(join(BUNDLED_ROSDISTRO, 'jazzy/distribution.yaml'), 'utf8');
const dist = parse(distText) as { repositories: Record<string, { release?: { packages?: string[]; version?: string } }> };
const base = parse(readFileSync(join(BUNDLED_ROSDISTRO, 'rosdep/base.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
// rosdep keys with a rule for Debian bookworm, so that the apt closure has real work to do.
const keys = Object.entries(base).filter(([, r]) => r && typeof r === 'object' && 'debian' in r && Array.isArray((r as Record<string, unknown>)['debian'])).map(([k]) => k);
const released: { name: string; version: string }[] = [];
for (const [repo, spec] of Object.entries(dist.repositories)) {
  for (const p of spec.release?.packages ?? (spec.release ? [repo] : [])) if (spec.release?.version) released.push({ name: p, version: spec.release.version.split('-')[0]! });
}
const n = Math.min(Number(values.released), released.length);
const chosen = released.slice(0, n);
const xmls: Record<string, string> = {};
chosen.forEach((p, i) => {
  const deps = new Set<string>();
  for (let k = 0; k < 5 && i > 0; k++) deps.add(`<exec_depend>${chosen[Math.floor(rand() * i)]!.name}</exec_depend>`);
  for (let k = 0; k < 2; k++) deps.add(`<depend>${pick(keys)}</depend>`);
  deps.add('<test_depend>ament_lint_auto</test_depend><build_depend>ament_cmake</build_depend>');
  xmls[p.name] = `<?xml version="1.0"?>\n<package format="3">\n  <name>${p.name}</name>\n  <version>${p.version}</version>\n  <description>${p.name}</description>\n  <maintainer email="dev@example.com">Dev</maintainer>\n  <license>Apache-2.0</license>\n  ${[...deps].join('\n  ')}\n  <export><build_type>ament_cmake</build_type></export>\n</package>\n`;
});
const dir = mkdtempSync(join(tmpdir(), 'marque-bench-closure-'));
const cache = join(dir, 'jazzy-cache.yaml');
writeFileSync(cache, stringify({ distribution_file: [parse(distText)], name: 'jazzy', release_package_xmls: xmls, source_repo_package_xmls: {}, type: 'cache', version: 2 }, { lineWidth: 0 }));
// The product: 20 packages whose run-time dependencies are the last released packages (the top of the DAG).
for (let w = 0; w < 20; w++) {
  const pdir = join(dir, 'ws/src', `product_${w}`);
  mkdirSync(pdir, { recursive: true });
  const deps = Array.from({ length: 20 }, (_, k) => chosen[n - 1 - ((w * 20 + k) % Math.min(n, 400))]!.name);
  writeFileSync(join(pdir, 'package.xml'), `<?xml version="1.0"?>\n<package format="3"><name>product_${w}</name><version>1.0.0</version><description>d</description><maintainer email="m@example.com">M</maintainer><license>MIT</license>${[...new Set(deps)].map((d) => `<exec_depend>${d}</exec_depend>`).join('')}</package>\n`);
}
const LISTS = '/var/lib/apt/lists';
const indexes = ['deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages', 'deb.debian.org_debian_dists_bookworm-updates_main_binary-amd64_Packages', 'deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages']
  .map((f) => ['', '.lz4', '.xz', '.gz'].map((e) => join(LISTS, f + e)).find(existsSync)).filter((f): f is string => !!f);
if (!indexes.length) console.log('# no Debian 12 apt lists in /var/lib/apt/lists: run apt-get update; the apt closure is not measured');

const node = process.execPath;
const self = new URL(import.meta.url).pathname;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const run = (args: string[], env: Record<string, string>) => {
  const r = spawnSync(node, [self, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
};

console.log(`cache: ${n} released packages, ${(readFileSync(cache).length / 1e6).toFixed(1)} MB; apt indexes: ${indexes.length}`);
for (const f of [cache, ...indexes]) {
  const i = run(['--import', f], {});
  console.log(`import ${f.split('/').at(-1)}: ${i['records']} ${i['kind']} records in ${Math.round(i['ms']!)} ms`);
}

const cacheDir = mkdtempSync(join(tmpdir(), 'marque-bench-cache-'));
const args = ['--child', join(dir, 'ws'), '--cache', cache, ...indexes.flatMap((f) => ['--apt-index', f])];
const cold = run(args, { MARQUE_CACHE_DIR: cacheDir });
const warm: Record<string, number>[] = [];
for (let i = 0; i < Number(values.runs); i++) warm.push(run(args, { MARQUE_CACHE_DIR: cacheDir }));
const w = warm[0]!;
console.log(`closure: ${w.components} components (${w.released} released ROS packages, ${w.followed} followed through the cache, ${w.apt} apt packages), ${w.dependencies} edges, max depth ${w.maxDepth}, ${w.problems} problems`);
console.log(`inventory cold (builds the catalog stores): ${Math.round(cold.ms!)} ms`);
console.log(`inventory warm: median ${Math.round(median(warm.map((x) => x.ms!)))} ms over ${warm.length} runs (target < 1000 ms)`);
rmSync(dir, { recursive: true, force: true });
rmSync(cacheDir, { recursive: true, force: true });
