// pylock.toml (PEP 751) and the environment markers of every Python lockfile, decided for the product's platform.
// Real files: two projects that keep a pylock.toml beside their uv.lock (test/fixtures/LOCKFILES-SOURCES.md):
// genshin-auto-daily-check-in's, written by `uv export`, and Perdoo's, written by PDM; each is read against the
// same project's uv.lock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { buildInventory } from '../src/api/inventory.ts';
import { parsePoetryLock } from '../src/sources/python/lockfiles.ts';
import { pythonRange } from '../src/sources/python/markers.ts';
import { isPylock } from '../src/sources/python/pylock.ts';
import type { PythonProject } from '../src/sources/python/project.ts';
import type { Platform } from '../src/model/platforms.ts';
import { FIXTURES } from './helpers/paths.ts';

const L = join(FIXTURES, 'lockfiles');
const LINUX: Platform = { os: 'ubuntu', codename: 'noble' };
type Inv = Awaited<ReturnType<typeof buildInventory>>;

async function scan(files: Record<string, string>, platform?: Platform): Promise<Inv> {
  const dir = mkdtempSync(join(tmpdir(), 'marque-pylock-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return buildInventory({ target: dir, ...(platform ? { platform } : {}) });
}

/** One lockfile of a fixture folder, read alone with the folder's pyproject.toml. */
async function readAlone(folder: string, lock: string, platform?: Platform): Promise<Inv> {
  const dir = mkdtempSync(join(tmpdir(), 'marque-pylock-'));
  for (const f of [lock, 'pyproject.toml']) copyFileSync(join(L, folder, f), join(dir, f));
  return buildInventory({ target: dir, ...(platform ? { platform } : {}) });
}

const shipped = (inv: Inv) => inv.components.filter((c) => !c.root).map((c) => `${c.name}@${c.version} ${c.kind}`).sort();
const byName = (inv: Inv, name: string) => inv.components.find((c) => c.name === name);

test('pylock.toml and pylock.NAME.toml are claimed, as the specification names them; other names are not', async () => {
  assert.deepEqual(['pylock.toml', 'pylock.dev.toml', 'pylock.a.b.toml', 'pylock.toml.bak', 'my-pylock.toml'].map(isPylock), [true, true, false, false, false]);
  const lock = 'lock-version = "1.0"\ncreated-by = "t"\n[[packages]]\nname = "idna"\nversion = "3.10"\n';
  const inv = await scan({ 'pylock.web.toml': lock, 'pylock.a.b.toml': lock });
  assert.deepEqual(shipped(inv), ['idna@3.10 runtime']);
  assert.deepEqual(inv.problems, []);
});

test('pylock.toml from `uv export` (genshin-auto-daily-check-in): the same packages and versions as its uv.lock, less the dev group the export left out', async () => {
  const pylock = await readAlone('pylock-genshin', 'pylock.toml');
  const uv = await readAlone('pylock-genshin', 'uv.lock');
  assert.deepEqual(pylock.problems, []);
  assert.equal(shipped(pylock).length, 21);
  // `uv export --no-group dev`: python-dotenv, the dev group's, is the only package not in the export.
  assert.deepEqual(shipped(uv).filter((x) => !shipped(pylock).includes(x)), ['python-dotenv@1.2.2 dev']);
  assert.deepEqual(shipped(pylock), shipped(uv).filter((x) => x.endsWith(' runtime')));
  assert.equal(byName(pylock, 'genshin')!.purl, 'pkg:pypi/genshin@1.7.27');
  assert.deepEqual(pylock.unresolved, []);
});

test('pylock.toml from PDM (Perdoo): every package, version and scope its markers give equals what its uv.lock\'s graph gives', async () => {
  const pylock = await readAlone('pylock-perdoo', 'pylock.toml');
  const uv = await readAlone('pylock-perdoo', 'uv.lock');
  assert.deepEqual(pylock.problems, []);
  assert.equal(shipped(pylock).length, 84);
  assert.deepEqual(shipped(pylock), shipped(uv));
  // "default" in dependency_groups ships, "cb7" in extras is optional, the dev and tests groups are dev.
  assert.deepEqual(['rich', 'py7zr', 'pytest', 'ruff'].map((n) => byName(pylock, n)!.kind), ['runtime', 'optional', 'dev', 'dev']);
  // PDM's [packages.tool.pdm] dependencies give the graph: rich is the project's, markdown-it-py rich's.
  assert.deepEqual(['rich', 'markdown-it-py'].map((n) => byName(pylock, n)!.depth), [1, 2]);
  // Every file's sha256 is kept (the fixture's wheels lists are emptied: the sdist is the one file left).
  assert.equal(byName(pylock, 'rich')!.hashes![0]!.value.length, 64);
  // tomli (python_version < "3.11") cannot be decided for Python >=3.10: kept and said.
  assert.ok(pylock.notes.some((n) => /pylock\.toml: \d+ package\(s\) are installed under markers Marque cannot decide for any operating system \(no platform declared\), Python >=3\.10 .*tomli 2\.4\.1/.test(n)), pylock.notes.join('\n'));
  assert.deepEqual(pylock.unresolved, []);
});

test('Perdoo on Linux: the two files differ where their markers do: uv.lock needs colorama only for tox there, PDM\'s pylock.toml installs it by default', async () => {
  const pylock = await readAlone('pylock-perdoo', 'pylock.toml', LINUX);
  const uv = await readAlone('pylock-perdoo', 'uv.lock', LINUX);
  const diff = (a: Inv, b: Inv) => shipped(a).filter((x) => !shipped(b).includes(x));
  assert.deepEqual(diff(pylock, uv), ['colorama@0.4.6 runtime']);
  assert.deepEqual(diff(uv, pylock), ['colorama@0.4.6 dev']);
  // click → colorama (sys_platform == 'win32') does not hold on Linux: not followed, and said.
  assert.ok(uv.notes.some((n) => /uv\.lock: 2 dependencies hold only under markers false for ubuntu:noble \(Linux\), Python >=3\.10: .*click 8\.4\.0 → colorama 0\.4\.6 \(sys_platform == 'win32'\)/.test(n)), uv.notes.join('\n'));
  assert.equal(uv.dependencies.some((d) => d.from === byName(uv, 'click')!.purl && d.to === byName(uv, 'colorama')!.purl), false);
});

const WHEEL = (name: string, sha: string) => `{ name = '${name}', url = 'https://files.pythonhosted.org/packages/x/${name}', hashes = { sha256 = '${sha}' } }`;
const SHA = (c: string) => c.repeat(64);
/** Written after the specification's example (attrs, cattrs, numpy for win32 and linux), with every kind of source. */
const SPEC_LIKE = `lock-version = '1.0'
environments = ["sys_platform == 'win32'", "sys_platform == 'linux'"]
requires-python = '== 3.12.*'
extras = ['cli']
dependency-groups = ['dev']
default-groups = ['default']
created-by = 'hand'

[[packages]]
name = 'attrs'
version = '25.1.0'
marker = "'default' in dependency_groups"
wheels = [${WHEEL('attrs-25.1.0-py3-none-any.whl', 'c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a')}]

[[packages]]
name = 'cattrs'
version = '24.1.2'
marker = "'default' in dependency_groups"
dependencies = [{ name = 'attrs' }, { name = 'exceptiongroup' }]
wheels = [${WHEEL('cattrs-24.1.2-py3-none-any.whl', '67c7495b760168d931a10233f979b28dc04daf853b30752246f4f8471c6d68d0')}]

[[packages]]
name = 'numpy'
version = '2.2.3'
marker = "'default' in dependency_groups"
wheels = [${WHEEL('numpy-2.2.3-cp312-cp312-win_amd64.whl', '83807d445817326b4bcdaaaf8e8e9f1753da04341eceec705c001ff342002e5d')}, ${WHEEL('numpy-2.2.3-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', '3b787adbf04b0db1967798dba8da1af07e387908ed1553a0d6e74c084d1ceafe')}]

[[packages]]
name = 'pywin32'
version = '308'
marker = "sys_platform == 'win32' and 'default' in dependency_groups"
wheels = [${WHEEL('pywin32-308-cp312-cp312-win_amd64.whl', SHA('1'))}]

[[packages]]
name = 'importlib-metadata'
version = '8.5.0'
marker = "python_version < '3.8' and 'default' in dependency_groups"
wheels = [${WHEEL('importlib_metadata-8.5.0-py3-none-any.whl', SHA('2'))}]

[[packages]]
name = 'greenlet'
version = '3.1.1'
marker = "platform_machine == 'x86_64' and 'default' in dependency_groups"
wheels = [${WHEEL('greenlet-3.1.1-cp312-cp312-manylinux_2_24_x86_64.whl', SHA('3'))}]

[[packages]]
name = 'click'
version = '8.1.8'
marker = "'cli' in extras"
wheels = [${WHEEL('click-8.1.8-py3-none-any.whl', SHA('4'))}]

[[packages]]
name = 'pytest'
version = '8.3.4'
marker = "'dev' in dependency_groups"
wheels = [${WHEEL('pytest-8.3.4-py3-none-any.whl', SHA('5'))}]

[[packages]]
name = 'robot-sdk'
version = '1.4.0'
vcs = { type = 'git', url = 'https://github.com/example/robot-sdk', requested-revision = 'v1.4.0', commit-id = '${'a1'.repeat(20)}' }

[[packages]]
name = 'nightly-tool'
vcs = { type = 'git', url = 'https://github.com/example/nightly-tool', requested-revision = 'main', commit-id = '${'b2'.repeat(20)}' }

[[packages]]
name = 'app'
directory = { path = '.', editable = true }

[[packages]]
name = 'helper'
directory = { path = 'libs/helper' }

[[packages]]
name = 'vendored-wheel'
version = '0.3.1'
archive = { url = 'https://example.com/vendored_wheel-0.3.1-py3-none-any.whl', hashes = { sha256 = '${SHA('6')}' } }

[[packages]]
name = 'mystery'
archive = { path = 'dist/mystery.tar.gz', hashes = { sha256 = '${SHA('7')}' } }
`;
const PYPROJECT = '[project]\nname = "app"\nversion = "2.0.0"\nrequires-python = ">=3.10"\ndependencies = ["cattrs", "numpy"]\n';

test('pylock.toml: scopes from the markers (default groups ship, an extra is optional, a group is dev), edges where given, hashes, sources', async () => {
  const inv = await scan({ 'pylock.toml': SPEC_LIKE, 'pyproject.toml': PYPROJECT, 'libs/helper/pyproject.toml': '[project]\nname = "helper"\n' }, LINUX);
  assert.deepEqual(inv.problems, []);
  const kind = (n: string) => byName(inv, n)?.kind;
  assert.deepEqual(['attrs', 'cattrs', 'numpy', 'greenlet', 'click', 'pytest'].map(kind), ['runtime', 'runtime', 'runtime', 'runtime', 'optional', 'dev']);
  // cattrs' dependencies give the graph: attrs is cattrs', at depth 2; exceptiongroup is in no entry: a gap.
  assert.deepEqual(['cattrs', 'attrs'].map((n) => byName(inv, n)!.depth), [1, 2]);
  assert.deepEqual(inv.unresolved.map((u) => `${u.package} → ${u.key}`), ['cattrs → exceptiongroup']);
  // One wheel: the file installed, its hash the component's. Two: the installer picks one, so candidates.
  assert.deepEqual(byName(inv, 'attrs')!.hashes!.map((h) => `${h.alg}:${h.value}`), ['SHA-256:c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a']);
  assert.equal(byName(inv, 'attrs')!.distribution, 'https://files.pythonhosted.org/packages/x/attrs-25.1.0-py3-none-any.whl');
  assert.deepEqual([byName(inv, 'numpy')!.hashes, byName(inv, 'numpy')!.candidateHashes?.length], [undefined, 2]);
  // A VCS checkout with a version the locker vouches for keeps it, its commit the provenance.
  const sdk = byName(inv, 'robot-sdk')!;
  assert.deepEqual([sdk.purl, sdk.provenance], ['pkg:pypi/robot-sdk@1.4.0', { type: 'git', url: 'https://github.com/example/robot-sdk', version: 'a1'.repeat(20) }]);
  // Without a version (PEP 751 forbids one the locker cannot vouch for) the version is a stated gap, never guessed.
  const nightly = byName(inv, 'nightly-tool')!;
  assert.deepEqual([nightly.purl, nightly.version], ['pkg:pypi/nightly-tool', '']);
  assert.match(nightly.properties!['marque:version']!, /^unknown: built from git https:\/\/github\.com\/example\/nightly-tool at commit b2b2/);
  const mystery = byName(inv, 'mystery')!;
  assert.match(mystery.properties!['marque:version']!, /^unknown: installed from the archive dist\/mystery\.tar\.gz/);
  assert.ok(inv.notes.some((n) => /2 package\(s\) have no version in the lock .*: nightly-tool, mystery$/.test(n)), inv.notes.join('\n'));
  // An archive is one file: its hash is the component's.
  const vendored = byName(inv, 'vendored-wheel')!;
  assert.deepEqual([vendored.hashes?.[0]?.value, vendored.distribution], [SHA('6'), 'https://example.com/vendored_wheel-0.3.1-py3-none-any.whl']);
  // The project's own tree is the project; another local tree is first-party, declared by its pyproject.toml.
  assert.deepEqual(inv.components.filter((c) => c.name === 'app').map((c) => c.purl), ['pkg:pypi/app@2.0.0']);
  const helper = byName(inv, 'helper')!;
  assert.deepEqual([helper.firstParty, helper.sourceFile, helper.version], [true, 'libs/helper/pyproject.toml', '']);
});

test('pylock.toml markers on Linux: the Windows-only package is not installed and is named; the marker Marque cannot decide is kept and named', async () => {
  const inv = await scan({ 'pylock.toml': SPEC_LIKE, 'pyproject.toml': PYPROJECT }, LINUX);
  assert.equal(byName(inv, 'pywin32'), undefined);
  assert.equal(byName(inv, 'importlib-metadata'), undefined);
  const out = inv.notes.find((n) => /not in this inventory/.test(n)) ?? '';
  assert.match(out, /^pylock\.toml: 2 package\(s\) are locked only for environments other than ubuntu:noble \(Linux\), Python == 3\.12\.\*/);
  assert.match(out, /pywin32 308 \(sys_platform == 'win32' and 'default' in dependency_groups\); importlib-metadata 8\.5\.0 \(python_version < '3\.8'/);
  const undecided = inv.notes.find((n) => /cannot decide/.test(n)) ?? '';
  assert.match(undecided, /\(platform_machine\): kept, counted as shipping: greenlet 3\.1\.1/);
  assert.doesNotMatch(undecided, /declare the platform/);
});

test('pylock.toml markers without a declared platform: the operating system is not known, so the Windows-only package is kept and the note says how to decide it', async () => {
  const inv = await scan({ 'pylock.toml': SPEC_LIKE, 'pyproject.toml': PYPROJECT });
  assert.equal(byName(inv, 'pywin32')!.kind, 'runtime');
  // What no Python the lock allows needs goes whatever the platform.
  assert.equal(byName(inv, 'importlib-metadata'), undefined);
  const undecided = inv.notes.find((n) => /cannot decide/.test(n)) ?? '';
  assert.match(undecided, /for any operating system \(no platform declared\), Python == 3\.12\.\* \(platform_machine, sys_platform\): kept, counted as shipping \(declare the platform, inventory\.platform in marque\.yaml or --platform, to decide the operating system\)/);
  assert.match(undecided, /pywin32 308/);
});

test('pylock.toml on a platform its environments exclude: said, and read as written; on Windows the Windows package ships', async () => {
  const mac = await scan({ 'pylock.toml': SPEC_LIKE, 'pyproject.toml': PYPROJECT }, { os: 'osx', codename: 'sonoma' });
  assert.ok(mac.notes.some((n) => /locked for sys_platform == 'win32'; sys_platform == 'linux', none of which is osx:sonoma \(Darwin\)/.test(n)), mac.notes.join('\n'));
  const win = await scan({ 'pylock.toml': SPEC_LIKE, 'pyproject.toml': PYPROJECT }, { os: 'windows', codename: '11' });
  assert.equal(byName(win, 'pywin32')!.kind, 'runtime');
  assert.equal(win.notes.some((n) => /none of which/.test(n)), false);
});

test('pylock.toml: a lock-version Marque does not read, and a field of the wrong type, are errors that say so', async () => {
  const v2 = await scan({ 'pylock.toml': 'lock-version = "2.0"\ncreated-by = "t"\n' });
  assert.match(v2.problems[0]!.message, /lock-version "2\.0": Marque reads lock-version 1 \(PEP 751\)/);
  for (const [text, want] of [
    ['lock-version = "1.0"\n[[packages]]\nname = 1\n', /packages › 0 › name: must be string/],
    ['lock-version = "1.0"\n[[packages]]\nname = "a"\nwheels = [{ hashes = { sha256 = 5 } }]\n', /packages › 0 › wheels › 0 › hashes › sha256: must be string/],
    ['lock-version = "1.0"\npackages = "a"\n', /packages: must be array/],
    ['created-by = "t"\n', /lock-version: must be string/],
  ] as const) {
    const inv = await scan({ 'pylock.toml': text });
    assert.equal(inv.problems.length, 1, text);
    assert.match(inv.problems[0]!.message, want);
  }
  // A later minor version is read, and the note says what may be missed.
  const v11 = await scan({ 'pylock.toml': 'lock-version = "1.1"\ncreated-by = "t"\n[[packages]]\nname = "idna"\nversion = "3.10"\n' });
  assert.deepEqual(shipped(v11), ['idna@3.10 runtime']);
  assert.ok(v11.notes.some((n) => /lock-version 1\.1 is newer than 1\.0/.test(n)));
});

test('uv.lock on Linux (full-stack-fastapi-template): colorama and tzdata, Windows-only, are not installed and are named; without a platform they stay', async () => {
  const dir = join(L, 'uv-fastapi-template');
  const linux = await buildInventory({ target: dir, platform: LINUX });
  const any = await buildInventory({ target: dir });
  assert.deepEqual(['colorama', 'tzdata'].map((n) => byName(any, n)?.kind), ['runtime', 'runtime']);
  assert.deepEqual(['colorama', 'tzdata'].map((n) => byName(linux, n)), [undefined, undefined]);
  assert.ok(linux.notes.some((n) => /uv\.lock: 2 package\(s\) are locked only for environments other than ubuntu:noble \(Linux\), Python >=3\.14, <4\.0, .*: colorama 0\.4\.6 \(sys_platform == 'win32'\); tzdata 2026\.2 \(sys_platform == 'win32'\)$/.test(n)), linux.notes.join('\n'));
  assert.equal(linux.components.length, any.components.length - 2);
});

test('pdm.lock and poetry.lock on Linux: a Windows-only package is not installed; a Windows-only dependency missing from the lock is no gap', async () => {
  const pdm = await buildInventory({ target: join(L, 'pdm-pdm'), platform: LINUX });
  assert.equal(byName(pdm, 'pywin32-ctypes'), undefined);
  assert.ok(pdm.notes.some((n) => /pywin32-ctypes 0\.2\.3 \(sys_platform == "win32"\)/.test(n)));
  // The poetry fixture locks no colorama, which pytest asks for on win32 only.
  const poetry = await buildInventory({ target: join(L, 'poetry'), platform: LINUX });
  assert.deepEqual(poetry.unresolved, []);
  assert.equal(byName(poetry, 'pytest')!.dependenciesComplete, true);
  assert.ok(poetry.notes.some((n) => /pytest → colorama \(sys_platform == "win32"\)/.test(n)));
});

test('requirements.txt markers: a pin for another platform or Python is not installed, an unpinned one is no gap, both named', async () => {
  const files = {
    'requirements.txt': 'requests==2.31.0\npywin32==306 ; sys_platform == "win32"\npyreadline3 ; sys_platform == "win32"\ntomli==2.0.1 ; python_version < "3.11"\n',
    'pyproject.toml': '[project]\nname = "svc"\nversion = "1.0.0"\nrequires-python = ">=3.12"\n',
  };
  const linux = await scan(files, LINUX);
  assert.deepEqual(shipped(linux), ['requests@2.31.0 runtime']);
  assert.deepEqual(linux.unresolved, []);
  assert.ok(linux.notes.some((n) => /pywin32 306 \(sys_platform == "win32"\); tomli 2\.0\.1 \(python_version < "3\.11"\)$/.test(n)), linux.notes.join('\n'));
  assert.ok(linux.notes.some((n) => /requirements\.txt:3 pyreadline3 \(sys_platform == "win32"\)/.test(n)), linux.notes.join('\n'));
  // No platform: the Windows pin ships and the unpinned line is a gap; tomli is for no Python the project runs.
  const any = await scan(files);
  assert.deepEqual(shipped(any), ['pywin32@306 runtime', 'requests@2.31.0 runtime']);
  assert.deepEqual(any.unresolved.map((u) => u.key), ['pyreadline3']);
});

test('a requirement listed twice under different markers holds where either does (Poetry\'s list split by markers)', () => {
  const lock = [
    '[[package]]', 'name = "a"', 'version = "1.0"', '', '[package.dependencies]',
    'b = [{version = "<2", markers = "python_version < \\"3.8\\""}, {version = ">=2", markers = "python_version >= \\"3.8\\""}]', '',
    '[[package]]', 'name = "b"', 'version = "2.0"', '',
    '[metadata]', 'lock-version = "2.1"', 'python-versions = "^3.10"', 'content-hash = "0"',
  ].join('\n');
  const project: PythonProject = { component: { purl: 'pkg:pypi/app@1', name: 'app', version: '1', ecosystem: 'pypi', licenses: [], root: true, firstParty: true }, groups: new Map([['main', ['a']]]) };
  const f = parsePoetryLock(lock, 'poetry.lock', project);
  assert.deepEqual(f.components.map((c) => c.name).sort(), ['a', 'app', 'b']);
  assert.equal(f.dependencies.find((d) => d.to === 'pkg:pypi/b@2.0')!.condition, '(python_version < "3.8") or (python_version >= "3.8")');
});

test('Pipfile.lock: markers decided for the one Python Pipenv locked for (_meta.requires.python_version)', async () => {
  const lock = JSON.stringify({
    _meta: { requires: { python_version: '3.11' } },
    default: {
      requests: { version: '==2.31.0' },
      tomli: { version: '==2.0.1', markers: "python_version < '3.11'" },
    },
    develop: { 'win-tool': { git: 'https://example.com/win-tool.git', markers: "sys_platform == 'win32'" } },
  });
  const linux = await scan({ 'Pipfile.lock': lock }, LINUX);
  assert.deepEqual(shipped(linux), ['requests@2.31.0 runtime']);
  assert.deepEqual(linux.unresolved, []);
  // No platform declared: the git checkout is kept under its undecided marker, with no version (it was a gap).
  const any = await scan({ 'Pipfile.lock': lock });
  assert.deepEqual(shipped(any), ['requests@2.31.0 runtime', 'win-tool@ dev']);
  assert.deepEqual(any.unresolved, []);
});

test('the Python range of a lock: PEP 440 as written, Poetry\'s caret and tilde as the ranges they mean, anything else unknown', () => {
  assert.deepEqual(['>=3.10', '>=3.14, <4.0', '^3.9', '^3.10.2', '~3.9', '^0.9', '>=3.8 || <2.7', 'python3', '', undefined].map(pythonRange),
    ['>=3.10', '>=3.14, <4.0', '>=3.9,<4', '>=3.10.2,<4', '>=3.9,<3.10', '>=0.9,<0.10', undefined, undefined, undefined, undefined]);
});
