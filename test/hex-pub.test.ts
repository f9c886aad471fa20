// Hex (mix.lock, mix.exs) and Pub (pubspec.lock): purl-spec purls, scopes, the Hex and Pub version
// orderings, and matching real GitHub advisories (GHSA, CC-BY-4.0) against real lockfiles: a vulnerable
// version is found, a fixed one is not, and a git, path or SDK package is a stated gap, never "checked".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import yazl from 'yazl';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PackageURL } from 'packageurl-js';
import { buildInventory } from '../src/api/inventory.ts';
import { importAdvisories } from '../src/api/advisories.ts';
import { findVulnerabilities } from '../src/api/vulns.ts';
import { exportSize } from '../src/advisories/sources.ts';
import { AdvisoryDb } from '../src/advisories/store.ts';
import { affects, osvPackagesOf } from '../src/advisories/match.ts';
import { parseMixLock } from '../src/sources/hex/mix-lock.ts';
import { parseMixExs } from '../src/sources/hex/mix-exs.ts';
import { parsePubspecLock } from '../src/sources/pub/pubspec-lock.ts';
import type { InventoryComponent } from '../src/model/inventory.ts';
import { FIXTURES } from './helpers/paths.ts';

const HEX = join(FIXTURES, 'hex');
const PUB = join(FIXTURES, 'pub');
const GHSA = join(FIXTURES, 'osv', 'hex-pub');

async function inventory(dir: string) {
  return buildInventory({ target: dir });
}
const byPurl = (cs: InventoryComponent[], purl: string) => cs.find((c) => c.purl === purl);

test('mix.lock: purl-spec hex purls, the outer checksum as the tarball\'s SHA-256, the graph, and mix.exs scopes (live_beats)', async () => {
  const inv = await inventory(join(HEX, 'live-beats'));
  assert.equal(inv.problems.length, 0, JSON.stringify(inv.problems));
  const phoenixHtml = byPurl(inv.components, 'pkg:hex/phoenix_html@3.3.4')!;
  assert.ok(phoenixHtml, 'phoenix_html 3.3.4 as pkg:hex/phoenix_html@3.3.4');
  // The same purl as packageurl-js writes from the spec's parts: type hex, no namespace for hex.pm's public packages.
  assert.equal(phoenixHtml.purl, new PackageURL('hex', undefined, 'phoenix_html', '3.3.4', undefined, undefined).toString());
  assert.equal(phoenixHtml.ecosystem, 'hex');
  assert.deepEqual(phoenixHtml.hashes?.map((h) => [h.alg, h.value]), [['SHA-256', '0249d3abec3714aff3415e7ee3d9786cb325be3151e6c4b3021502c585bf53fb']]);
  assert.equal(phoenixHtml.distribution, 'https://repo.hex.pm/tarballs/phoenix_html-3.3.4.tar');
  // Every hex entry of the lock is a component; the project is the root, named by mix.exs.
  const lockText = readFileSync(join(HEX, 'live-beats', 'mix.lock'), 'utf8');
  assert.equal(inv.components.filter((c) => c.ecosystem === 'hex' && !c.root).length, (lockText.match(/^ {2}"[^"]+": \{:(hex|git),/gm) ?? []).length);
  const root = inv.components.find((c) => c.root)!;
  assert.equal(root.purl, 'pkg:hex/live_beats@0.1.1');
  assert.equal(root.firstParty, true);
  // Edges from the lock's deps lists: plug_cowboy → cowboy, ecto_sql → postgrex (optional there).
  const edge = (from: string, to: string) => inv.dependencies.find((d) => d.from === from && d.to === to);
  assert.equal(edge('pkg:hex/plug_cowboy@2.7.1', 'pkg:hex/cowboy@2.12.0')?.kind, 'runtime');
  assert.equal(edge('pkg:hex/plug_cowboy@2.7.1', 'pkg:hex/cowboy@2.12.0')?.constraint, '~> 2.7');
  assert.equal(edge('pkg:hex/ecto_sql@3.11.1', 'pkg:hex/postgrex@0.17.5')?.kind, 'optional');
  // mix.exs: only: :dev, only: :test, and runtime: Mix.env() == :dev (false in a :prod release) do not ship.
  const kind = (purl: string) => byPurl(inv.components, purl)?.kind;
  assert.equal(kind('pkg:hex/phoenix_live_reload@1.4.0'), 'dev');
  assert.equal(kind('pkg:hex/floki@0.36.2'), 'test');
  assert.equal(kind('pkg:hex/esbuild@0.5.0'), 'build');
  assert.equal(kind('pkg:hex/phoenix@1.7.12'), 'runtime');
  assert.equal(kind('pkg:hex/jason@1.4.1'), 'runtime');
});

test('mix.lock: a git dependency has no release version and says why; its purl names the commit (vcs_url)', async () => {
  const inv = await inventory(join(HEX, 'live-beats'));
  const git = inv.components.filter((c) => c.provenance?.type === 'git');
  assert.deepEqual(git.map((c) => c.name).sort(), ['bumblebee', 'phoenix_live_view']);
  const bumblebee = git.find((c) => c.name === 'bumblebee')!;
  assert.equal(bumblebee.version, '');
  assert.equal(bumblebee.purl, new PackageURL('hex', undefined, 'bumblebee', undefined, { vcs_url: 'git+https://github.com/elixir-nx/bumblebee.git@fd9a8b1d149cdcebd5170e103b49e9f6f64ee482' }, undefined).toString());
  assert.match(bumblebee.properties!['marque:version']!, /git dependency .*bumblebee\.git at fd9a8b1d.*no release version/);
  assert.equal(bumblebee.dependenciesComplete, false, 'what a checkout depends on is in its own mix.exs');
  assert.equal(bumblebee.kind, 'runtime');
  assert.ok(inv.notes.some((n) => /2 git dependencies have no release version \(bumblebee, phoenix_live_view\)/.test(n)), inv.notes.join('\n'));
});

test('mix.lock without mix.exs: what nothing requires hangs from the project and ships; an organisation\'s package is its namespace', () => {
  const text = `%{
  "acme_auth": {:hex, :acme_auth, "0.3.0", "0000000000000000000000000000000000000000000000000000000000000000", [:mix], [{:jason, "~> 1.2", [hex: :jason, repo: "hexpm", optional: false]}, {:decimal, "~> 2.0", [hex: :decimal, repo: "hexpm", optional: true]}], "hexpm:acme", "1111111111111111111111111111111111111111111111111111111111111111"},
  "jason": {:hex, :jason, "1.4.1", "af1504e35f629ddcdd6addb3513c3853991f694921b1b9368b0bd32beb9f1b63", [:mix], [{:decimal, "~> 1.0 or ~> 2.0", [hex: :decimal, repo: "hexpm", optional: true]}], "hexpm", "fbb01ecdfd565b56261302f7e1fcc27c4fb8f32d56eab74db621fc154604a7a1"},
  "old": {:hex, :old_name, "1.0.0", "2222222222222222222222222222222222222222222222222222222222222222", [:mix], []},
}
`;
  const f = parseMixLock(text, 'app/mix.lock', undefined, 'app');
  const purls = f.components.map((c) => c.purl).sort();
  assert.deepEqual(purls, ['pkg:hex/acme/acme_auth@0.3.0', 'pkg:hex/app', 'pkg:hex/jason@1.4.1', 'pkg:hex/old_name@1.0.0']);
  assert.equal(f.components.find((c) => c.name === 'acme_auth')!.distribution, 'https://repo.hex.pm/repos/acme/tarballs/acme_auth-0.3.0.tar');
  // A lock before Hex 0.18 names no repository: hex.pm. Its app name differs from its package: said.
  assert.deepEqual(f.components.find((c) => c.name === 'old_name')!.properties, { 'hex:app': 'old' });
  const fromRoot = f.dependencies.filter((d) => d.from === 'pkg:hex/app').map((d) => d.to).sort();
  assert.deepEqual(fromRoot, ['pkg:hex/acme/acme_auth@0.3.0', 'pkg:hex/old_name@1.0.0'], 'jason is required by acme_auth');
  assert.equal(f.unresolved!.length, 0, 'an optional dependency the lock does not hold is not missing');
  assert.ok(f.notes!.some((n) => /no mix\.exs read beside it/.test(n)));
  assert.deepEqual(osvPackagesOf(f.components.find((c) => c.name === 'jason')!), [{ base: 'Hex', name: 'jason' }]);
});

test('mix.lock: what is not a lock is an error naming the line; terms are never evaluated', () => {
  assert.throws(() => parseMixLock('%{\n  "x": {:hex, :x, "1.0.0"},\n  "y": "1.0.0"\n}\n', 'mix.lock'), (e: Error & { line?: number }) => /"y" is not locked as a tuple/.test(e.message) && e.line === 3);
  // An SCM Marque does not read: the dependency is there, without a version, said why.
  const svn = parseMixLock('%{\n  "x": {:hex, :x, "1.0.0", "aa", [:mix], [], "hexpm", "bb"},\n  "y": {:svn, "https://svn.example.org/y", "r42"}\n}\n', 'mix.lock');
  assert.match(svn.components.find((c) => c.name === 'y')!.properties!['marque:version']!, /locked by the :svn SCM/);
  assert.throws(() => parseMixLock('%{"x": {:hex, :x, System.get_env("V")}}', 'mix.lock'), /reads only as written/);
  assert.throws(() => parseMixLock('[1, 2]', 'mix.lock'), /not a mix\.lock/);
  assert.throws(() => parseMixLock(`%{"x": ${'{'.repeat(200)}${'}'.repeat(200)}}`, 'mix.lock'), /nested more than/);
});

test('mix.exs: only:, runtime:, path and git dependencies, an umbrella\'s in_umbrella siblings, and what is not evaluated', () => {
  const exs = parseMixExs(`defmodule App.MixProject do
  use Mix.Project
  @version "2.1.0"
  def project do
    [app: :app, version: @version, deps: deps()]
  end

  defp deps do
    [
      {:phoenix, "~> 1.7"},
      {:credo, "~> 1.7", only: [:dev, :test], runtime: false},
      {:mox, "~> 1.0", only: :test},
      {:tailwind, "~> 0.2", runtime: Mix.env() == :dev},
      {:telemetry, "~> 1.0", runtime: Mix.env() in [:prod, :dev]},
      {:local_lib, path: "../local_lib"},
      {:sibling, in_umbrella: true},
      {:fork, github: "acme/fork", branch: "main"},
      {:custom, "~> 1.0", only: Mix.target()},
      dep_from_elsewhere()
    ] ++ extra_deps()
  end
end
`, 'mix.exs');
  assert.equal(exs.app, 'app');
  assert.equal(exs.version, '2.1.0');
  const kinds = Object.fromEntries(exs.deps.map((d) => [d.app, d.kind]));
  assert.deepEqual(kinds, { phoenix: 'runtime', credo: 'dev', mox: 'test', tailwind: 'build', telemetry: 'runtime', local_lib: 'runtime', sibling: 'runtime', fork: 'runtime', custom: 'runtime' });
  assert.equal(exs.deps.find((d) => d.app === 'local_lib')!.path, '../local_lib');
  assert.equal(exs.deps.find((d) => d.app === 'fork')!.git, 'https://github.com/acme/fork.git');
  assert.equal(exs.deps.find((d) => d.app === 'sibling')!.inUmbrella, true);
  assert.ok(exs.notes.some((n) => /custom's only: Mix\.target\(\) is not evaluated: it counts as shipping/.test(n)), exs.notes.join('\n'));
  assert.ok(exs.unknown.some((u) => /dep_from_elsewhere\(\)/.test(u)), exs.unknown.join('\n'));
  assert.ok(exs.unknown.some((u) => /added to its deps list by an expression/.test(u)), exs.unknown.join('\n'));
  // The lock with it: a path dependency is no Hex release — a component without a version, said why.
  const lock = `%{\n  "phoenix": {:hex, :phoenix, "1.7.12", "1cc589e0eab99f593a8aa38ec45f15d25297dd6187ee801c8de8947090b5a9d3", [:mix], [], "hexpm", "d646192fbade9f485b01bc9920c139bfdd19d0f8df3d73fd8eaf2dfbe0d2837c"},\n}\n`;
  const f = parseMixLock(lock, 'mix.lock', exs);
  const local = f.components.find((c) => c.name === 'local_lib')!;
  assert.equal(local.version, '');
  assert.match(local.properties!['marque:version']!, /path dependency \(\.\.\/local_lib\), not a Hex release/);
  assert.deepEqual(f.unresolved!.map((u) => u.package).sort(), ['credo', 'custom', 'fork', 'mox', 'tailwind', 'telemetry'], 'in mix.exs, not in the lock: missing, said; the umbrella sibling is not');
  assert.equal(f.components.find((c) => c.root)!.dependenciesComplete, false, 'deps Marque could not read');
});

test('a mix.exs Marque cannot read is a warning naming it; the lock is read alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-mixexs-bad-'));
  writeFileSync(join(dir, 'mix.exs'), 'defmodule X.MixProject do\n  defp deps do\n    [{:jason, "~> 1.4}]\n  end\nend\n');
  writeFileSync(join(dir, 'mix.lock'), '%{\n  "jason": {:hex, :jason, "1.4.1", "af", [:mix], [], "hexpm", "fb"},\n}\n');
  const inv = await inventory(dir);
  assert.deepEqual(inv.problems.map((p) => [p.file, p.severity, /string is not closed/.test(p.message)]), [['mix.exs', 'warning', true]]);
  assert.equal(byPurl(inv.components, 'pkg:hex/jason@1.4.1')!.kind, 'runtime');
  assert.ok(inv.notes.some((n) => /no mix\.exs read beside it/.test(n)));
});

test('an umbrella: each app under apps_path is a first-party root with its own mix.exs deps', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-umbrella-'));
  writeFileSync(join(dir, 'mix.exs'), 'defmodule Umb.MixProject do\n  def project, do: [apps_path: "apps", deps: deps()]\n  defp deps, do: [{:credo, "~> 1.7", only: :dev}]\nend\n');
  writeFileSync(join(dir, 'mix.lock'), `%{
  "credo": {:hex, :credo, "1.7.7", "771445037228f763f9b2afd612b6aa2fd8e28432a95dbbc60d8e03ce71ba4446", [:mix], [{:jason, "~> 1.0", [hex: :jason, repo: "hexpm", optional: false]}], "hexpm", "8bc87496c9aaacdc3f90f01b7b0582467b69b4bd2441fe8aae3109d843cc2f2e"},
  "jason": {:hex, :jason, "1.4.1", "af1504e35f629ddcdd6addb3513c3853991f694921b1b9368b0bd32beb9f1b63", [:mix], [], "hexpm", "fbb01ecdfd565b56261302f7e1fcc27c4fb8f32d56eab74db621fc154604a7a1"},
}
`);
  for (const [app, deps] of [['core', '[{:jason, "~> 1.4"}]'], ['web', '[{:core, in_umbrella: true}]']] as const) {
    mkdirSync(join(dir, 'apps', app), { recursive: true });
    writeFileSync(join(dir, 'apps', app, 'mix.exs'), `defmodule ${app}.MixProject do\n  def project, do: [app: :${app}, version: "0.1.0", deps: deps()]\n  defp deps do\n    ${deps}\n  end\nend\n`);
  }
  const inv = await inventory(dir);
  const roots = inv.components.filter((c) => c.root).map((c) => c.purl).sort();
  assert.ok(roots.includes('pkg:hex/core@0.1.0') && roots.includes('pkg:hex/web@0.1.0'), roots.join(', '));
  assert.ok(inv.dependencies.some((d) => d.from === 'pkg:hex/web@0.1.0' && d.to === 'pkg:hex/core@0.1.0'), 'in_umbrella names the sibling');
  // jason ships (core needs it at runtime) although the umbrella's credo is only for :dev.
  assert.equal(byPurl(inv.components, 'pkg:hex/jason@1.4.1')!.kind, 'runtime');
  assert.equal(byPurl(inv.components, 'pkg:hex/credo@1.7.7')!.kind, 'dev');
});

test('pubspec.lock: pkg:pub purls (pub.dev is the default repository), archive SHA-256, direct main and dev, SDK packages (localsend cli, flutter gallery)', async () => {
  const inv = await inventory(join(PUB, 'localsend-cli'));
  assert.equal(inv.problems.length, 0, JSON.stringify(inv.problems));
  const dio = byPurl(inv.components, 'pkg:pub/dio@5.4.1')!;
  assert.equal(dio.purl, new PackageURL('pub', undefined, 'dio', '5.4.1', undefined, undefined).toString());
  assert.deepEqual(dio.hashes?.map((h) => [h.alg, h.value]), [['SHA-256', '49af28382aefc53562459104f64d16b9dfd1e8ef68c862d5af436cc8356ce5a8']]);
  assert.equal(dio.kind, 'runtime');
  assert.equal(byPurl(inv.components, 'pkg:pub/test@1.25.2')!.kind, 'dev');
  assert.equal(byPurl(inv.components, 'pkg:pub/http@1.2.1')!.kind, null, 'transitive: the lock does not say who needs it');
  assert.equal(inv.components.find((c) => c.root)!.purl, 'pkg:pub/cli@1.0.0');
  const lockText = readFileSync(join(PUB, 'localsend-cli', 'pubspec.lock'), 'utf8');
  assert.equal(inv.components.filter((c) => !c.root).length, (lockText.match(/^ {4}source: /gm) ?? []).length);
  const common = inv.components.find((c) => c.name === 'common')!;
  assert.equal(common.version, '');
  assert.equal(common.properties!['pub:version'], '1.0.0');
  assert.equal(common.provenance?.url, 'https://github.com/eugenechyrski/localsend.git');
  assert.match(common.purl, /^pkg:pub\/common\?vcs_url=git%2Bhttps.*590c925972268a959d27b4e6d75f02be1f85c72c$/);
  // The 2021 gallery: pub.dartlang.org (no repository_url), no sha256 yet, Flutter's SDK packages.
  const gallery = await inventory(join(PUB, 'gallery-2021'));
  assert.equal(gallery.problems.length, 0);
  assert.ok(byPurl(gallery.components, 'pkg:pub/http@0.13.1'));
  // A version with build metadata keeps it, in the purl too (pub orders it).
  assert.equal(byPurl(inv.components, 'pkg:pub/matcher@0.12.16+1')?.version, '0.12.16+1');
  const flutter = gallery.components.find((c) => c.name === 'flutter')!;
  assert.equal(flutter.purl, 'pkg:pub/flutter');
  assert.match(flutter.properties!['marque:version']!, /part of the Flutter SDK; pubspec\.lock gives it 0\.0\.0, a placeholder/);
  assert.equal(gallery.components.find((c) => c.name === 'flutter_test')!.kind, 'dev');
});

test('pubspec.lock: a package from another repository carries it as repository_url; what pub does not write is an error', () => {
  const f = parsePubspecLock(`packages:
  internal_thing:
    dependency: "direct main"
    description:
      name: internal_thing
      sha256: "0000000000000000000000000000000000000000000000000000000000000000"
      url: "https://pub.mycompany.dev/"
    source: hosted
    version: "3.0.0"
sdks:
  dart: ">=3.0.0 <4.0.0"
`, 'pubspec.lock', { name: 'app', version: '1.0.0' });
  assert.deepEqual(f.components.map((c) => c.purl).sort(), ['pkg:pub/app@1.0.0', new PackageURL('pub', undefined, 'internal_thing', '3.0.0', { repository_url: 'https://pub.mycompany.dev' }, undefined).toString()]);
  assert.throws(() => parsePubspecLock('packages:\n  x:\n    source: svn\n    version: "1.0.0"\n', 'pubspec.lock'), /source "svn", which pub does not write/);
  assert.throws(() => parsePubspecLock('name: app\n', 'pubspec.lock'), /not a pubspec\.lock/);
  assert.throws(() => parsePubspecLock('packages:\n  "bad name":\n    source: hosted\n    version: "1.0.0"\n', 'pubspec.lock'), /is not a Dart package name/);
});

test('ranges of Hex and Pub advisories are placed by their ordering (a build version decides a Pub range, not a Hex one)', () => {
  const range = (fixed: string) => ({ package: { ecosystem: 'Pub', name: 'x' }, ranges: [{ type: 'ECOSYSTEM' as const, events: [{ introduced: '0' }, { fixed }] }] });
  // Pub: 0.14.0+4 comes after 0.14.0 and before 0.14.0+5.
  assert.equal(affects('0.14.0+4', range('0.14.0+5'), 'Pub').hit, true);
  assert.equal(affects('0.14.0+5', range('0.14.0+5'), 'Pub').hit, false);
  assert.equal(affects('0.14.0+4', range('0.14.0'), 'Pub').hit, false);
  assert.equal(affects('0.14.0+4', range('0.14.0+5'), 'Pub').undecided, undefined);
  // Hex: build metadata does not order; a pre-release of the fix is still affected.
  assert.equal(affects('3.0.4-rc.1', { ...range('3.0.4'), package: { ecosystem: 'Hex', name: 'x' } }, 'Hex').hit, true);
  assert.equal(affects('3.0.4+build', { ...range('3.0.4'), package: { ecosystem: 'Hex', name: 'x' } }, 'Hex').hit, false);
  // What neither ordering reads is undecided, never "not affected".
  assert.match(affects('main', range('1.0.0'), 'Pub').undecided!, /not a Pub version/);
});

async function hexPubDb(vouched: string[]): Promise<AdvisoryDb> {
  const path = join(mkdtempSync(join(tmpdir(), 'marque-hexpub-db-')), 'advisories.sqlite');
  await importAdvisories(path, [GHSA], undefined, undefined, undefined, { vouched });
  return AdvisoryDb.openForRead(path)!;
}

const NOW = new Date('2023-02-01T00:00:00Z');

test('real GHSA records against real locks: phoenix_html 3.0.2 (live_beats 2021) is affected, 3.3.4 (live_beats 2024) is not', async () => {
  const db = await hexPubDb(['Hex', 'Pub']);
  const old = await inventory(join(HEX, 'live-beats-2021'));
  const found = findVulnerabilities({ unlisted: undefined, components: old.components, db, product: { name: 'live_beats', version: '0.1.0' }, now: NOW, maxAgeDays: 30 });
  assert.deepEqual(found.findings.map((f) => [f.component, f.advisory, f.fixedIn]), [['pkg:hex/phoenix_html@3.0.2', 'GHSA-5g2h-9x5v-5h3x', ['3.0.4']]]);
  // Every shipped Hex component of the 2021 lock is a hex.pm release: all covered by the complete Hex data.
  assert.equal(found.coverage.covered, found.coverage.components);
  assert.equal(found.coverage.gaps.length, 0, JSON.stringify(found.coverage.gaps));
  assert.ok(found.coverage.restsOn!.some((r) => r.ecosystem === 'Hex'));
  const now = await inventory(join(HEX, 'live-beats'));
  const later = findVulnerabilities({ unlisted: undefined, components: now.components, db, product: { name: 'live_beats', version: '0.1.1' }, now: NOW, maxAgeDays: 30 });
  assert.deepEqual(later.findings, []);
  // Its two git dependencies are gaps with their reason, not checked; the hex.pm releases are.
  const gaps = later.coverage.gaps.filter((g) => /git dependency/.test(g.reason)).map((g) => g.component.replace(/\?.*/, ''));
  assert.deepEqual(gaps.sort(), ['pkg:hex/bumblebee', 'pkg:hex/phoenix_live_view']);
  assert.equal(later.coverage.covered, later.coverage.components - later.coverage.gaps.length);
  assert.ok(later.coverage.covered > 50);
  db.close();
});

test('real GHSA records against real locks: http 0.13.1 (gallery 2021) is affected, 0.13.4 (gallery 2022) and 1.2.1 (localsend) are not; git, path and SDK packages are gaps', async () => {
  const db = await hexPubDb(['Hex', 'Pub']);
  const run = async (dir: string) => { const inv = await inventory(join(PUB, dir)); return findVulnerabilities({ unlisted: undefined, components: inv.components, db, product: { name: dir, version: '1' }, now: NOW, maxAgeDays: 30 }); };
  const g2021 = await run('gallery-2021');
  assert.deepEqual(g2021.findings.map((f) => [f.component, f.advisory, f.fixedIn]), [['pkg:pub/http@0.13.1', 'GHSA-4rgh-jx4f-qfcq', ['0.13.3']]]);
  const g2022 = await run('gallery-2022');
  assert.deepEqual(g2022.findings, []);
  // The path dependency is dev (no gap: it does not ship); the SDK's shipped packages are gaps with their reason.
  const reasons = new Map(g2022.coverage.gaps.map((g) => [g.component, g.reason]));
  assert.match(reasons.get('pkg:pub/flutter')!, /no version \(unknown: part of the Flutter SDK/);
  assert.match(reasons.get('pkg:pub/sky_engine')!, /no version \(unknown: part of the Flutter SDK/);
  assert.ok(!reasons.has('pkg:pub/web_benchmarks'), 'a dev dependency is not counted');
  assert.ok(g2022.coverage.covered > 80, `${g2022.coverage.covered} covered`);
  assert.equal(g2022.coverage.complete, false);
  const ls = await run('localsend-cli');
  assert.deepEqual(ls.findings, []);
  assert.deepEqual(ls.coverage.gaps.map((g) => [g.component.replace(/\?.*/, ''), /no version \(unknown: a git dependency .* whose pubspec says 1\.0\.0/.test(g.reason)]), [['pkg:pub/common', true]]);
  db.close();
});

test('a path dependency that ships is a gap, not checked (pubspec.lock direct main)', async () => {
  const db = await hexPubDb(['Pub']);
  const f = parsePubspecLock(`packages:
  common:
    dependency: "direct main"
    description:
      path: "../common"
      relative: true
    source: path
    version: "1.0.0"
  http:
    dependency: "direct main"
    description:
      name: http
      url: "https://pub.dev"
    source: hosted
    version: "0.13.4"
`, 'app/pubspec.lock', { name: 'app', version: '1.0.0' });
  const r = findVulnerabilities({ unlisted: undefined, components: f.components as InventoryComponent[], db, product: { name: 'app', version: '1.0.0' }, now: NOW, maxAgeDays: 30 });
  assert.deepEqual(r.coverage.gaps.map((g) => g.component), ['pkg:pub/common']);
  assert.match(r.coverage.gaps[0]!.reason, /path dependency \(\.\.\/common\) whose pubspec says 1\.0\.0/);
  assert.equal(r.coverage.covered, 1, 'http 0.13.4 is checked');
  db.close();
});

test('Hex and Pub data that is not vouched complete: findings count, coverage does not', async () => {
  const db = await hexPubDb([]);
  const inv = await inventory(join(HEX, 'live-beats-2021'));
  const r = findVulnerabilities({ unlisted: undefined, components: inv.components, db, product: { name: 'live_beats', version: '0.1.0' }, now: NOW, maxAgeDays: 30 });
  assert.equal(r.findings.length, 1);
  assert.equal(r.coverage.covered, 0);
  assert.ok(r.coverage.gaps.every((g) => /only partial Hex advisory data/.test(g.reason)), JSON.stringify(r.coverage.gaps.slice(0, 2)));
  db.close();
});

test('OSV\'s Hex and Pub archives (all.zip, by name, content and size) are complete sources: their components are covered without a vouch', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-hexpub-zip-'));
  for (const [eco, id] of [['Hex', 'GHSA-5g2h-9x5v-5h3x'], ['Pub', 'GHSA-4rgh-jx4f-qfcq']] as const) {
    mkdirSync(join(dir, eco));
    const zip = new yazl.ZipFile();
    zip.addBuffer(readFileSync(join(GHSA, `${id}.json`)), `${id}.json`);
    // One record is no export: synthetic records ("x_", on packages nobody uses, older than the real one) fill the archive up to the floor data/osv-exports.json keeps for it.
    for (let i = 1; i < exportSize(eco).floor; i++) {
      zip.addBuffer(Buffer.from(JSON.stringify({ id: `x_MARQUE-TEST-${i}`, modified: '2020-01-01T00:00:00Z', affected: [{ package: { ecosystem: eco, name: `marque_test_unused_${i}` }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }] }] })), `x_MARQUE-TEST-${i}.json`);
    }
    zip.end();
    const out = zip.outputStream.pipe(createWriteStream(join(dir, eco, 'all.zip')));
    await once(out, 'close');
  }
  const path = join(dir, 'advisories.sqlite');
  await importAdvisories(path, [join(dir, 'Hex', 'all.zip'), join(dir, 'Pub', 'all.zip')]);
  const db = AdvisoryDb.openForRead(path)!;
  const complete = db.coverageSources().filter((s) => s.complete).map((s) => s.ecosystem).sort();
  assert.deepEqual(complete, ['Hex', 'Pub'], 'the npm entry of the phoenix_html record does not make the Hex archive complete for npm');
  const hex = await inventory(join(HEX, 'live-beats-2021'));
  const r = findVulnerabilities({ unlisted: undefined, components: hex.components, db, product: { name: 'live_beats', version: '0.1.0' }, now: NOW, maxAgeDays: 30 });
  assert.equal(r.coverage.covered, r.coverage.components);
  assert.ok(r.coverage.components >= 25, `${r.coverage.components} counted`);
  const pub = await inventory(join(PUB, 'gallery-2021'));
  // The Pub archive's data date is its record's (2022-08-04): fresh within 30 days of it.
  const p = findVulnerabilities({ unlisted: undefined, components: pub.components, db, product: { name: 'gallery', version: '2.9.1' }, now: new Date('2022-08-20T00:00:00Z'), maxAgeDays: 30 });
  // Counted: the shipped hosted packages (covered) and the SDK's shipped packages (gaps, said).
  assert.equal(p.coverage.covered + p.coverage.gaps.length, p.coverage.components);
  assert.deepEqual(p.coverage.gaps.map((g) => g.component).sort(), ['pkg:pub/flutter', 'pkg:pub/flutter_localizations', 'pkg:pub/flutter_web_plugins', 'pkg:pub/fuchsia_remote_debug_protocol', 'pkg:pub/sky_engine']);
  assert.equal(p.findings.length, 1);
  db.close();
});

test('the deployable form (TR-03183-2 §5.2.4): a Hex package\'s tarball on repo.hex.pm, a pub.dev package\'s archive, the project itself none; a git dependency no registry file', async () => {
  const { deployableFacts } = await import('../src/formats/deployable.ts');
  const hex = await inventory(join(HEX, 'live-beats'));
  const fact = (cs: InventoryComponent[], name: string) => deployableFacts(cs.find((c) => c.name === name)!);
  const jason = hex.components.find((c) => c.name === 'jason' && c.ecosystem === 'hex')!;
  assert.equal(fact(hex.components, 'jason').uri, `https://repo.hex.pm/tarballs/jason-${jason.version}.tar`);
  const root = hex.components.find((c) => c.root && c.ecosystem === 'hex')!;
  assert.match(deployableFacts(root).unavailable['deployable-uri'] ?? '', /the project itself/);
  const git = hex.components.find((c) => c.ecosystem === 'hex' && c.purl.includes('vcs_url'))!;
  assert.match(deployableFacts(git).unavailable['deployable-uri'] ?? '', /not from Hex|version is not known/);
  const pub = await inventory(join(PUB, 'gallery-2021'));
  const http = pub.components.find((c) => c.name === 'http' && c.ecosystem === 'pub')!;
  assert.equal(fact(pub.components, 'http').uri, `https://pub.dev/api/archives/http-${http.version}.tar.gz`);
});
