// C/C++ sources a build pulls in (src/sources/cmake): the CMake reader's parts on the language's own
// edge cases, then the real CMake files of micro-ROS-Agent, the ROS 2 core vendor packages and four
// more C++ ROS repositories, each checked by hand against what its files say; real CMake as the
// oracle of what a configure would download; git itself as the oracle of submodule commits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenize } from '../src/sources/cmake/lexer.ts';
import { evaluateArgs, expand, known, type Lookup, type Val } from '../src/sources/cmake/values.ts';
import { evaluateCondition } from '../src/sources/cmake/condition.ts';
import { CMakeReader, negate, type Pull } from '../src/sources/cmake/interpret.ts';
import { structure } from '../src/sources/cmake/script.ts';
import { archiveNameVersion, classifyRef, githubDownload, githubRepository, identifyPull, repositoryKey } from '../src/sources/cmake/identity.ts';
import { parseGitConfig, parseGitmodules, readGitIndex, tagsFromPackedRefs } from '../src/sources/cmake/gitmodules.ts';
import { splitFolderName, versionFromHeader } from '../src/sources/cmake/folder.ts';
import { platformVariables } from '../src/sources/cmake/vendored.ts';
import { buildInventory } from '../src/api/inventory.ts';
import type { ProductInventory } from '../src/model/inventory.ts';
import { countComponents } from '../src/model/counting.ts';
import { FIXTURES } from './helpers/paths.ts';
import { InputError } from '../src/util/errors.ts';

const CMAKE = join(FIXTURES, 'cmake');
const LINUX = platformVariables({ os: 'ubuntu', codename: 'noble' });

// ---- the language --------------------------------------------------------------------------------

test('lexer: bracket, quoted and unquoted arguments, comments, continuations and nested parentheses (cmake-language(7))', () => {
  const calls = tokenize([
    'set(A [==[ a ]] ]=] "quoted" ]==])   # line comment',
    '#[[ a bracket',
    'comment ]] message("x\\"y" un\\;quoted -DX="a b" ${V}',
    '  "continued \\',
    'line")',
    'if((A OR B) AND NOT C)',
    'endif()',
    'foo_Bar ( )',
  ].join('\n'), 'CMakeLists.txt');
  assert.deepEqual(calls.map((c) => [c.name, c.line, c.args.map((a) => `${a.kind}:${a.text}`)]), [
    ['set', 1, ['unquoted:A', 'bracket: a ]] ]=] "quoted" ']],
    ['message', 3, ['quoted:x\\"y', 'unquoted:un\\;quoted', 'unquoted:-DX="a b"', 'unquoted:${V}', 'quoted:continued line']],
    ['if', 6, ['unquoted:(', 'unquoted:A', 'unquoted:OR', 'unquoted:B', 'unquoted:)', 'unquoted:AND', 'unquoted:NOT', 'unquoted:C']],
    ['endif', 7, []],
    ['foo_bar', 8, []],
  ]);
});

test('lexer: a bracket argument drops its first newline; malformed files are refused with their line', () => {
  assert.equal(tokenize('set(X [[\nfirst]])', 'f').at(0)!.args[1]!.text, 'first');
  for (const [text, line] of [['set(A "open', 1], ['\n\nset(A [[ never', 3], ['set(A\n  B', 1], ['(oops)', 1], ['set A', 1]] as const) {
    assert.throws(() => tokenize(text, 'bad.cmake'), (e: unknown) => e instanceof InputError && e.file === 'bad.cmake' && e.line === line, text);
  }
});

function vars(map: Record<string, string | Val>): Lookup {
  return {
    get: (n) => { const v = map[n]; return v === undefined ? undefined : typeof v === 'string' ? known(v) : v; },
    external: (n) => (LINUX.has(n) ? (LINUX.get(n) === '\0' ? { values: [null] } : known(LINUX.get(n)!)) : { unknown: `"${n}" is not set` }),
  };
}

test('variable references: nested names, escapes, the environment unknown, unquoted lists split and empty ones dropped', () => {
  const v = vars({ A: 'a', B_a: 'nested', L: 'x;y\\;z', E: '' });
  assert.deepEqual(expand('${B_${A}}-\\${A}', 'quoted', v), known('nested-${A}'));
  assert.deepEqual(expand('[[${A}]]', 'bracket', v), known('[[${A}]]'));
  assert.ok('unknown' in expand('$ENV{HOME}', 'quoted', v));
  assert.match((expand('${NOPE}/x', 'unquoted', v) as { unknown: string }).unknown, /NOPE/);
  const args = evaluateArgs(tokenize('f(${L} "${L}" ${E} "${E}")', 'f')[0]!.args, v);
  assert.deepEqual(args.map((a) => a.val), [known('x'), known('y;z'), known('x;y\\;z'), known('')]);
});

test('conditions: constants, variables, NOT/AND/OR precedence, comparisons; what the build machine knows is unknown', () => {
  const v = vars({ ON_OPT: 'ON', OFF_OPT: 'OFF', VER: '1.2.10', NAME: 'Linux', FOUND_ONE: { values: ['1', null] } });
  const cond = (text: string) => evaluateCondition(evaluateArgs(tokenize(`if(${text})`, 'f')[0]!.args, v), v);
  assert.equal(cond('ON_OPT'), true);
  assert.equal(cond('NOT OFF_OPT'), true);
  assert.equal(cond('"ON_OPT"'), false); // a quoted string is not a variable name (CMP0054)
  assert.equal(cond('spdlog_FOUND'), undefined);
  assert.equal(cond('NOT spdlog_FOUND OR ON_OPT'), true);
  assert.equal(cond('NOT spdlog_FOUND AND OFF_OPT'), false);
  assert.equal(cond('WIN32 OR APPLE'), false);
  assert.equal(cond('UNIX AND CMAKE_SYSTEM_NAME STREQUAL "Linux"'), true);
  assert.equal(cond('NAME STREQUAL "Darwin"'), false);
  assert.equal(cond('VER VERSION_LESS 1.2.9'), false);
  assert.equal(cond('VER VERSION_GREATER_EQUAL "1.2.10"'), true);
  assert.equal(cond('(OFF_OPT OR ON_OPT) AND NOT (ON_OPT AND OFF_OPT)'), true);
  assert.equal(cond('DEFINED ON_OPT'), true);
  assert.equal(cond('FOUND_ONE'), undefined);
  assert.equal(cond('CMAKE_CXX_COMPILER_ID MATCHES "Clang"'), undefined);
  assert.equal(cond('EXISTS /etc/passwd'), undefined);
});

function read(files: Record<string, string>, dir = '/p'): ReturnType<CMakeReader['read']> {
  const nodes = (path: string) => {
    const text = files[path];
    return text === undefined ? undefined : structure(tokenize(text, path), path, []);
  };
  return new CMakeReader({
    load: nodes, isFolder: (p) => Object.keys(files).some((f) => f.startsWith(`${p}/`)),
    enterSubdirectory: () => ({}), platform: LINUX, show: (p) => p,
  }).read(dir);
}

const tagOf = (p: Pull) => p.keys.get('GIT_TAG')?.[0] && evaluateOne(p.keys.get('GIT_TAG')![0]!.val);
const evaluateOne = (v: Val) => ('values' in v ? v.values.join('|') : `?${v.unknown}`);

test('reader: options at their defaults, set/list/string, functions and macros with their arguments, include() in scope', () => {
  const r = read({
    '/p/CMakeLists.txt': [
      'option(USE_SYSTEM "" OFF)',
      'set(BASE https://github.com/acme)',
      'set(TAGS v1.0)',
      'list(APPEND TAGS v2.0)',
      'list(GET TAGS 1 SECOND)',
      'string(TOLOWER "LIB" lower)',
      'include(cmake/deps.cmake)',
      'if(NOT USE_SYSTEM)',
      '  fetch_it(${lower} ${SECOND})',
      'endif()',
      'if(WIN32)',
      '  ExternalProject_Add(winonly GIT_REPOSITORY https://github.com/acme/win.git GIT_TAG v1)',
      'endif()',
    ].join('\n'),
    '/p/cmake/deps.cmake': [
      'function(fetch_it name tag)',
      '  cmake_parse_arguments(ARG "" "EXTRA" "" ${ARGN})',
      '  FetchContent_Declare(${name} GIT_REPOSITORY ${BASE}/${name}.git GIT_TAG ${tag})',
      '  set(LEAK yes)',
      'endfunction()',
      'macro(declare_twice)',
      'endmacro()',
    ].join('\n'),
  });
  assert.deepEqual(r.pulls.map((p) => [p.method, p.name, evaluateOne(p.keys.get('GIT_REPOSITORY')![0]!.val), tagOf(p), p.conditions, p.file]), [
    ['FetchContent_Declare', 'lib', 'https://github.com/acme/lib.git', 'v2.0', [], '/p/cmake/deps.cmake'],
  ]);
  assert.deepEqual(r.skipped, [{ file: '/p/CMakeLists.txt', line: 12, command: 'ExternalProject_Add(winonly)', condition: 'WIN32' }]);
});

test('reader: a branch on something unknown is read both ways; what follows a return() holds when it was not taken', () => {
  const r = read({
    '/p/CMakeLists.txt': [
      'find_package(zlib QUIET)',
      'if(zlib_FOUND)',
      '  set(TAG system)',
      'else()',
      '  set(TAG v1.3)',
      'endif()',
      'if(TARGET zlib::zlib)',
      '  return()',
      'endif()',
      'if(NOT zlib_FOUND)',
      '  ExternalProject_Add(zlib URL https://zlib.net/zlib-1.3.tar.gz URL_HASH SHA256=ABCDEF)',
      '  ExternalProject_Add(other GIT_REPOSITORY https://example.org/o.git GIT_TAG ${TAG})',
      'endif()',
      'foreach(x IN ITEMS a b)',
      '  FetchContent_Declare(dep_${x} GIT_REPOSITORY https://github.com/acme/${x} GIT_TAG 1.${x})',
      'endforeach()',
      'FetchContent_Declare(dep_a GIT_REPOSITORY https://github.com/acme/ignored GIT_TAG 9.9)',
    ].join('\n'),
  });
  assert.deepEqual(r.pulls.map((p) => [p.name, p.conditions.join(' & '), tagOf(p) ?? '']), [
    ['zlib', 'NOT TARGET zlib::zlib & NOT zlib_FOUND', ''],
    ['other', 'NOT TARGET zlib::zlib & NOT zlib_FOUND', 'system|v1.3'],
    ['dep_a', 'NOT TARGET zlib::zlib', '1.a'],
    ['dep_b', 'NOT TARGET zlib::zlib', '1.b'],
  ]); // the second dep_a is ignored: FetchContent's first declaration wins
});

test('negated conditions read as written by hand (De Morgan), and mean what they negate under every assignment', () => {
  assert.equal(negate('NOT A AND NOT B'), 'A OR B');
  assert.equal(negate('NOT (A AND B) AND NOT (C AND D)'), '(A AND B) OR (C AND D)');
  assert.equal(negate('NOT A OR NOT (B OR C)'), 'A AND (B OR C)');
  assert.equal(negate('NOT (A OR B)'), 'A OR B');
  assert.equal(negate('A AND NOT B'), 'NOT (A AND NOT B)');
  assert.equal(negate('A'), 'NOT A');
  assert.equal(negate('NOT X STREQUAL "NOT A AND NOT B"'), 'X STREQUAL "NOT A AND NOT B"'); // words inside a string are not operators
  const texts = ['NOT A AND NOT B', 'NOT (A AND B) AND NOT (C AND D)', 'NOT A OR NOT (B OR C)', 'A AND NOT B', 'NOT (NOT A AND NOT B) AND NOT (C OR NOT D)', '(NOT A AND NOT B)', 'NOT A AND NOT B OR NOT C AND NOT D'];
  for (let bits = 0; bits < 16; bits++) {
    const v = vars(Object.fromEntries(['A', 'B', 'C', 'D'].map((n, i) => [n, bits & (1 << i) ? 'ON' : 'OFF'])));
    const truth = (text: string) => evaluateCondition(evaluateArgs(tokenize(`if(${text})`, 'f')[0]!.args, v), v);
    for (const t of texts) assert.equal(truth(negate(t)), !truth(t), `${t} → ${negate(t)} with ${bits}`);
  }
});

test('reader: what follows an if/elseif whose else() stops the build holds when a branch was taken, said without double negation; an OR naming tests is not "tests built"', () => {
  const r = read({
    '/p/CMakeLists.txt': [
      'if(A_FOUND AND ARCH STREQUAL "x86_64")',
      '  set(V 1)',
      'elseif(B_FOUND)',
      '  set(V 2)',
      'else()',
      '  message(FATAL_ERROR "unsupported")',
      'endif()',
      'FetchContent_Declare(after GIT_REPOSITORY https://github.com/acme/after GIT_TAG v1)',
      'if(NOT MYLIB_TESTS AND NOT WITH_DEMO)',
      'else()',
      '  FetchContent_Declare(demo GIT_REPOSITORY https://github.com/acme/demo GIT_TAG v1)',
      'endif()',
      'if(WITH_X AND NOT MYLIB_TESTS)',
      '  FetchContent_Declare(x GIT_REPOSITORY https://github.com/acme/x GIT_TAG v1)',
      'endif()',
    ].join('\n'),
  });
  assert.deepEqual(r.pulls.map((p) => [p.name, p.conditions.join(' & '), p.test]), [
    ['after', '(A_FOUND AND ARCH STREQUAL "x86_64") OR B_FOUND', false],
    ['demo', '(A_FOUND AND ARCH STREQUAL "x86_64") OR B_FOUND & MYLIB_TESTS OR WITH_DEMO', false],
    ['x', '(A_FOUND AND ARCH STREQUAL "x86_64") OR B_FOUND & WITH_X AND NOT MYLIB_TESTS', false],
  ]);
});

test('reader: a loop, a recursion or a self-include ends; a command budget stops a runaway file with a warning', () => {
  const r = read({
    '/p/CMakeLists.txt': 'function(f)\n f()\nendfunction()\nf()\ninclude(CMakeLists.txt)\nwhile(TRUE)\n set(X 1)\nendwhile()\nforeach(i RANGE 100000000)\nendforeach()',
  });
  assert.ok(r.notFollowed.some((n) => /nested deeper/.test(n.reason)));
  const big = read({ '/p/CMakeLists.txt': 'foreach(i RANGE 999)\n foreach(j RANGE 999)\n  set(x ${i})\n endforeach()\nendforeach()' });
  assert.match(big.problems[0]!.message, /stopped after 200000 CMake commands/);
});

// ---- what a download is ------------------------------------------------------------------------

test('refs: a commit, a release tag, a branch; GitHub repositories and downloads; archive names', () => {
  assert.deepEqual(['4dbd495e9f3d87a83c3201ef9d851e85f7133db7', 'v2.4.3', '0.8.0', 'release-1.11.0', 'VER-2-13-2', 'gz-math7_7.4.0', 'v0.7-3', 'releases/cpp/v1.4.0', 'curl-8_8_0']
    .map((r) => classifyRef(r).kind), ['commit', 'tag', 'tag', 'tag', 'tag', 'tag', 'tag', 'tag', 'tag']);
  assert.deepEqual(['ros2', 'master', 'humble', '2.2.x', '3.x', 'fix-build'].map((r) => classifyRef(r).kind), ['branch', 'branch', 'branch', 'branch', 'branch', 'branch']);
  assert.deepEqual(githubRepository('git@github.com:eProsima/Fast-DDS.git'), { owner: 'eProsima', repo: 'Fast-DDS' });
  assert.deepEqual(githubRepository('https://github.com/gabime/spdlog.git'), { owner: 'gabime', repo: 'spdlog' });
  assert.equal(githubRepository('https://git.savannah.gnu.org/git/freetype/freetype2.git'), undefined);
  assert.deepEqual(githubDownload('https://github.com/foxglove/mcap/archive/refs/tags/releases/cpp/v1.4.0.tar.gz'), { owner: 'foxglove', repo: 'mcap', ref: 'releases/cpp/v1.4.0', what: 'archive' });
  assert.deepEqual(githubDownload('https://github.com/foxglove/foxglove-sdk/releases/download/sdk%2Fv0.10.0/foxglove-v0.10.0-cpp-x86_64-unknown-linux-gnu.zip'), { owner: 'foxglove', repo: 'foxglove-sdk', ref: 'sdk/v0.10.0', what: 'release-asset' });
  assert.equal(githubDownload('https://github.com/a/b/archive/refs/heads/main.zip')!.what, 'branch-archive');
  assert.deepEqual(archiveNameVersion('https://www.sqlite.org/2024/sqlite-amalgamation-3450100.zip'), { file: 'sqlite-amalgamation-3450100', name: 'sqlite-amalgamation', version: '3450100' });
  assert.deepEqual(archiveNameVersion('https://www.libsdl.org/release/SDL2-2.0.20.tar.gz'), { file: 'SDL2-2.0.20', name: 'SDL2', version: '2.0.20' });
  assert.deepEqual(splitFolderName('date-3.0.4'), { name: 'date', version: '3.0.4' });
});

test('version headers: a version string macro, or MAJOR/MINOR/PATCH numbers', () => {
  assert.equal(versionFromHeader('#define QWT_VERSION       0x060300\n#define QWT_VERSION_STR   "6.3.0"\n'), '6.3.0');
  assert.equal(versionFromHeader('#define NLOHMANN_JSON_VERSION_MAJOR 3   // NOLINT\n#define NLOHMANN_JSON_VERSION_MINOR 11\n#define NLOHMANN_JSON_VERSION_PATCH 3\n'), '3.11.3');
  assert.equal(versionFromHeader('#define BOOST_VERSION 107300\n#define BOOST_LIB_VERSION "1_73"\n'), '1.73');
  assert.equal(versionFromHeader('#define NOT_A_VERSION "x"\n'), undefined);
});

test('CPM shorthand and a URL set per architecture: the same release whichever file is downloaded', () => {
  const pull = (keys: Record<string, string[]>, positional: string[] = []): Pull => ({
    method: 'CPMAddPackage', keys: new Map(Object.entries(keys).map(([k, v]) => [k, [{ val: { values: v }, kind: 'unquoted' as const, raw: k }]])),
    positional: positional.map((p) => ({ val: known(p), kind: 'quoted' as const, raw: p })), file: 'f', line: 1, conditions: [], test: false,
  });
  const id = (p: Pull) => { const i = identifyPull(p); return 'local' in i ? i.local : [i.purl, i.unknownVersion ?? '']; };
  assert.deepEqual(id(pull({}, ['gh:fmtlib/fmt@10.2.1'])), ['pkg:github/fmtlib/fmt@v10.2.1', '']);
  assert.deepEqual(id(pull({}, ['gh:nlohmann/json@3.11.3#v3.11.3'])), ['pkg:github/nlohmann/json@v3.11.3', '']);
  assert.deepEqual(id(pull({ NAME: ['x'], GITHUB_REPOSITORY: ['acme/x'], GIT_TAG: ['main'] })), ['pkg:github/acme/x', 'GIT_TAG "main" is a branch: the commit it builds changes over time']);
  assert.deepEqual(id(pull({ NAME: ['wasmer'], URL: ['https://github.com/wasmerio/wasmer/releases/download/v7.0.1/wasmer-linux-amd64.tar.gz', 'https://github.com/wasmerio/wasmer/releases/download/v7.0.1/wasmer-linux-aarch64.tar.gz'] })), ['pkg:github/wasmerio/wasmer@v7.0.1', '']);
  assert.match(id(pull({ NAME: ['x'], URL: ['https://a.org/x-1.0.tar.gz', 'https://a.org/x-2.0.tar.gz'] }))[1]!, /several possible values/);
});

// ---- submodules ----------------------------------------------------------------------------------

test('.gitmodules in git-config syntax: quoted names, comments, continuations, the deprecated dotted form', () => {
  const text = readFileSync(join(CMAKE, 'fast-dds/.gitmodules'), 'utf8');
  assert.deepEqual(parseGitmodules(text, '.gitmodules').map((s) => [s.name, s.path, s.url]), [
    ['thirdparty/android-ifaddrs', 'thirdparty/android-ifaddrs', 'https://github.com/michalsrb/android-ifaddrs.git'],
    ['thirdparty/asio', 'thirdparty/asio', 'https://github.com/chriskohlhoff/asio.git'],
    ['thirdparty/fastcdr', 'thirdparty/fastcdr', 'https://github.com/eProsima/Fast-CDR.git'],
    ['thirdparty/tinyxml2', 'thirdparty/tinyxml2', 'https://github.com/leethomason/tinyxml2.git'],
    ['thirdparty/dds-types-test', 'thirdparty/dds-types-test', 'https://github.com/eProsima/dds-types-test'],
  ]);
  assert.deepEqual(parseGitmodules('[submodule "a b"] # c\n\tpath = "x y" ; c\n  url = https://h/\\\n  r.git\n[submodule.old]\npath=o\nurl=u\n', 'g').map((s) => [s.name, s.path, s.url]), [['a b', 'x y', 'https://h/  r.git'], ['old', 'o', 'u']]);
  assert.throws(() => parseGitmodules('[submodule "x"\npath = a', '.gitmodules'), /line|malformed/);
  assert.deepEqual([...tagsFromPackedRefs('# pack-refs with: peeled\n1111111111111111111111111111111111111111 refs/tags/v1.0\n^2222222222222222222222222222222222222222\n3333333333333333333333333333333333333333 refs/heads/main\n')], [
    ['1111111111111111111111111111111111111111', ['v1.0']], ['2222222222222222222222222222222222222222', ['v1.0']],
  ]);
});

const hasGit = spawnSync('git', ['--version']).status === 0;
if (!hasGit && process.env['CI']) throw new Error('git is not installed; .ci/run installs it');
const git = (cwd: string, ...args: string[]) => {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', '-c', 'init.defaultBranch=main', '-c', 'protocol.file.allow=always', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

test('git config reads every .gitmodules as Marque does (git config --list)', { skip: !hasGit && 'git not installed (.ci/run installs it)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-gitconfig-'));
  const texts = [
    readFileSync(join(CMAKE, 'fast-dds/.gitmodules'), 'utf8'), readFileSync(join(CMAKE, 'ouster-ros/.gitmodules'), 'utf8'),
    '[submodule "a b"] # c\n\tpath = "x y" ; c\n  url = https://h/\\\n  r.git\n[submodule.old]\npath=o\nurl=u\n[core]\n\tbare\n',
  ];
  for (const [i, text] of texts.entries()) {
    const file = join(dir, `${i}.gitmodules`);
    writeFileSync(file, text);
    const theirs = git(dir, 'config', '-f', file, '--list').trim().split('\n');
    const ours = parseGitConfig(text, file).map((e) => `${e.section}.${e.subsection !== undefined ? `${e.subsection}.` : ''}${e.key}${e.implicit ? '' : `=${e.value}`}`);
    assert.deepEqual(ours, theirs);
  }
});

test('git index versions 2, 3 and 4: the gitlinks git ls-files -s lists', { skip: !hasGit && 'git not installed (.ci/run installs it)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-index-'));
  git(dir, 'init', '-q');
  for (let i = 0; i < 40; i++) { mkdirSync(join(dir, `d${i % 7}`), { recursive: true }); writeFileSync(join(dir, `d${i % 7}`, `file-${'x'.repeat(i)}.txt`), `${i}`); }
  git(dir, 'add', '.');
  git(dir, 'update-index', '--add', '--cacheinfo', '160000,401c647844b801784535e5a5ae2c2962d4f85cd1,ouster-sdk');
  git(dir, 'update-index', '--add', '--cacheinfo', '160000,7d33a3b51a1585f5631b0a8d905bcc4f249d0f34,thirdparty/fastcdr');
  for (const step of ['v2', 'v3', 'v4']) {
    if (step === 'v3') { writeFileSync(join(dir, 'new.txt'), 'n'); git(dir, 'add', '-N', 'new.txt'); }
    if (step === 'v4') git(dir, 'update-index', '--index-version', '4');
    const theirs = new Map(git(dir, 'ls-files', '-s').split('\n').filter((l) => l.startsWith('160000')).map((l) => { const [meta, path] = l.split('\t'); return [path!, meta!.split(' ')[1]!]; }));
    const index = readGitIndex(readFileSync(join(dir, '.git/index')), '.git/index');
    assert.equal(`v${index.version}`, step);
    assert.deepEqual(index.gitlinks, theirs);
    assert.equal(theirs.size, 2);
  }
  const buf = readFileSync(join(dir, '.git/index'));
  buf[40] ^= 1;
  assert.throws(() => readGitIndex(buf, '.git/index'), /checksum/);
});

test('a submodule in a git checkout: the commit the superproject records, named by the tag the submodule\'s own refs give it', { skip: !hasGit && 'git not installed (.ci/run installs it)' }, async () => {
  const base = mkdtempSync(join(tmpdir(), 'marque-submodule-'));
  const upstream = join(base, 'upstream');
  mkdirSync(upstream);
  git(upstream, 'init', '-q');
  writeFileSync(join(upstream, 'CMakeLists.txt'), 'project(ouster_client VERSION 0.13.0)\n');
  git(upstream, 'add', '.');
  git(upstream, 'commit', '-q', '-m', 'one');
  git(upstream, 'tag', '-a', '-m', 'release', '20240101');
  git(upstream, 'tag', '-a', '-m', 'release', 'v0.13.0');
  const commit = git(upstream, 'rev-parse', 'HEAD').trim();
  // The product: ouster-ros's real files, its submodule added from the local upstream, then the URL its .gitmodules names.
  const product = join(base, 'ouster-ros');
  cpSync(join(CMAKE, 'ouster-ros'), product, { recursive: true });
  const gitmodules = readFileSync(join(product, '.gitmodules'), 'utf8');
  git(product, 'init', '-q');
  git(product, 'submodule', '-q', 'add', upstream, 'ouster-sdk');
  writeFileSync(join(product, '.gitmodules'), gitmodules);
  git(product, 'add', '.');
  git(product, 'commit', '-q', '-m', 'product');
  const inv = await buildInventory({ target: product });
  const sdk = inv.components.find((c) => c.properties?.['vendored:method'] === 'git submodule')!;
  assert.equal(sdk.purl, 'pkg:github/ouster-lidar/ouster_example@v0.13.0');
  assert.equal(sdk.properties!['vendored:commit'], commit);
  assert.equal(sdk.properties!['vendored:declared-version'], '0.13.0 (project() in ouster-sdk/CMakeLists.txt)');
  assert.ok(inv.dependencies.some((d) => d.from === 'pkg:ros/ouster_ros@0.15.0?distro=jazzy' && d.to === sdk.purl));
  // Not a checkout (the same files without .git): the submodule is listed, its version said unknown.
  const plain = await buildInventory({ target: join(CMAKE, 'ouster-ros') });
  const bare = plain.components.find((c) => c.properties?.['vendored:method'] === 'git submodule')!;
  assert.equal(bare.purl, 'pkg:github/ouster-lidar/ouster_example');
  assert.match(bare.properties!['marque:version']!, /not a git checkout/);
});

// ---- the real repositories -----------------------------------------------------------------------

type Row = [purl: string, method: string, from: string, unknown: string];

/** Every component a build pulls in: purl, how, which package pulls it (kind, condition), why its version is unknown. */
function pulledIn(inv: ProductInventory): Row[] {
  const name = new Map(inv.components.map((c) => [c.purl, c.name]));
  return inv.components.filter((c) => c.properties?.['vendored:method']).map((c) => {
    const from = inv.dependencies.filter((d) => d.to === c.purl).map((d) => `${name.get(d.from)}/${d.kind}${d.condition ? ` if ${d.condition}` : ''}`).join(', ');
    const unknown = c.properties!['marque:version']?.replace(/^unknown: /, '') ?? '';
    return [c.purl, c.properties!['vendored:method']!, from, unknown] as Row;
  }).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

const scan = (name: string) => buildInventory({ target: join(CMAKE, name) });

test('micro-ROS-Agent (jazzy): SuperBuild.cmake pulls Micro-XRCE-DDS-Agent v2.4.3 (the code that listens on UDP) unless one is installed', async () => {
  const inv = await scan('micro-ros-agent');
  assert.deepEqual(pulledIn(inv), [
    ['pkg:github/eprosima/micro-xrce-dds-agent@v2.4.3', 'ExternalProject_Add', 'micro_ros_agent/runtime if NOT xrceagent_FOUND', ''],
  ]);
  const agent = inv.components.find((c) => c.name === 'micro-xrce-dds-agent')!;
  assert.equal(agent.properties!['vendored:declared-at'], 'micro_ros_agent/cmake/SuperBuild.cmake:25');
  assert.deepEqual(agent.provenance, { type: 'git', url: 'https://github.com/eProsima/Micro-XRCE-DDS-Agent.git', version: 'v2.4.3' });
  assert.equal(agent.root, false);
  assert.equal(agent.kind, 'runtime');
  assert.equal(agent.depth, 1);
  // Its own SuperBuild (Fast CDR, spdlog, ...) is fetched at build time and not read: its composition is unknown.
  assert.equal(agent.dependenciesComplete, false);
  // ExternalProject_Add(micro_ros_agent SOURCE_DIR ${PROJECT_SOURCE_DIR}) is the package itself, not a component.
  assert.equal(inv.components.filter((c) => c.name === 'micro_ros_agent').length, 1);
});

test('micro-ROS-Agent (humble): GIT_TAG ros2 is a branch: listed without a version, with the reason, and the composition unknown', async () => {
  const inv = await scan('micro-ros-agent-humble');
  assert.deepEqual(pulledIn(inv), [
    ['pkg:github/eprosima/micro-xrce-dds-agent', 'ExternalProject_Add', 'micro_ros_agent/runtime if NOT xrceagent_FOUND', 'GIT_TAG "ros2" is a branch: the commit it builds changes over time'],
  ]);
  const agent = inv.components.find((c) => c.name === 'micro-xrce-dds-agent')!;
  assert.equal(agent.version, '');
  assert.equal(agent.dependenciesComplete, false);
  assert.ok(inv.notes.some((n) => /1 source\(s\) the C\/C\+\+ build pulls in have no version.*micro-xrce-dds-agent/.test(n)));
});

test('Micro-XRCE-DDS-Agent: tags from variables set in CMakeLists.txt before include(SuperBuild.cmake), options at their defaults', async () => {
  const inv = await scan('micro-xrce-dds-agent');
  assert.deepEqual(pulledIn(inv), [
    // set(_fastcdr_tag 2.2.x) / set(_fastdds_tag 3.x): maintenance branches, not releases.
    ['pkg:github/eprosima/fast-cdr', 'ExternalProject_Add', 'microxrcedds_agent/runtime if NOT fastcdr_FOUND', 'GIT_TAG "2.2.x" is a maintenance branch: the commit it builds changes over time'],
    ['pkg:github/eprosima/fast-dds', 'ExternalProject_Add', 'microxrcedds_agent/runtime if NOT fastdds_FOUND', 'GIT_TAG "3.x" is a maintenance branch: the commit it builds changes over time'],
    // _microxrcedds_client_tag = ${UAGENT_P2P_CLIENT_TAG}, a cache default; P2P stays on on Linux.
    ['pkg:github/eprosima/micro-xrce-dds-client@v3.0.0', 'ExternalProject_Add', 'microxrcedds_agent/runtime if NOT microxrcedds_client_FOUND', ''],
    ['pkg:github/foonathan/memory@v0.7-3', 'ExternalProject_Add', 'microxrcedds_agent/runtime if NOT foonathan_memory_FOUND', ''],
    ['pkg:github/gabime/spdlog@v1.9.2', 'ExternalProject_Add', 'microxrcedds_agent/runtime if NOT spdlog_FOUND', ''],
  ]);
  // A plain CMake project at the root: first-party, named by its project() call.
  const project = inv.components.find((c) => c.properties?.['cmake:project'])!;
  assert.deepEqual([project.purl, project.root], ['pkg:generic/microxrcedds_agent@3.0.1', true]);
  // googletest is pulled only with UAGENT_BUILD_TESTS (option, OFF): said, not listed.
  assert.ok(inv.notes.some((n) => /ExternalProject_Add\(googletest\) at cmake\/SuperBuild.cmake:200 \(when UAGENT_BUILD_TESTS\)/.test(n)));
});

test('the ROS 2 core vendor packages: which upstream each builds, at which version; package.xml versions are their own', async () => {
  const rows: Row[] = [];
  for (const name of ['spdlog_vendor', 'yaml_cpp_vendor', 'libyaml_vendor', 'tinyxml2_vendor', 'foonathan_memory_vendor', 'mimick_vendor', 'orocos_kdl_vendor', 'rviz', 'rosbag2', 'rmw_zenoh']) rows.push(...pulledIn(await scan(name)));
  assert.deepEqual(rows, [
    ['pkg:github/gabime/spdlog@v1.12.0', 'ament_vendor', 'spdlog_vendor/runtime if NOT spdlog_FOUND', ''],
    ['pkg:github/jbeder/yaml-cpp@0.8.0', 'ament_vendor', 'yaml_cpp_vendor/runtime if NOT yaml-cpp_FOUND', ''],
    ['pkg:github/yaml/libyaml@0.2.5', 'ament_vendor', 'libyaml_vendor/runtime if NOT yaml_FOUND', ''],
    // tinyxml2_vendor only finds the system's tinyxml2: nothing.
    ['pkg:github/foonathan/memory@v0.7-3', 'ExternalProject_Add', 'foonathan_memory_vendor/runtime if NOT _EXIT_CODE EQUAL 0', ''],
    ['pkg:github/ros2/mimick@4dbd495e9f3d87a83c3201ef9d851e85f7133db7', 'ament_vendor', 'mimick_vendor/runtime', ''],
    // The same commit twice: an ament_vendor git checkout, and python_orocos_kdl_vendor's FetchContent of its GitHub archive.
    ['pkg:github/orocos/orocos_kinematics_dynamics@ce4bcb65a050615b6d7f21bc60fbb2656515791b', 'ament_vendor', 'orocos_kdl_vendor/runtime if NOT orocos_kdl_FOUND, python_orocos_kdl_vendor/runtime if NOT pykdl_FOUND', ''],
    ['pkg:github/assimp/assimp@v5.3.1', 'ament_vendor', 'rviz_assimp_vendor/runtime if NOT assimp_FOUND', ''],
    ['pkg:github/ogrecave/ogre@v1.12.10', 'ament_vendor', 'rviz_ogre_vendor/runtime', ''],
    ['pkg:generic/sqlite-amalgamation@3450100?download_url=https%3A%2F%2Fwww.sqlite.org%2F2024%2Fsqlite-amalgamation-3450100.zip', 'ament_vendor', 'sqlite3_vendor/runtime if NOT SQLite3_FOUND', ''],
    ['pkg:github/cameron314/readerwriterqueue@ef7dfbf553288064347d51b8ac335f1ca489032a', 'ExternalProject_Add', 'shared_queues_vendor/runtime', ''],
    ['pkg:github/facebook/zstd@v1.5.5', 'ament_vendor', 'zstd_vendor/runtime if NOT zstd_FOUND', ''],
    ['pkg:github/foxglove/mcap@releases%2Fcpp%2Fv1.4.0', 'FetchContent_Declare', 'mcap_vendor/runtime', ''],
    ['pkg:github/lz4/lz4@v1.9.4', 'ament_vendor', 'liblz4_vendor/runtime if NOT lz4_FOUND', ''],
    ['pkg:github/eclipse-zenoh/zenoh-c@134dbfa06ca212def5fb51dd8e816734dfd8dff6', 'ament_vendor', 'zenoh_c_vendor/runtime', ''],
  ]);
  const rviz = await scan('rviz');
  // freetype and zlib are vendored on Windows only (if(WIN32)); on Linux they are said, not listed.
  assert.ok(rviz.notes.some((n) => /ament_vendor\(freetype_vendor\) at rviz_ogre_vendor\/CMakeLists.txt:16 \(when WIN32\)/.test(n)));
  const spdlog = await scan('spdlog_vendor');
  const vendor = spdlog.components.find((c) => c.name === 'spdlog_vendor')!;
  assert.equal(vendor.version, '1.7.0');
  assert.equal(vendor.properties!['vendored:upstream'], 'pkg:github/gabime/spdlog@v1.12.0');
  const tiny = await scan('tinyxml2_vendor');
  assert.ok(tiny.notes.some((n) => /vendor package\(s\) download or vendor nothing.*: tinyxml2_vendor$/.test(n)));
  // A download pinned by hash: the hash is the component's; the patches applied are said.
  const bag = await scan('rosbag2');
  const queue = bag.components.find((c) => c.name === 'readerwriterqueue')!;
  assert.deepEqual(queue.hashes, [{ alg: 'MD5', value: '64c673dd381b8fae9254053ad7b2be4d', source: 'URL_MD5' }]);
  assert.equal(queue.distribution, 'https://github.com/cameron314/readerwriterqueue/archive/ef7dfbf553288064347d51b8ac335f1ca489032a.zip');
  assert.match(bag.components.find((c) => c.name === 'zstd')!.properties!['vendored:patched']!, /PATCHES/);
});

test('ros2_tracing and foxglove_bridge: nothing vendored in the default configuration, and nothing invented', async () => {
  assert.deepEqual(pulledIn(await scan('ros2_tracing')), []);
  const fox = await scan('foxglove_bridge');
  assert.deepEqual(pulledIn(fox), []);
  // The Foxglove SDK is downloaded only with USE_FOXGLOVE_SDK (an option, OFF by default).
  assert.ok(fox.notes.some((n) => /FetchContent_Declare\(foxglove_sdk\) at CMakeLists.txt:71 \(when USE_FOXGLOVE_SDK\)/.test(n)));
});

/** A copy of a fixture made a git checkout whose remotes are `remotes` (name → URL): only .git/config, which is all Marque reads for this. */
function checkout(fixture: string, remotes: Record<string, string>): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'marque-origin-')), fixture);
  cpSync(join(CMAKE, fixture), dir, { recursive: true });
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git', 'config'), ['[core]', '\trepositoryformatversion = 0', ...Object.entries(remotes).flatMap(([name, url]) => [`[remote "${name}"]`, `\turl = ${url}`, `\tfetch = +refs/heads/*:refs/remotes/${name}/*`]), ''].join('\n'));
  return dir;
}

test('foxglove-sdk: foxglove_bridge fetches a release of its own repository, first-party code in a checkout of that repository, never in a fork\'s', async () => {
  const SDK = 'pkg:github/foxglove/foxglove-sdk@sdk%2Fv0.26.0';
  const BRIDGE = 'pkg:ros/foxglove_bridge@3.4.3?distro=jazzy';
  const WHEN = '(CMAKE_SYSTEM_NAME STREQUAL "Linux" AND CMAKE_SYSTEM_PROCESSOR STREQUAL "aarch64") OR (CMAKE_SYSTEM_NAME STREQUAL "Linux" AND CMAKE_SYSTEM_PROCESSOR STREQUAL "x86_64")';
  const own = await buildInventory({ target: checkout('foxglove-sdk', { origin: 'git@github.com:foxglove/foxglove-sdk.git' }) });
  const sdk = own.components.find((c) => c.purl === SDK)!;
  // Still a component with its version (the product's own advisories name it), but the product's own code.
  assert.equal(sdk.version, 'sdk/v0.26.0');
  assert.equal(sdk.firstParty, true);
  assert.equal(sdk.root, false);
  assert.match(sdk.properties!['vendored:first-party']!, /remote "origin" in \.git\/config: git@github\.com:foxglove\/foxglove-sdk\.git/);
  assert.ok(own.dependencies.some((d) => d.from === BRIDGE && d.to === SDK && d.kind === 'runtime' && d.condition === WHEN));
  // The condition as a person reads it; what the build machine says about its processor decides it, as the else() with FATAL_ERROR does.
  assert.equal(sdk.properties!['vendored:condition'], WHEN);
  const written = 'NOT (NOT (CMAKE_SYSTEM_NAME STREQUAL "Linux" AND CMAKE_SYSTEM_PROCESSOR STREQUAL "aarch64") AND NOT (CMAKE_SYSTEM_NAME STREQUAL "Linux" AND CMAKE_SYSTEM_PROCESSOR STREQUAL "x86_64"))';
  for (const [cpu, expected] of [['x86_64', true], ['aarch64', true], ['armv7l', false], [undefined, undefined]] as const) {
    const v = vars(cpu ? { CMAKE_SYSTEM_NAME: 'Linux', CMAKE_SYSTEM_PROCESSOR: cpu } : { CMAKE_SYSTEM_NAME: 'Linux' });
    const truth = (text: string) => evaluateCondition(evaluateArgs(tokenize(`if(${text})`, 'f')[0]!.args, v), v);
    assert.equal(truth(WHEN), expected, cpu);
    assert.equal(truth(written), expected, cpu);
  }
  // Not a checkout (a release tarball): nothing says which repository the product is, so it stays third-party.
  const plain = await buildInventory({ target: join(CMAKE, 'foxglove-sdk') });
  assert.equal(plain.components.find((c) => c.purl === SDK)!.firstParty, undefined);
  // A fork's checkout: foxglove's release is not acme's code. origin decides over another remote naming the same repository.
  for (const remotes of [{ origin: 'https://github.com/acme/foxglove-sdk.git' } as Record<string, string>, { origin: 'https://github.com/acme/foxglove-sdk', upstream: 'https://github.com/foxglove/foxglove-sdk' }, { origin: 'https://gitlab.com/foxglove/foxglove-sdk.git' }]) {
    const fork = await buildInventory({ target: checkout('foxglove-sdk', remotes) });
    const c = fork.components.find((x) => x.purl === SDK)!;
    assert.equal(c.firstParty, undefined, JSON.stringify(remotes));
    assert.equal(c.properties!['vendored:first-party'], undefined);
  }
  // The counts: one component fewer that ships as third-party, one more first-party.
  const before = countComponents(plain.components), after = countComponents(own.components);
  assert.deepEqual([after.firstParty - before.firstParty, after.counted - before.counted, after.all - before.all], [1, -1, 0]);
});

test('repository URLs: the forms of one repository are one key; another owner, host or name is another', () => {
  const key = repositoryKey('https://github.com/foxglove/foxglove-sdk');
  for (const u of ['git@github.com:Foxglove/foxglove-sdk.git', 'ssh://git@github.com/foxglove/foxglove-sdk', 'git+https://github.com/foxglove/foxglove-sdk.git/']) assert.equal(repositoryKey(u), key, u);
  for (const u of ['https://github.com/acme/foxglove-sdk', 'https://github.com/foxglove/foxglove-sdk-fork', 'https://gitlab.com/foxglove/foxglove-sdk']) assert.notEqual(repositoryKey(u), key, u);
  assert.equal(repositoryKey('git@gitlab.example.org:team/lib.git'), repositoryKey('https://user@gitlab.example.org/team/lib'));
  assert.equal(repositoryKey('not a url'), undefined);
});

test('a pull that builds from a folder of the scanned tree: the product\'s own code, unless the folder shows it is someone else\'s', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-local-source-'));
  writeFileSync(join(dir, 'CMakeLists.txt'), [
    'cmake_minimum_required(VERSION 3.16)',
    'project(app VERSION 1.0)',
    'include(ExternalProject)',
    'ExternalProject_Add(core SOURCE_DIR ${CMAKE_CURRENT_SOURCE_DIR}/core)',
    'ExternalProject_Add(zlib SOURCE_DIR ${CMAKE_CURRENT_SOURCE_DIR}/libs/zlib-1.3.1)',
  ].join('\n'));
  mkdirSync(join(dir, 'core'));
  writeFileSync(join(dir, 'core', 'CMakeLists.txt'), 'project(core)\n');
  mkdirSync(join(dir, 'libs', 'zlib-1.3.1'), { recursive: true });
  writeFileSync(join(dir, 'libs', 'zlib-1.3.1', 'CMakeLists.txt'), 'project(zlib)\n');
  writeFileSync(join(dir, 'libs', 'zlib-1.3.1', 'LICENSE'), 'zlib License\n');
  const inv = await buildInventory({ target: dir });
  const core = inv.components.find((c) => c.properties?.['vendored:path'] === 'core')!;
  assert.equal(core.firstParty, true);
  assert.match(core.properties!['vendored:first-party']!, /a folder of the scanned tree/);
  const zlib = inv.components.find((c) => c.properties?.['vendored:path'] === 'libs/zlib-1.3.1')!;
  assert.equal(zlib.version, '1.3.1');
  assert.equal(zlib.firstParty, undefined);
});

test('PlotJuggler: CPM downloads, add_subdirectory of 3rdparty/ folders, and third-party folders no build file names', async () => {
  const inv = await scan('plotjuggler');
  assert.deepEqual(pulledIn(inv), [
    ['pkg:generic/QCodeEditor', 'add_subdirectory', 'plotjuggler/runtime', '3rdparty/QCodeEditor declares no version (no project() VERSION, version file or header, or version in its name)'],
    ['pkg:generic/QtADS', 'add_subdirectory', 'plotjuggler/runtime', '3rdparty/Qt-Advanced-Docking declares no version (no project() VERSION, version file or header, or version in its name)'],
    ['pkg:generic/backward', 'add_subdirectory', 'plotjuggler/runtime', '3rdparty/backward-cpp declares no version (no project() VERSION, version file or header, or version in its name)'],
    ['pkg:generic/color_widgets', 'add_subdirectory', 'plotjuggler/runtime', '3rdparty/color_widgets declares no version (no project() VERSION, version file or header, or version in its name)'],
    ['pkg:generic/date@3.0.4', 'third-party folder', 'plotjuggler/runtime', ''],
    ['pkg:generic/qwt@6.3.0', 'add_subdirectory', 'plotjuggler/runtime', ''],
    ['pkg:generic/sol2@3.5.0', 'third-party folder', 'plotjuggler/runtime', ''],
    ['pkg:github/facebook/zstd@v1.5.7', 'CPMAddPackage', 'plotjuggler/runtime if NOT TARGET zstd::libzstd_static', ''],
    ['pkg:github/fmtlib/fmt@11.2.0', 'CPMAddPackage', 'plotjuggler/runtime if NOT fmt_FOUND AND NOT TARGET fmt', ''],
    ['pkg:github/lua/lua@v5.4.7', 'CPMAddPackage', 'plotjuggler/runtime if NOT LUA_FOUND AND NOT TARGET lua_static', ''],
    ['pkg:github/lz4/lz4@v1.10.0', 'CPMAddPackage', 'plotjuggler/runtime if NOT TARGET LZ4::lz4_static', ''],
    ['pkg:github/nlohmann/json@v3.12.0', 'CPMAddPackage', 'plotjuggler/runtime if NOT NLOHMANN_JSON_FOUND AND NOT TARGET nlohmann_json', ''],
    ['pkg:github/picknikrobotics/data_tamer@1.0.3', 'CPMAddPackage', 'plotjuggler/runtime if NOT (TARGET data_tamer_parser OR TARGET data_tamer::parser) AND NOT DATA_TAMER_PARSER_INCLUDE_DIR', ''],
    // The release asset differs per architecture; the release does not.
    ['pkg:github/wasmerio/wasmer@v7.0.1', 'CPMAddPackage', 'plotjuggler/runtime if NOT COMPILING_WITH_AMENT AND NOT TARGET wasmer::wasmer AND WASMER_URL', ''],
  ]);
  const qwt = inv.components.find((c) => c.name === 'qwt')!;
  assert.equal(qwt.properties!['vendored:version-from'], '3rdparty/qwt/src/qwt_global.h');
  assert.equal(qwt.properties!['vendored:license-file'], '3rdparty/qwt/COPYING');
  assert.match(inv.components.find((c) => c.name === 'wasmer')!.properties!['vendored:alternatives']!, /wasmer-linux-amd64.tar.gz, .*wasmer-linux-aarch64.tar.gz/);
  assert.match(inv.components.find((c) => c.name === 'fmt')!.properties!['vendored:integrity']!, /no URL_HASH/);
  // The application and plugin folders are not in the fixture: said, as folders whose downloads may be missing.
  assert.ok(inv.notes.some((n) => /add_subdirectory\(plotjuggler_app\) at CMakeLists.txt:317/.test(n)));
});

test('slam_toolbox: lib/karto_sdk, added with add_subdirectory, is OpenKarto with its own package.xml, version and licence', async () => {
  const inv = await scan('slam_toolbox');
  assert.deepEqual(pulledIn(inv), [['pkg:generic/karto_sdk@1.1.4', 'add_subdirectory', 'slam_toolbox/runtime', '']]);
  const karto = inv.components.find((c) => c.name === 'karto_sdk')!;
  assert.deepEqual(karto.licensesDeclared, ['LGPLv3']);
  assert.equal(karto.properties!['vendored:evidence'], 'its own licence file (LICENSE); its own package.xml');
  // The nested package.xml is not a workspace package (colcon does not look inside a package).
  assert.equal(inv.components.filter((c) => c.ecosystem === 'ros' && c.root).length, 1);
});

test('Fast DDS: git submodules without a checkout, header-only libraries under thirdparty/ with their versions from their headers', async () => {
  const inv = await scan('fast-dds');
  const notCheckedOut = (path: string) => `not a git checkout (no .git): the commit the superproject records for ${path} is not known`;
  assert.deepEqual(pulledIn(inv), [
    ['pkg:generic/boost@1.73', 'third-party folder', 'fastdds/runtime', ''],
    ['pkg:generic/filewatch', 'third-party folder', 'fastdds/runtime', 'thirdparty/filewatch declares no version (no project() VERSION, version file or header, or version in its name)'],
    ['pkg:generic/nlohmann-json@3.11.3', 'third-party folder', 'fastdds/runtime', ''],
    ['pkg:generic/optionparser', 'add_subdirectory', 'fastdds/runtime', 'thirdparty/optionparser declares no version (no project() VERSION, version file or header, or version in its name)'],
    ['pkg:generic/taocpp-pegtl@2.8.3', 'third-party folder', 'fastdds/runtime', ''],
    ['pkg:github/chriskohlhoff/asio', 'git submodule', 'fastdds/runtime', notCheckedOut('thirdparty/asio')],
    ['pkg:github/eprosima/dds-types-test', 'git submodule', 'fastdds/runtime', notCheckedOut('thirdparty/dds-types-test')],
    ['pkg:github/eprosima/fast-cdr', 'git submodule', 'fastdds/runtime', notCheckedOut('thirdparty/fastcdr')],
    ['pkg:github/leethomason/tinyxml2', 'git submodule', 'fastdds/runtime', notCheckedOut('thirdparty/tinyxml2')],
    ['pkg:github/michalsrb/android-ifaddrs', 'git submodule', 'fastdds/runtime', notCheckedOut('thirdparty/android-ifaddrs')],
  ]);
  // With THIRDPARTY at its default (OFF) no add_subdirectory() builds the submodules: said on each.
  assert.match(inv.components.find((c) => c.name === 'asio')!.properties!['vendored:built-by']!, /no add_subdirectory\(\)/);
  assert.ok(inv.notes.some((n) => /add_subdirectory\(src\/cpp\) at CMakeLists.txt:433/.test(n)));
});

test('SBOM: a pulled-in source is a component under its package, its composition unknown; a version unknown leaves no version in its purl', async () => {
  const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'bin', 'marque.js'), 'sbom', join(CMAKE, 'micro-ros-agent-humble'), '--format', 'cyclonedx'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const bom = JSON.parse(r.stdout) as { components: { 'bom-ref': string; purl: string; properties?: { name: string; value: string }[] }[]; dependencies: { ref: string; dependsOn?: string[] }[]; compositions: { aggregate: string; dependencies: string[] }[] };
  const agent = bom.components.find((c) => c.purl === 'pkg:github/eprosima/micro-xrce-dds-agent')!;
  assert.ok(agent);
  assert.ok(agent.properties!.some((p) => p.name === 'marque:version' && /GIT_TAG "ros2" is a branch/.test(p.value)));
  const pkg = bom.components.find((c) => c.purl.startsWith('pkg:ros/micro_ros_agent@'))!;
  assert.ok(bom.dependencies.find((d) => d.ref === pkg['bom-ref'])!.dependsOn!.includes(agent['bom-ref']));
  assert.ok(bom.compositions.find((c) => c.aggregate === 'unknown')!.dependencies.includes(agent['bom-ref']));
});

// ---- advisories ----------------------------------------------------------------------------------

const run = (...args: string[]) => spawnSync(process.execPath, [join(import.meta.dirname, '..', 'bin', 'marque.js'), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

test('advisories: the Assimp rviz_assimp_vendor builds (v5.3.1) is matched by the GIT range of CVE-2024-40724; a branch-pinned source is not', () => {
  const db = join(mkdtempSync(join(tmpdir(), 'marque-vendored-db-')), 'advisories.sqlite');
  const imported = run('db', 'import', join(FIXTURES, 'osv-vendored'), '--db', db);
  assert.equal(imported.status, 0, imported.stderr);
  const r = run('vulns', join(CMAKE, 'rviz'), '--db', db, '--json', '--now', '2024-08-20T00:00:00Z');
  const out = JSON.parse(r.stdout) as { findings: { advisory: string; component: string }[] };
  assert.deepEqual(out.findings.map((f) => [f.advisory, f.component]), [['CVE-2024-40724', 'pkg:github/assimp/assimp@v5.3.1']]);
  // GIT data on a repository matches its tags only: micro-ROS-Agent humble's branch has no version to match.
  const humble = JSON.parse(run('vulns', join(CMAKE, 'micro-ros-agent-humble'), '--db', db, '--json').stdout) as { findings: unknown[]; coverage: { gaps: { component: string; reason: string }[] } };
  assert.deepEqual(humble.findings, []);
  assert.ok(humble.coverage.gaps.some((g) => g.component === 'pkg:github/eprosima/micro-xrce-dds-agent'));
});

test('advisories: a git source on another host is matched through its purl\'s vcs_url, by tag', async () => {
  const { repositoryOf } = await import('../src/advisories/match.ts');
  const id = identifyPull({ method: 'ament_vendor', name: 'freetype_vendor', positional: [], file: 'f', line: 1, conditions: [], test: false,
    keys: new Map([['VCS_URL', [{ val: known('https://git.savannah.gnu.org/git/freetype/freetype2.git'), kind: 'unquoted' as const, raw: '' }]], ['VCS_VERSION', [{ val: known('VER-2-13-2'), kind: 'unquoted' as const, raw: '' }]]]) });
  assert.ok(!('local' in id));
  assert.equal(id.purl, 'pkg:generic/freetype2@VER-2-13-2?vcs_url=git%2Bhttps%3A%2F%2Fgit.savannah.gnu.org%2Fgit%2Ffreetype%2Ffreetype2.git%40VER-2-13-2');
  assert.deepEqual(repositoryOf({ purl: id.purl, name: id.name, version: id.version, ecosystem: 'generic', licenses: [] }), { repos: ['git.savannah.gnu.org/git/freetype/freetype2'], version: 'VER-2-13-2' });
});

// ---- CMake itself as the oracle ------------------------------------------------------------------

const hasCMake = spawnSync('cmake', ['--version']).status === 0 && spawnSync('c++', ['--version']).status === 0;
if (!hasCMake && process.env['CI']) throw new Error('cmake or a C++ compiler is not installed; .ci/run installs cmake and g++');

/** The ExternalProject_Add calls a real configure makes (--trace-expand): name, repository and tag as CMake expands them. */
function configured(source: string): string[] {
  const build = mkdtempSync(join(tmpdir(), 'marque-cmake-'));
  const trace = join(build, 'trace.json');
  const r = spawnSync('cmake', ['-S', source, '-B', join(build, 'b'), '--trace-expand', '--trace-format=json-v1', `--trace-redirect=${trace}`, '-Wno-dev'], { encoding: 'utf8', env: { ...process.env, CMAKE_PREFIX_PATH: build } });
  assert.equal(r.status, 0, r.stderr);
  const out: string[] = [];
  for (const line of readFileSync(trace, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as { file?: string; cmd?: string; args?: string[] };
    if (e.cmd?.toLowerCase() !== 'externalproject_add' || !e.file?.startsWith(source)) continue;
    const at = (k: string) => { const i = e.args!.indexOf(k); return i >= 0 ? e.args![i + 1] : undefined; };
    if (at('GIT_REPOSITORY')) out.push(`${e.args![0]} ${at('GIT_REPOSITORY')} ${at('GIT_TAG')}`);
  }
  return out.sort();
}

for (const [fixture, dir] of [['micro-ros-agent', 'micro-ros-agent/micro_ros_agent'], ['micro-ros-agent-humble', 'micro-ros-agent-humble/micro_ros_agent'], ['micro-xrce-dds-agent', 'micro-xrce-dds-agent']] as const) {
  test(`CMake's own configure of ${fixture} downloads what Marque lists, from the same repository at the same tag`, { skip: !hasCMake && 'cmake or c++ not installed (.ci/run installs them)' }, async () => {
    // A copy: configure writes nothing into the fixture.
    const copy = join(mkdtempSync(join(tmpdir(), 'marque-src-')), fixture);
    cpSync(join(CMAKE, fixture), copy, { recursive: true });
    const theirs = configured(join(copy, dir.slice(fixture.length)));
    assert.ok(theirs.length >= 1);
    const inv = await buildInventory({ target: copy });
    const ours = new Set(inv.components.filter((c) => c.properties?.['vendored:method'] === 'ExternalProject_Add').map((c) => `${c.provenance!.url} ${c.provenance!.version ?? c.properties!['vendored:ref']}`));
    // Every download CMake makes is listed by Marque (what CMake skips because a package is installed, Marque lists under a condition).
    for (const t of theirs) assert.ok(ours.has(t.split(' ').slice(1).join(' ')), `${t} not in ${[...ours].join('; ')}`);
  });
}

test('CMake\'s own expansion of every argument Marque knows: the same values, command by command (--trace-expand)', { skip: !hasCMake && 'cmake or c++ not installed (.ci/run installs them)' }, () => {
  let compared = 0;
  for (const [fixture, dir] of [['micro-xrce-dds-agent', ''], ['micro-ros-agent', '/micro_ros_agent']] as const) {
    const copy = join(mkdtempSync(join(tmpdir(), 'marque-src-')), fixture);
    cpSync(join(CMAKE, fixture), copy, { recursive: true });
    const source = copy + dir;
    const build = mkdtempSync(join(tmpdir(), 'marque-cmake-'));
    const trace = join(build, 'trace.json');
    const r = spawnSync('cmake', ['-S', source, '-B', join(build, 'b'), '--trace-expand', '--trace-format=json-v1', `--trace-redirect=${trace}`, '-Wno-dev'], { encoding: 'utf8', env: { ...process.env, CMAKE_PREFIX_PATH: build } });
    assert.equal(r.status, 0, r.stderr);
    const theirs = new Map<string, string[]>();
    for (const line of readFileSync(trace, 'utf8').split('\n')) {
      if (!line.startsWith('{')) continue;
      const e = JSON.parse(line) as { file?: string; line?: number; cmd?: string; args?: string[] };
      if (e.file?.startsWith(source)) theirs.set(`${e.file}:${e.line}:${e.cmd!.toLowerCase()}`, e.args!);
    }
    const ours: { key: string; values: (string | undefined)[] }[] = [];
    new CMakeReader({
      load: (p) => { try { return structure(tokenize(readFileSync(p, 'utf8'), p), p, []); } catch { return undefined; } },
      isFolder: () => false, enterSubdirectory: () => false, platform: LINUX, show: (p) => p,
      trace: (file, line, name, values) => ours.push({ key: `${file}:${line}:${name}`, values }),
    }).read(source);
    for (const { key, values } of ours) {
      const t = theirs.get(key);
      // A command CMake did not run (a branch Marque reads both ways), or an argument Marque cannot know, is not compared.
      if (!t || values.some((v) => v === undefined)) continue;
      assert.deepEqual(values, t, key);
      compared++;
    }
  }
  assert.ok(compared >= 80, `${compared} commands compared`);
});

test('the fixtures are the real files: every folder is named in SOURCES.md', () => {
  const sources = readFileSync(join(CMAKE, 'SOURCES.md'), 'utf8');
  for (const d of readdirSync(CMAKE, { withFileTypes: true }).filter((e) => e.isDirectory())) assert.ok(sources.includes(`\`${d.name}/\``), d.name);
});

test('hostile CMake files: deep nesting, long include chains, deep references and conditions end with a message, never a crash', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-cmake-hostile-'));
  writeFileSync(join(dir, 'package.xml'), '<package format="3"><name>p</name><version>1.0.0</version><description>d</description><maintainer email="m@example.org">m</maintainer><license>MIT</license><export><build_type>ament_cmake</build_type></export></package>\n');
  // Each file includes the next: a chain far deeper than any build.
  mkdirSync(join(dir, 'cmake'));
  for (let i = 0; i < 3000; i++) writeFileSync(join(dir, 'cmake', `f${i}.cmake`), `include(\${CMAKE_CURRENT_LIST_DIR}/f${i + 1}.cmake)\nExternalProject_Add(x${i} URL https://example.org/x-1.${i}.tar.gz)\n`);
  writeFileSync(join(dir, 'CMakeLists.txt'), [
    'project(p)',
    `if(${'('.repeat(5000)}A${')'.repeat(5000)})\nendif()`,
    `if(${'NOT '.repeat(5000)}A)\nendif()`,
    `set(X "${'${'.repeat(5000)}A${'}'.repeat(5000)}")`,
    'include(cmake/f0.cmake)',
  ].join('\n'));
  const inv = await buildInventory({ target: dir });
  assert.ok(inv.notes.some((n) => /nested deeper than 400 blocks, calls and includes/.test(n)), inv.notes.join('\n'));
  assert.ok(inv.components.filter((c) => c.properties?.['vendored:method']).length > 100);
  const deep = join(dir, 'deep');
  mkdirSync(deep);
  writeFileSync(join(deep, 'CMakeLists.txt'), 'if(A)\n'.repeat(5000) + 'ExternalProject_Add(x GIT_REPOSITORY https://github.com/a/x GIT_TAG v1.0)\n' + 'endif()\n'.repeat(5000));
  const refused = await buildInventory({ target: deep });
  assert.ok(refused.problems.some((p) => p.file === 'CMakeLists.txt' && p.line === 201 && /blocks nested deeper than 200/.test(p.message)));
});
