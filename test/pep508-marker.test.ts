// PEP 508 environment markers: parsed and evaluated in three values, checked against packaging (Debian's
// python3-packaging, which colcon's python3-pytest brings) on every marker of the real Python lockfiles of the
// fixtures, for concrete environments and over requires-python ranges.
import { missingTool } from './helpers/tools.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse as parseToml } from 'smol-toml';
import { evaluateMarker, MarkerError, parseMarker, type MarkerEnvironment } from '../src/parsers/pep508-marker.ts';
import { python, PYTHON } from './helpers/oracle.ts';
import { FIXTURES } from './helpers/paths.ts';

const LINUX = { sys_platform: 'linux', platform_system: 'Linux', os_name: 'posix' };
const ev = (m: string, env: MarkerEnvironment) => evaluateMarker(parseMarker(m), env);

test('markers: known values decide, unknown ones leave the marker undecided, and/or in three values', () => {
  assert.equal(ev('sys_platform == "win32"', { values: LINUX }), false);
  assert.equal(ev("sys_platform != 'win32'", { values: LINUX }), true);
  assert.equal(ev('platform_machine == "x86_64"', { values: LINUX }), undefined);
  assert.equal(ev('sys_platform == "win32" and platform_machine == "AMD64"', { values: LINUX }), false);
  assert.equal(ev('sys_platform == "linux" or platform_machine == "AMD64"', { values: LINUX }), true);
  assert.equal(ev('sys_platform == "linux" and platform_machine == "AMD64"', { values: LINUX }), undefined);
  assert.equal(ev('sys_platform == "win32"', {}), undefined);
  // `and` binds tighter than `or`; parentheses; the dotted spellings packaging still reads; a string on the left.
  assert.equal(ev('os_name == "nt" or sys_platform == "linux" and os_name == "posix"', { values: LINUX }), true);
  assert.equal(ev('(os_name == "nt" or sys_platform == "linux") and os_name == "nt"', { values: LINUX }), false);
  assert.equal(ev('sys.platform == "linux"', { values: LINUX }), true);
  assert.equal(ev('"linux" in sys_platform', { values: LINUX }), true);
  assert.equal(ev('"win" not in sys_platform', { values: LINUX }), true);
});

test('markers: python_version over the versions a range allows (requires-python)', () => {
  const r = (requiresPython: string) => ({ requiresPython });
  assert.equal(ev('python_version < "3.8"', r('>=3.10')), false);
  assert.equal(ev('python_version < "3.11"', r('>=3.10')), undefined);
  assert.equal(ev('python_version >= "3.10"', r('>=3.10')), true);
  assert.equal(ev('"3.8" > python_version', r('>=3.10')), false);
  assert.equal(ev('python_full_version < "3.10.2"', r('>=3.10')), undefined);
  assert.equal(ev('python_full_version < "3.10.2"', r('>=3.10.2')), false);
  assert.equal(ev("python_full_version == '3.14.*'", r('>=3.14, <4.0')), undefined);
  assert.equal(ev("python_full_version >= '3.14'", r('>=3.14, <4.0')), true);
  assert.equal(ev('python_version == "3.12"', r('== 3.12.*')), true);
  assert.equal(ev('python_version ~= "3.12"', r('>=3.12')), true);
  // No range: any Python, so only what holds for every one is decided.
  assert.equal(ev('python_version >= "2.0"', {}), true);
  assert.equal(ev('python_version < "3.8"', {}), undefined);
  // The lock's other variables stay unknown: the Python part alone cannot decide.
  assert.equal(ev('python_version < "3.8" or platform_machine == "x86_64"', r('>=3.10')), undefined);
  assert.equal(ev('python_version < "3.8" and platform_machine == "x86_64"', r('>=3.10')), false);
});

test('markers: PEP 751 extras and dependency_groups are sets of names, compared normalised; `extra` holds where it was asked for', () => {
  const groups = { extras: new Set<string>(), dependencyGroups: new Set(['default']) };
  assert.equal(ev('"dev" in dependency_groups', groups), false);
  assert.equal(ev('"default" in dependency_groups', groups), true);
  assert.equal(ev('"Dev_Tools" in dependency_groups', { ...groups, dependencyGroups: new Set(['dev-tools']) }), true);
  assert.equal(ev('"cb7" in extras and python_version < "3.14"', { ...groups, requiresPython: '>=3.10' }), false);
  assert.equal(ev('"cb7" in extras and python_version < "3.14"', { extras: new Set(['cb7']), dependencyGroups: new Set(), requiresPython: '>=3.10' }), undefined);
  assert.equal(ev('"dev" in dependency_groups', {}), undefined);
  assert.equal(ev('extra == "standard" and sys_platform != "win32"', { values: LINUX, extraAsked: true }), true);
  assert.equal(ev('extra == "standard" and sys_platform == "win32"', { values: LINUX, extraAsked: true }), false);
});

test('markers: what is not a marker is an error, never a guess', () => {
  for (const bad of ['python_version <', 'sys_platform == "linux', 'os_name = "nt"', 'nonsense == "1"', '(os_name == "nt"', 'os_name == "nt" os_name', '"a" == "b" and', `${'('.repeat(200)}os_name == "nt"${')'.repeat(200)}`, `os_name == "${'x'.repeat(20_000)}"`]) {
    assert.throws(() => parseMarker(bad), MarkerError, bad);
  }
});

/** Every marker of the real Python lockfiles in the fixtures: in dependency lists, on packages, resolution markers. */
function fixtureMarkers(): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, key: string) => {
    if (typeof v === 'string') {
      if (key === 'marker' || key === 'markers' || key === 'resolution-markers' || key === 'environments') out.add(v);
      else if (key === 'dependencies' && v.includes(';')) out.add(v.slice(v.indexOf(';') + 1).trim());
    } else if (Array.isArray(v)) for (const x of v) walk(x, key);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  const dirs = [join(FIXTURES, 'lockfiles')];
  while (dirs.length) {
    const d = dirs.pop()!;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) dirs.push(p);
      else if (/^(uv\.lock|pdm\.lock|poetry\.lock|pylock(\.[^.]+)?\.toml)$/.test(name)) walk(parseToml(readFileSync(p, 'utf8')), '');
    }
  }
  return [...out].sort();
}

const hasPackaging = existsPython() && spawnSync(PYTHON, ['-c', 'import packaging.markers']).status === 0;
function existsPython(): boolean { try { return statSync(PYTHON).isFile(); } catch { return false; } }

test('markers: every marker of the real lockfiles evaluates as packaging does, for concrete environments and over Python ranges', (t) => {
  if (!hasPackaging) { missingTool(t, 'packaging (python3-packaging, the oracle)', 'apt-get install python3-packaging; .ci/run installs it'); return; }
  // Markers on environments only: packaging before 25 knows no `extras`/`dependency_groups`, and `extra` is a request.
  const markers = fixtureMarkers().filter((m) => !/\bextras?\b|dependency_groups/.test(m));
  assert.ok(markers.length > 60, `${markers.length} markers`);
  const envs = [
    { implementation_name: 'cpython', implementation_version: '3.10.4', os_name: 'posix', platform_machine: 'x86_64', platform_release: '6.8.0', platform_system: 'Linux', platform_version: '#1 SMP', python_full_version: '3.10.4', platform_python_implementation: 'CPython', python_version: '3.10', sys_platform: 'linux' },
    { implementation_name: 'cpython', implementation_version: '3.13.1', os_name: 'nt', platform_machine: 'AMD64', platform_release: '11', platform_system: 'Windows', platform_version: '10.0.22631', python_full_version: '3.13.1', platform_python_implementation: 'CPython', python_version: '3.13', sys_platform: 'win32' },
    { implementation_name: 'pypy', implementation_version: '7.3.17', os_name: 'posix', platform_machine: 'arm64', platform_release: '24.1.0', platform_system: 'Darwin', platform_version: 'Darwin Kernel', python_full_version: '3.9.18', platform_python_implementation: 'PyPy', python_version: '3.9', sys_platform: 'darwin' },
    { implementation_name: 'cpython', implementation_version: '3.14.0', os_name: 'posix', platform_machine: 'aarch64', platform_release: '6.1.0', platform_system: 'Linux', platform_version: '#1', python_full_version: '3.14.0', platform_python_implementation: 'CPython', python_version: '3.14', sys_platform: 'linux' },
  ];
  const oracle = JSON.parse(python(`
import json, sys
from packaging.markers import Marker
req = json.load(sys.stdin)
print(json.dumps([[Marker(m).evaluate(e) for e in req["envs"]] for m in req["markers"]]))
`, JSON.stringify({ markers, envs }))) as boolean[][];
  markers.forEach((m, i) => envs.forEach((e, j) => {
    const { python_full_version: full, python_version: _, ...values } = e;
    assert.equal(ev(m, { values, requiresPython: `==${full}` }), oracle[i]![j], `${m} on ${e.sys_platform} ${full}`);
  }));
  // Over a range, for markers on Python only: decided exactly when packaging gives one answer for every release in it.
  const pythonOnly = markers.filter((m) => /python_(full_)?version/.test(m) && !/platform|sys_|os_name|implementation/.test(m));
  assert.ok(pythonOnly.length > 20, `${pythonOnly.length} markers on Python`);
  const releases = ['2.7.18', ...Array.from({ length: 18 }, (_, i) => [0, 1, 2, 5, 20].map((micro) => `3.${i}.${micro}`)).flat()];
  const ranges = ['>=3.9', '>=3.10', '>=3.10,<4.0', '>=3.11', '>=3.13', '==3.12.*', '>=3.10.2', '<3.9'];
  const answers = JSON.parse(python(`
import json, sys
from packaging.markers import Marker
from packaging.specifiers import SpecifierSet
req = json.load(sys.stdin)
out = []
for m in req["markers"]:
    row = []
    for r in req["ranges"]:
        vs = [v for v in req["releases"] if SpecifierSet(r).contains(v)]
        got = {Marker(m).evaluate({"python_full_version": v, "python_version": ".".join(v.split(".")[:2])}) for v in vs}
        row.append(got.pop() if len(got) == 1 else None)
    out.append(row)
print(json.dumps(out))
`, JSON.stringify({ markers: pythonOnly, ranges, releases }))) as (boolean | null)[][];
  pythonOnly.forEach((m, i) => ranges.forEach((r, j) => {
    assert.equal(ev(m, { requiresPython: r }) ?? null, answers[i]![j], `${m} for Python ${r}`);
  }));
});
