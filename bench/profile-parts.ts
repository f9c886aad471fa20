// bench/profile-parts: where an inventory's CPU time goes, from `node --cpu-prof` profiles of the
// installed command (averaged over the files given): each sample counted in the first part its stack
// falls in, by the names of the functions on it (the compiled build keeps them), then the functions
// with the most time of their own.
//
//   MARQUE_CACHE_DIR=… node --cpu-prof --cpu-prof-dir=DIR --cpu-prof-interval 250 PREFIX/node_modules/marque/bin/marque.js inventory WS --json
//   node bench/profile-parts.ts DIR/*.cpuprofile [--top N]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

const { values, positionals: files } = parseArgs({ options: { top: { type: 'string', default: '15' } }, allowPositionals: true });
const has = (stack: string[], ...names: string[]) => names.some((n) => stack.includes(n));
/** The parts, first match wins. */
const PARTS: [string, (stack: string[]) => boolean][] = [
  ['garbage collection', (s) => s.at(-1) === '(garbage collector)'],
  ['writing the JSON', (s) => has(s, 'outJson', 'jsonPieces')],
  ['the walk (kept folders checked, claimed files stamped)', (s) => has(s, 'walk')],
  ['checking the kept CMake reading', (s) => has(s, 'vendoredSources')],
  ['the kept package.xml parses', (s) => has(s, 'ManifestCache')],
  ['the ROS extraction (components, edges, rosdep)', (s) => has(s, 'extractRos')],
  ['merging, depths and scopes', (s) => has(s, 'finish', 'merge')],
  ['the rest of buildInventory', (s) => has(s, 'buildInventory')],
  ['loading modules (Node\'s and Marque\'s)', (s) => s.some((f) => /^(compileSourceTextModule|compileForInternalLoader|requireBuiltin|syncLink|link|import|getOrCreateModuleJob|evaluate|ModuleWrap|defaultResolve)$/.test(f))],
  ['V8 and Node outside JavaScript', (s) => s.at(-1) === '(program)'],
  ['waiting (idle)', (s) => s.at(-1) === '(idle)'],
];

const parts = new Map<string, number>([...PARTS.map(([n]) => [n, 0] as [string, number]), ['other', 0]]);
const self = new Map<string, number>();
for (const file of files) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stacks = new Map<number, string[]>();
  const stackOf = (id: number): string[] => {
    let s = stacks.get(id);
    if (!s) {
      s = [];
      for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) s.push(byId.get(x)!.callFrame.functionName);
      stacks.set(id, s.reverse());
    }
    return s;
  };
  for (let i = 0; i < p.samples.length; i++) {
    const ms = (p.timeDeltas[i + 1] ?? 0) / 1000 / files.length;
    const stack = stackOf(p.samples[i]!);
    const part = PARTS.find(([, test]) => test(stack))?.[0] ?? 'other';
    parts.set(part, parts.get(part)! + ms);
    const f = byId.get(p.samples[i]!)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}`;
    self.set(key, (self.get(key) ?? 0) + ms);
  }
}
let total = 0;
for (const v of parts.values()) total += v;
process.stdout.write(`${files.length} profile(s), ${total.toFixed(0)} ms of samples each on average\n\n| part | ms |\n|---|---|\n`);
for (const [name, ms] of parts) process.stdout.write(`| ${name} | ${ms.toFixed(1)} |\n`);
process.stdout.write(`\n| function (own time) | ms |\n|---|---|\n`);
for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) process.stdout.write(`| ${name} | ${ms.toFixed(1)} |\n`);
