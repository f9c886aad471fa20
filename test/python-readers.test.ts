// The Python readers on the forms real projects use, found by a sweep over public repositories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { tmpdir } from 'node:os';
import { buildInventory } from '../src/api/inventory.ts';
import { parsePoetryLock, parseRequirements } from '../src/sources/python/lockfiles.ts';
import { parsePdmLock } from '../src/sources/python/pdm-lock.ts';
import { pythonProject, type PythonProject } from '../src/sources/python/project.ts';
import { isRequirementsFile, requirementsProjectDir, requirementsScope } from '../src/sources/python/requirements-files.ts';
import type { Scope } from '../src/model/inventory.ts';
import { FIXTURES } from './helpers/paths.ts';

const L = join(FIXTURES, 'lockfiles');
const project: PythonProject = { component: { purl: 'pkg:generic/app', name: 'app', version: '', ecosystem: 'generic', licenses: [], root: true, firstParty: true }, groups: new Map() };

test('requirements.txt includes (Warehouse): every -r file under the scanned folder is read, as pip reads it, relative to the file naming it', async () => {
  const inv = await buildInventory({ target: join(L, 'requirements-includes') });
  // requirements.txt names no package itself: all of them are in the pip-compile outputs it includes.
  const pins = inv.components.filter((c) => !c.root).map((c) => `${c.name}@${c.version} ${c.sourceFile}`).sort();
  assert.deepEqual(pins, [
    'alembic@1.4.3 requirements/main.txt', 'amqp@2.6.1 requirements/main.txt',
    'attrs@20.3.0 requirements/main.txt', 'beautifulsoup4@4.9.3 requirements/tests.txt',
  ]);
  assert.deepEqual(inv.unresolved, []);
  assert.equal(inv.components.find((c) => c.name === 'beautifulsoup4')!.candidateHashes?.length, 3);
  // requirements/tests.txt read on its own is the tests'; requirements.txt includes it, and pip installs what it
  // includes with it: the includer's scope holds (Warehouse says it is "only used for dependabot and Travis CI").
  const bs4 = inv.components.find((c) => c.name === 'beautifulsoup4')!;
  assert.deepEqual(inv.dependencies.filter((d) => d.to === bs4.purl).map((d) => d.kind).sort(), ['runtime', 'test']);
  assert.equal(bs4.kind, 'runtime');
});

test('requirements.txt: -c pins what is required, installs nothing; an include climbing out of the folder, a URL, a missing file are named with their line', () => {
  const files: Record<string, string> = {
    'constraints.txt': 'idna==3.6\nurllib3==2.0.7\n-r extra.txt\n',
    'extra.txt': 'certifi==2024.2.2\n',
  };
  const text = ['-c constraints.txt', 'idna>=3', '-r ../../etc/shared.txt', '--requirement=https://example.org/r.txt', '-r missing.txt', '-r requirements.txt'].join('\n');
  const f = parseRequirements(text, 'requirements.txt', project, (rel) => files[rel] ?? { refused: 'not found' });
  // idna takes the constraint's pin; urllib3, only constrained, is not installed; pip reads -r inside a constraints file as requirements.
  assert.deepEqual(f.components.filter((c) => !c.root).map((c) => `${c.name}@${c.version}`).sort(), ['certifi@2024.2.2', 'idna@3.6']);
  assert.equal(f.dependencies.find((d) => d.to === 'pkg:pypi/idna@3.6')!.constraint, '==3.6 (constraint at constraints.txt:1)');
  assert.deepEqual(f.unresolved!.map((u) => `${u.file}:${u.line} ${u.key}: ${u.reason}`), [
    'requirements.txt:3 -r ../../etc/shared.txt: leads outside the scanned folder; not read',
    'requirements.txt:4 -r https://example.org/r.txt: included from a URL: not fetched; its requirements are not known',
    'requirements.txt:5 -r missing.txt: missing.txt: not found',
  ]);
});

test('requirements.txt in a scan: an include through a link out of the folder is refused, and nothing outside is read', async () => {
  const outside = mkdtempSync(join(tmpdir(), 'marque-req-out-'));
  writeFileSync(join(outside, 'secret.txt'), 'leaked==1.0\n');
  const dir = mkdtempSync(join(tmpdir(), 'marque-req-'));
  mkdirSync(join(dir, 'app'));
  symlinkSync(outside, join(dir, 'app', 'shared'));
  writeFileSync(join(dir, 'app', 'requirements.txt'), 'flask==3.0.0\n-r shared/secret.txt\n-r ../../x.txt\n');
  const inv = await buildInventory({ target: join(dir, 'app') });
  assert.deepEqual(inv.components.filter((c) => !c.root).map((c) => c.name), ['flask']);
  assert.deepEqual(inv.unresolved.map((u) => `${u.line} ${u.reason}`), [
    '2 shared/secret.txt: leads outside the scanned folder; not read',
    '3 leads outside the scanned folder; not read',
  ]);
  assert.ok(!(inv.inputs ?? []).some((i) => i.file.includes('secret')));
});

test('requirements.txt lines: a hash after a marker (pip-compile --generate-hashes), a prefix match, a bare VCS URL named by #egg=', async () => {
  const text = [
    'importlib-metadata==6.8.0 ; python_version < "3.10" \\',
    '    --hash=sha256:3ebb78df84a805d7698245025b975d9d67053cd94c79245ba4b3eb694abe68bb',
    'numpy==1.26.*',
    'git+https://github.com/techalchemy/test-project.git@master#egg=pep508-package&subdirectory=parent_folder/pep508-package',
  ].join('\n');
  const f = parseRequirements(text, 'requirements.txt', project);
  const im = f.components.find((c) => c.name === 'importlib-metadata')!;
  assert.deepEqual(im.hashes?.map((h) => h.value), ['3ebb78df84a805d7698245025b975d9d67053cd94c79245ba4b3eb694abe68bb']);
  assert.equal(f.dependencies.find((d) => d.to === im.purl)!.condition, 'python_version < "3.10"');
  // ==1.26.* is every 1.26 release (PEP 440 prefix matching): no version.
  assert.ok(!f.components.some((c) => c.name === 'numpy'));
  assert.deepEqual(f.unresolved!.map((u) => `${u.line} ${u.key}`), ['3 numpy', '4 pep508-package']);
});

test('pyproject.toml with name = "" (PDM\'s application projects): the folder names the project, the requirements beside it are read', async () => {
  const inv = await buildInventory({ target: join(L, 'pdm-empty-name') });
  assert.deepEqual(inv.problems, []);
  assert.equal(inv.components.find((c) => c.root)!.purl, 'pkg:generic/project');
  assert.deepEqual(inv.components.filter((c) => !c.root).map((c) => `${c.name}@${c.version}`).sort(),
    ['certifi@2021.10.8', 'charset-normalizer@2.0.7', 'idna@3.3', 'requests@2.26.0', 'urllib3@1.26.7']);
});

test('poetry.lock (Textual): a [tool.poetry.dependencies] entry with optional = true is its extra\'s (syntax), optional as the lock says, not runtime', async () => {
  const dir = join(L, 'poetry-optional-extras');
  const inv = await buildInventory({ target: dir });
  const lock = parseToml(readFileSync(join(dir, 'poetry.lock'), 'utf8')) as { package: { name: string; groups: string[]; optional: boolean }[] };
  // Poetry's solver wrote each package's scope: in "main" and optional = true is an extra's.
  const scopes = inv.components.filter((c) => !c.root).map((c) => `${c.name} ${c.kind}`).sort();
  assert.deepEqual(scopes, lock.package.map((p) => `${p.name} ${p.groups.includes('main') ? (p.optional ? 'optional' : 'runtime') : 'dev'}`).sort());
  assert.equal(inv.components.find((c) => c.name === 'tree-sitter')!.kind, 'optional');
  assert.deepEqual(inv.unresolved, []);
});

test('poetry.lock (Textual): a locked package depending on the project itself (pytest-textual-snapshot on textual) is no gap: Poetry does not lock the project', () => {
  const lock = [
    '[[package]]', 'name = "pytest-textual-snapshot"', 'version = "1.1.0"', 'optional = false', 'python-versions = "<4.0.0,>=3.8.1"', 'groups = ["dev"]', 'files = []', '',
    '[package.dependencies]', 'rich = ">=12.0.0"', 'textual = ">=0.28.0"', '',
    '[[package]]', 'name = "rich"', 'version = "14.2.0"', 'optional = false', 'python-versions = ">=3.8.0"', 'groups = ["main", "dev"]', 'files = []', '',
    '[metadata]', 'lock-version = "2.1"', 'python-versions = "^3.9"', 'content-hash = "0"', '',
  ].join('\n');
  const textual: PythonProject = { component: { purl: 'pkg:pypi/textual@8.2.8', name: 'textual', version: '8.2.8', ecosystem: 'pypi', licenses: [], root: true, firstParty: true }, groups: new Map([['main', ['rich']], ['dev', ['pytest-textual-snapshot']]]) };
  const f = parsePoetryLock(lock, 'poetry.lock', textual);
  assert.deepEqual(f.unresolved, []);
  // Another project's name is still a gap.
  const other = parsePoetryLock(lock, 'poetry.lock', { ...textual, component: { ...textual.component, purl: 'pkg:pypi/app@1', name: 'app' } });
  assert.deepEqual(other.unresolved!.map((u) => u.key), ['textual']);
});

test('requirements files by name: which are claimed, the scope their name gives, the project they belong to (names from Warehouse, Read the Docs, aiohttp, vLLM, Celery, oslo.config)', () => {
  const cases: [string, Scope | null][] = [
    ['requirements.txt', 'runtime'], ['requirements-dev.txt', 'dev'], ['dev-requirements.txt', 'dev'], ['test-requirements.txt', 'test'],
    ['requirements_test.txt', 'test'], ['requirements-docs.txt', 'doc'], ['requirements.dev.txt', 'dev'],
    ['requirements/main.txt', 'runtime'], ['requirements/deploy.txt', 'runtime'], ['requirements/pip.txt', 'runtime'],
    ['requirements/tests.txt', 'test'], ['requirements/testing.txt', 'test'], ['requirements/test-ci-base.txt', 'test'], ['requirements/test3.txt', 'test'],
    ['requirements/docs.txt', 'doc'], ['requirements/lint.txt', 'dev'], ['requirements/docs-lint.txt', 'dev'], ['requirements/build.txt', 'build'],
    ['requirements/test/cuda.txt', 'test'], ['requirements/extras/redis.txt', 'optional'], ['requirements/requirements-dev.txt', 'dev'],
    // A docs folder's requirements.txt is the manual's through its folder (folderScopes), not its name.
    ['doc/requirements.txt', 'runtime'],
    // Constraints install nothing: read only through -c.
    ['requirements/constraints.txt', null], ['requirements/constraints/common.txt', null], ['requirements-constraints.txt', null],
    ['requirements/README.rst', null], ['notes.txt', null], ['requirements.in', null],
  ];
  for (const [rel, scope] of cases) {
    const claimed = isRequirementsFile(rel, rel.split('/').pop()!);
    assert.equal(claimed ? requirementsScope(rel) : null, scope, rel);
  }
  assert.equal(requirementsProjectDir('requirements/test/cuda.txt'), '.');
  assert.equal(requirementsProjectDir('backend/requirements/dev.txt'), 'backend');
  assert.equal(requirementsProjectDir('backend/requirements-dev.txt'), 'backend');
});

test('a requirements/ folder alone (aiohttp): each file read with the scope its name gives, for the project above it; the constraints file is not a requirements file', async () => {
  const inv = await buildInventory({ target: join(L, 'requirements-folder') });
  assert.deepEqual(inv.problems, []);
  const root = inv.components.find((c) => c.root)!;
  assert.equal(`${root.purl} ${root.sourceFile}`, 'pkg:pypi/aiohttp pyproject.toml');
  // Nearest to shipping wins: aiodns is in base.txt (runtime) and dev.txt; aiohttp-theme in dev.txt and doc.txt.
  assert.deepEqual(inv.components.filter((c) => !c.root).map((c) => `${c.name} ${c.kind}`).sort(), [
    'aiodns runtime', 'aiofastnet runtime', 'aiohappyeyeballs runtime', 'aiohttp-theme dev', 'aiosignal test', 'alabaster doc', 'annotated-types test',
  ]);
  assert.ok(!inv.inputs!.some((i) => i.file === 'requirements/constraints.txt'));
});

test('requirements files named by the OpenStack habit (oslo.config): test-requirements.txt is read, its gaps are the tests\'', async () => {
  const inv = await buildInventory({ target: join(L, 'requirements-named') });
  const kinds = (file: string) => [...new Set(inv.unresolved.filter((u) => u.file === file).map((u) => u.kind ?? 'runtime'))];
  assert.deepEqual(kinds('test-requirements.txt'), ['test']);
  assert.equal(inv.unresolved.filter((u) => u.file === 'test-requirements.txt').length, 8);
  assert.deepEqual(kinds('requirements.txt'), ['runtime']);
});

/** The scope PDM's `groups` give each locked package: "default" ships, a [project.optional-dependencies] extra is optional, any other group is a development group. */
function pdmScopes(dir: string): string[] {
  const lock = parseToml(readFileSync(join(dir, 'pdm.lock'), 'utf8')) as { package: { name: string; version: string; groups: string[] }[] };
  const pyproject = parseToml(readFileSync(join(dir, 'pyproject.toml'), 'utf8')) as { project: { 'optional-dependencies'?: object } };
  const norm = (n: string) => n.toLowerCase().replace(/[-_.]+/g, '-');
  const extras = new Set(Object.keys(pyproject.project['optional-dependencies'] ?? {}).map(norm));
  const order = ['runtime', 'optional', 'dev'];
  const scope = new Map<string, string>();
  for (const p of lock.package) {
    const s = p.groups.includes('default') ? 'runtime' : p.groups.some((g) => extras.has(norm(g))) ? 'optional' : 'dev';
    const k = `${norm(p.name)}@${p.version}`;
    if (!scope.has(k) || order.indexOf(s) < order.indexOf(scope.get(k)!)) scope.set(k, s);
  }
  return [...scope].map(([k, s]) => `${k} ${s}`).sort();
}

test('pdm.lock (PDM\'s own, lock 4.5.1): every package, its files\' hashes, and the scope PDM\'s groups give it', async () => {
  const dir = join(L, 'pdm-pdm');
  const inv = await buildInventory({ target: dir });
  assert.deepEqual(inv.problems, []);
  const locked = inv.components.filter((c) => !c.root);
  assert.equal(locked.length, 96);
  assert.deepEqual(locked.map((c) => `${c.name}@${c.version} ${c.kind}`).sort(), pdmScopes(dir));
  assert.equal(inv.components.find((c) => c.name === 'anyio')!.candidateHashes?.length, 2);
  // virtualenv (default, tox) asks for importlib-metadata (all, keyring) only under python_version < "3.8", which no
  // Python the project allows (requires-python >=3.10) has: the edge does not hold, is not followed, and is said;
  // importlib-metadata is the keyring extra's, as PDM says, not runtime.
  const im = inv.components.find((c) => c.name === 'importlib-metadata')!;
  const virtualenv = inv.components.find((c) => c.name === 'virtualenv')!;
  assert.equal(inv.dependencies.find((d) => d.from === virtualenv.purl && d.to === im.purl), undefined);
  assert.equal(im.kind, 'optional');
  // hishel[httpx] asked for by the project: what the extra adds (anysqlite) ships, through hishel.
  assert.equal(inv.components.find((c) => c.name === 'anysqlite')!.kind, 'runtime');
  // towncrier's importlib-resources (python_version < "3.10") is missing from the lock because no Python the lock is
  // for needs it: no gap, and towncrier's dependencies are complete; the note names it.
  assert.deepEqual(inv.unresolved, []);
  assert.equal(inv.components.find((c) => c.name === 'towncrier')!.dependenciesComplete, true);
  const left = inv.notes.find((n) => /hold only under markers false for any operating system \(no platform declared\), Python >=3\.10/.test(n)) ?? '';
  assert.match(left, /towncrier → importlib-resources \(python_version < "3\.10"\)/);
  assert.match(left, /virtualenv [\d.]+ → importlib-metadata [\d.]+ \(python_version < "3\.8"\)/);
  assert.ok(inv.notes.some((n) => /group\(s\) copier, cookiecutter, template are not among the lock's \[metadata\] groups/.test(n)), inv.notes.join('\n'));
});

test('pyproject.toml (PDM\'s): the project asking for its own extra (pdm[pytest] in its test group) asks for what the extra lists', async () => {
  const dir = join(L, 'pdm-pdm');
  const p = await pythonProject({ rel: 'pdm.lock', path: join(dir, 'pdm.lock'), name: 'pdm.lock', size: 0 } as never, (path) => readFileSync(path, 'utf8'));
  assert.deepEqual(p.groups.get('group:test'), ['pytest', 'pytest-mock', 'pytest-cov', 'pytest-xdist', 'pytest-rerunfailures', 'pytest-httpserver', 'pytest-httpx']);
  // all = pdm[keyring,template]; template = pdm[copier,cookiecutter].
  assert.deepEqual(p.groups.get('extra:all'), ['keyring', 'copier', 'cookiecutter']);
});

test('pdm.lock (marko): [tool.pdm.dev-dependencies] are development groups; each package has the scope PDM\'s groups give it', async () => {
  const dir = join(L, 'pdm-marko');
  const inv = await buildInventory({ target: dir });
  assert.deepEqual(inv.components.filter((c) => !c.root).map((c) => `${c.name}@${c.version} ${c.kind}`).sort(), pdmScopes(dir));
  assert.equal(inv.components.find((c) => c.name === 'pytest')!.depth, 1);
});

test('pdm.lock (BentoML): an extras entry holds where it is asked for (ray[serve] in the docs group asks for uvicorn[standard]: httptools is the docs\', though uvicorn ships)', async () => {
  const dir = join(L, 'pdm-bentoml');
  const inv = await buildInventory({ target: dir });
  const locked = inv.components.filter((c) => !c.root);
  assert.equal(locked.length, 198);
  assert.deepEqual(locked.map((c) => `${c.name}@${c.version} ${c.kind}`).sort(), pdmScopes(dir));
  assert.equal(inv.components.find((c) => c.name === 'uvicorn')!.kind, 'runtime');
  assert.equal(inv.components.find((c) => c.name === 'httptools')!.kind, 'dev');
  const uvloop = inv.components.find((c) => c.name === 'uvloop')!;
  assert.equal(inv.dependencies.find((d) => d.to === uvloop.purl)!.condition, 'extra == "standard" and ((sys_platform != "cygwin" and sys_platform != "win32") and platform_python_implementation != "PyPy")');
});

test('pdm.lock before lock_version 4.4 (marko in 2023): the files\' hashes from [metadata.files], the scopes from pyproject.toml\'s groups', async () => {
  const inv = await buildInventory({ target: join(L, 'pdm-marko-4.1') });
  assert.deepEqual(inv.problems, []);
  // 27 entries: coverage and coverage[toml] are one release.
  assert.equal(inv.components.filter((c) => !c.root).length, 26);
  assert.equal(inv.components.find((c) => c.name === 'attrs')!.candidateHashes?.length, 2);
  const kind = (n: string) => inv.components.find((c) => c.name === n)!.kind;
  assert.deepEqual(['python-slugify', 'text-unidecode', 'pygments', 'pytest', 'mistune', 'coverage'].map(kind), ['optional', 'optional', 'optional', 'dev', 'dev', 'dev']);
});

test('pdm.lock: a package locked from git has its repository and commit as provenance (OSV-Scalibr\'s PDM test file)', async () => {
  const inv = await buildInventory({ target: join(L, 'pdm-git') });
  const toml = inv.components.find((c) => c.name === 'toml')!;
  assert.deepEqual(toml.provenance, { type: 'git', url: 'https://github.com/uiri/toml.git', version: '65bab7582ce14c55cdeec2244c65ea23039c9e6f' });
  assert.equal(toml.kind, 'runtime');
});

test('pdm.lock: a local folder (path, as PDM\'s Candidate.as_lockfile_entry writes it) is a first-party root declared by its pyproject.toml; a local wheel is a package', () => {
  const lock = [
    '[metadata]', 'groups = ["default"]', 'strategy = ["inherit_metadata"]', 'lock_version = "4.5.0"', '',
    '[[package]]', 'name = "demo-example"', 'version = "0.1.0"', 'path = "./examples/demo"', 'editable = true', 'summary = ""', 'groups = ["default"]', '',
    '[[package]]', 'name = "wheel-pkg"', 'version = "1.0"', 'path = "./wheels/wheel_pkg-1.0-py3-none-any.whl"', 'summary = ""', 'groups = ["default"]', '',
  ].join('\n');
  const f = parsePdmLock(lock, 'pdm.lock', project);
  const local = f.components.find((c) => c.name === 'demo-example')!;
  assert.deepEqual([local.root, local.firstParty, local.sourceFile], [true, true, 'examples/demo/pyproject.toml']);
  const wheel = f.components.find((c) => c.name === 'wheel-pkg')!;
  assert.deepEqual([wheel.root, wheel.sourceFile], [undefined, 'pdm.lock']);
});

test('uv workspace member under examples/ (pydantic-ai): declared by examples/pyproject.toml, so an example\'s, not a root that ships; pydantic-ai[examples] still reaches it', async () => {
  const inv = await buildInventory({ target: join(L, 'uv-examples-member') });
  const examples = inv.components.find((c) => c.name === 'pydantic-ai-examples')!;
  assert.equal(examples.sourceFile, 'examples/pyproject.toml');
  // Its own dependencies (asyncpg, duckdb) were runtime when it was a root; through pydantic-ai's examples extra they are optional.
  assert.deepEqual(['pydantic-ai-examples', 'asyncpg', 'duckdb'].map((n) => inv.components.find((c) => c.name === n)!.kind), ['optional', 'optional', 'optional']);
  assert.equal(inv.components.find((c) => c.name === 'pydantic-ai')!.kind, 'runtime');
  assert.ok(inv.notes.some((n) => /project\(s\) in test, fixture or example folders are scope "test", not shipped: examples\/pyproject\.toml/.test(n)), inv.notes.join('\n'));
});

test('requirements: a direct reference to a wheel is that wheel\'s release, named by its file (frigate\'s TFLite and ROCm onnxruntime wheels); other direct references stay gaps', async () => {
  const inv = await buildInventory({ target: join(L, 'requirements-wheel-url') });
  const tflite = inv.components.find((c) => c.name === 'tflite-runtime')!;
  // Two lines, one per machine: one release, needed where either marker holds.
  assert.deepEqual([tflite.purl, tflite.kind, tflite.distribution], ['pkg:pypi/tflite-runtime@2.17.1', 'runtime', 'https://github.com/frigate-nvr/TFlite-builds/releases/download/v2.17.1/tflite_runtime-2.17.1-cp311-cp311-linux_x86_64.whl']);
  assert.deepEqual(inv.dependencies.filter((d) => d.to === tflite.purl).map((d) => d.condition), ["(platform_machine == 'x86_64') or (platform_machine == 'aarch64')"]);
  assert.equal(inv.components.find((c) => c.name === 'onnxruntime-migraphx')!.purl, 'pkg:pypi/onnxruntime-migraphx@1.24.4');
  assert.equal(inv.components.find((c) => c.name === 'python-multipart')!.version, '0.0.26');
  // `==3.3.*` names many releases: still a gap, as is a wheel whose file names another project or an sdist.
  assert.deepEqual(inv.unresolved.map((u) => u.key).sort(), ['markupsafe', 'pathvalidate']);
  const f = parseRequirements('other @ https://example.com/x/tflite_runtime-2.17.1-cp311-cp311-linux_x86_64.whl\nlib @ https://example.com/lib-1.0.tar.gz\nlib2 @ https://example.com/lib2-1.0-py3-none-any.whl.metadata\n', 'requirements.txt', project);
  assert.deepEqual(f.components.filter((c) => !c.root).map((c) => c.purl), []);
  assert.equal(f.unresolved!.length, 3);
});

test('the project\'s own licence from pyproject.toml: PEP 639\'s SPDX expression (pallets/flask: license = "BSD-3-Clause"), PEP 621\'s short { text }, Poetry\'s string; a whole licence text is not a name', async () => {
  const { buildInventory } = await import('../src/api/inventory.ts');
  const { mkdtempSync: mk, writeFileSync: wr } = await import('node:fs');
  const { tmpdir: td } = await import('node:os');
  const { join: j } = await import('node:path');
  const cases: [string, string[]][] = [
    ['[project]\nname = "flask"\nversion = "3.1.1"\nlicense = "BSD-3-Clause"\ndependencies = []\n', ['BSD-3-Clause']],
    ['[project]\nname = "tool"\nversion = "1.0"\nlicense = { text = "MIT" }\ndependencies = []\n', ['MIT']],
    ['[project]\nname = "tool"\nversion = "1.0"\nlicense = { text = """Copyright (c) 2024\\nPermission is hereby granted..."""}\ndependencies = []\n', []],
    ['[tool.poetry]\nname = "tool"\nversion = "1.0"\nlicense = "Apache-2.0"\n[tool.poetry.dependencies]\npython = "^3.10"\n', ['Apache-2.0']],
  ];
  for (const [toml, want] of cases) {
    const dir = mk(j(td(), 'marque-pyproject-licence-'));
    wr(j(dir, 'pyproject.toml'), toml);
    wr(j(dir, 'requirements.txt'), 'flask==3.0.0\n');
    const inv = await buildInventory({ target: dir });
    assert.deepEqual(inv.components.find((c) => c.root && c.firstParty)?.licenses, want, toml);
  }
});
