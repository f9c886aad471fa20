// Packs Marque as npm would publish it and installs the tarball into a fresh folder without the
// network, for the package test (test/package.test.ts) and the start-up benchmark
// (bench/startup.ts), which measure what a user installs rather than the clone.
//
// Packing happens in a copy of the sources (so the build does not rewrite dist/ under tests that
// run meanwhile). Installing offline needs every dependency from npm's cache, which "npm ci" fills;
// but "npm install ./marque-*.tgz" resolves version ranges through the registry's package
// documents, which "npm ci" never fetches. So the install is "npm ci --offline" of a project whose
// lockfile is the tarball's own npm-shrinkwrap.json: the same versions, fetched by integrity from
// the cache.
//
//   node scripts/pack-install.ts DIR     packs and installs into DIR; prints the marque path
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/util/package.ts';

/** What the build reads: the package's files and the sources they are built from. */
const BUILD_INPUTS = ['package.json', 'package-lock.json', '.npmrc', 'LICENSE', 'README.md', 'tsconfig.json', 'bin', 'src', 'web', 'scripts', 'data', 'schemas', 'docs'];

export interface Installed {
  tarball: string;
  /** The tarball's size in bytes. */
  bytes: number;
  /** The installed package's folder, and the command npm linked for it. */
  packageDir: string;
  bin: string;
  files: string[];
}

function npm(args: string[], cwd: string): string {
  // npm runs the build (prepack) with the project's Node 24, first on PATH.
  const env = { ...process.env, PATH: `${join(PACKAGE_ROOT, 'node_modules', '.bin')}:${process.env['PATH'] ?? ''}`, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  return execFileSync('npm', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

export function pack(into: string): { tarball: string; bytes: number; files: string[] } {
  const copy = mkdtempSync(join(tmpdir(), 'marque-pack-src-'));
  for (const f of BUILD_INPUTS) if (existsSync(join(PACKAGE_ROOT, f))) cpSync(join(PACKAGE_ROOT, f), join(copy, f), { recursive: true, filter: (s) => !s.includes('/docs/screenshots') });
  symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(copy, 'node_modules'));
  mkdirSync(into, { recursive: true });
  const out = JSON.parse(npm(['pack', '--json', '--pack-destination', into], copy)) as { filename: string; size: number; files: { path: string }[] }[];
  const tarball = join(into, out[0]!.filename);
  return { tarball, bytes: statSync(tarball).size, files: out[0]!.files.map((f) => f.path) };
}

export function install(tarball: string, dir: string): { packageDir: string; bin: string } {
  mkdirSync(dir, { recursive: true });
  const name = tarball.split('/').pop()!;
  cpSync(tarball, join(dir, name));
  // The tarball's own lockfile, re-rooted under a project that depends on the tarball.
  execFileSync('tar', ['xzf', name, 'package/npm-shrinkwrap.json', 'package/package.json'], { cwd: dir });
  const shrinkwrap = JSON.parse(readFileSync(join(dir, 'package/npm-shrinkwrap.json'), 'utf8')) as { packages: Record<string, unknown> };
  const manifest = JSON.parse(readFileSync(join(dir, 'package/package.json'), 'utf8')) as { name: string; version: string; license: string; dependencies: Record<string, string>; bin: Record<string, string>; engines: Record<string, string> };
  const spec = `file:${name}`;
  const packages: Record<string, unknown> = {
    '': { name: 'marque-installed', dependencies: { [manifest.name]: spec } },
    [`node_modules/${manifest.name}`]: { version: manifest.version, resolved: spec, license: manifest.license, dependencies: manifest.dependencies, bin: manifest.bin, engines: manifest.engines },
  };
  for (const [path, entry] of Object.entries(shrinkwrap.packages)) if (path) packages[path] = entry;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'marque-installed', private: true, dependencies: { [manifest.name]: spec } }, null, 2));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'marque-installed', lockfileVersion: 3, requires: true, packages }, null, 2));
  try {
    npm(['ci', '--offline'], dir);
  } catch (e) {
    const err = (e as { stderr?: string }).stderr ?? String(e);
    throw new Error(`npm ci --offline of the packed tarball failed (does npm's cache hold every dependency? "npm ci" in the clone fills it):\n${err}`);
  }
  return { packageDir: join(dir, 'node_modules', manifest.name), bin: join(dir, 'node_modules', '.bin', Object.keys(manifest.bin)[0]!) };
}

export function packAndInstall(dir: string): Installed {
  const packed = pack(join(dir, 'tarball'));
  return { ...packed, ...install(packed.tarball, join(dir, 'prefix')) };
}

if (import.meta.main) {
  const dir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'marque-installed-'));
  if (existsSync(dir) && readdirSync(dir).length) { process.stderr.write(`${dir} is not empty\n`); process.exit(2); }
  const i = packAndInstall(dir);
  process.stderr.write(`packed ${i.tarball} (${(i.bytes / 1024).toFixed(0)} KB, ${i.files.length} files); installed into ${dir}/prefix\n`);
  process.stdout.write(`${i.bin}\n`);
}
