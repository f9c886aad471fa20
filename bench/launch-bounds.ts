// bench/launch-bounds: the hostile launch inputs of issue 23 (items 8 and 10), each read in a fresh
// process as `marque perimeter` reads launch files: wall time, peak memory (RSS) and how it ended.
// Before the bounds, include fan-out doubled per level (17 XML files each including the next twice:
// 1.6 s and 300 MB at depth 16; 10 includes x 30 levels ran past 60 s) and values grew without bound
// (`l = l + l` 60 times reached 3.4 GB; XML arguments doubling 64 times died with "Invalid string length").
// Usage: node bench/launch-bounds.ts [--only NAME] [--timeout S]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { only: { type: 'string' }, timeout: { type: 'string', default: '120' }, case: { type: 'string' }, dir: { type: 'string' } } });

const py = (body: string) => `from launch import LaunchDescription\nfrom launch_ros.actions import Node\ndef generate_launch_description():\n${body}\n    return LaunchDescription([Node(package='p', executable='e', name='after')])\n`;
const pyInclude = (next: string, times: number, arg?: (k: number) => string) => `from launch import LaunchDescription
from launch.actions import IncludeLaunchDescription, DeclareLaunchArgument
from launch.substitutions import LaunchConfiguration
from launch.launch_description_sources import PythonLaunchDescriptionSource
import os
def generate_launch_description():
    here = os.path.dirname(__file__)
    return LaunchDescription([DeclareLaunchArgument('x', default_value=''), ${Array.from({ length: times }, (_, k) => `IncludeLaunchDescription(PythonLaunchDescriptionSource(os.path.join(here, '${next}')), launch_arguments={'x': ${arg ? `[LaunchConfiguration('x'), '${k}']` : "''"}}.items())`).join(', ')}])
`;

/** ('x') + 'a' nested n deep, quoted for an XML attribute. */
const nested = (n: number) => { let e = '&apos;x&apos;'; for (let i = 0; i < n; i++) e = `(${e}) + &apos;a&apos;`; return e; };

/** Each case writes its files and names the entry launch file. */
const CASES: Record<string, (dir: string) => string> = {
  'xml-fanout-2x16': (dir) => {
    for (let i = 0; i < 17; i++) writeFileSync(join(dir, `f${i}.launch.xml`), i === 16 ? '<launch><node pkg="p" exec="leaf" name="leaf"/></launch>' : `<launch><include file="f${i + 1}.launch.xml"/><include file="f${i + 1}.launch.xml"/></launch>`);
    return 'f0.launch.xml';
  },
  'xml-fanout-10x30-args': (dir) => {
    for (let i = 0; i < 30; i++) writeFileSync(join(dir, `g${i}.launch.xml`), `<launch><arg name="x" default=""/>${Array.from({ length: 10 }, (_, k) => `<include file="g${i + 1}.launch.xml"><arg name="x" value="$(var x)${k}"/></include>`).join('')}</launch>`);
    writeFileSync(join(dir, 'g30.launch.xml'), '<launch><arg name="x" default=""/><node pkg="p" exec="leaf" name="leaf_$(var x)"/></launch>');
    return 'g0.launch.xml';
  },
  'python-fanout-10x30-args': (dir) => {
    for (let i = 0; i < 30; i++) writeFileSync(join(dir, `p${i}.launch.py`), pyInclude(`p${i + 1}.launch.py`, 10, (k) => String(k)));
    writeFileSync(join(dir, 'p30.launch.py'), py('    pass'));
    return 'p0.launch.py';
  },
  // Written out, as the issue's reproduction was: 60 statements, no loop.
  'python-list-doubling-60': (dir) => { writeFileSync(join(dir, 'l.launch.py'), py(`    l = [1]\n${'    l = l + l\n'.repeat(60)}`)); return 'l.launch.py'; },
  'python-string-doubling-60': (dir) => { writeFileSync(join(dir, 's.launch.py'), py(`    s = 'x'\n${'    s = s + s\n'.repeat(60)}`)); return 's.launch.py'; },
  // $(eval …) of an expression 3,000 brackets deep (a TypeError from the parser's tree walk before the bound), and 500 of 2,200 characters each (the first 200,000 characters are parsed).
  'xml-eval-nested-3000': (dir) => { writeFileSync(join(dir, 'e.launch.xml'), `<launch><node pkg="p" exec="e" name="n" if="$(eval &quot;${nested(3000)} == &apos;b&apos;&quot;)"/></launch>`); return 'e.launch.xml'; },
  'xml-eval-500x2200': (dir) => { writeFileSync(join(dir, 'e.launch.xml'), `<launch>${Array.from({ length: 500 }, (_, i) => `<node pkg="p" exec="e" name="n${i}" if="$(eval &quot;${Array(280).fill(`'${i}'`).join(' + ')} == 'b'&quot;)"/>`).join('')}</launch>`); return 'e.launch.xml'; },
  'xml-argument-doubling-64': (dir) => { writeFileSync(join(dir, 'a.launch.xml'), `<launch><let name="a" value="x"/>${'<let name="a" value="$(var a)$(var a)"/>'.repeat(64)}<node pkg="p" exec="e" name="n_$(var a)"/></launch>`); return 'a.launch.xml'; },
};

if (values.case) {
  // One case, in this process: read the tree and report.
  const { readLaunchTree } = await import('../src/perimeter/launch/interpret.ts');
  const dir = values.dir!;
  const started = performance.now();
  let end: string;
  try {
    const r = readLaunchTree(join(dir, CASES[values.case]!(dir)), { root: dir, packages: new Map(), installPrefixes: [] });
    end = `${r.nodes.length} node(s), ${r.notes.length} note(s)${r.notes.some((n) => /more than|over Marque's bound|longer than|nested more than/.test(n)) ? ', stopped by a bound' : ''}`;
  } catch (e) { end = `failed: ${(e as Error).message.slice(0, 80)}`; }
  console.log(JSON.stringify({ ms: performance.now() - started, rss: process.resourceUsage().maxRSS * 1024, end }));
} else {
  console.log(`${'case'.padEnd(28)} ${'time'.padStart(9)} ${'peak RSS'.padStart(10)}  how it ended`);
  for (const name of Object.keys(CASES).filter((n) => !values.only || n.includes(values.only))) {
    const dir = mkdtempSync(join(tmpdir(), 'marque-bounds-'));
    try {
      const r = spawnSync(process.execPath, [import.meta.filename, '--case', name, '--dir', dir], { encoding: 'utf8', timeout: Number(values.timeout) * 1000, maxBuffer: 1 << 24 });
      if (r.error || r.status !== 0) { console.log(`${name.padEnd(28)} ${r.error ? `> ${values.timeout} s`.padStart(9) : '-'.padStart(9)} ${'-'.padStart(10)}  ${r.error ? 'killed at the timeout' : (r.stderr.trim().split('\n').find((l) => /Error/.test(l)) ?? `exit ${r.status}`).slice(0, 90)}`); continue; }
      const o = JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number; rss: number; end: string };
      console.log(`${name.padEnd(28)} ${`${(o.ms / 1000).toFixed(2)} s`.padStart(9)} ${`${Math.round(o.rss / 2 ** 20)} MiB`.padStart(10)}  ${o.end}`);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  }
}
