// bench/launch-sweep: every launch file under a folder of real repositories, read as `marque perimeter`
// reads them (includes followed within the folder). Prints how many start nodes, what could not be
// read, grouped, and the time. Usage: node bench/launch-sweep.ts DIR
// (the README's figures: navigation2, ros2/demos, ros2_control_demos, moveit2, rosbridge_suite and
// foxglove_bridge unpacked side by side under DIR).
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readLaunchTree } from '../src/perimeter/launch/interpret.ts';
import { workspacePackages } from '../src/perimeter/launch/workspace.ts';

const root = process.argv[2];
if (!root) { console.error('usage: node bench/launch-sweep.ts DIR'); process.exit(2); }
const files: string[] = [];
const walk = (d: string) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) { if (!['.git', 'node_modules', 'test'].includes(e.name)) walk(p); } else if (/(\.launch\.(py|xml|yaml)|_launch\.(py|xml|yaml))$/.test(e.name)) files.push(p);
  }
};
walk(root);
const started = performance.now();
const ws = { root, packages: workspacePackages(root), installPrefixes: [] };
let withNodes = 0, nodes = 0, notes = 0;
const none: string[] = [];
const kinds = new Map<string, number>();
for (const f of files) {
  const r = readLaunchTree(f, ws);
  if (r.nodes.length) withNodes++; else none.push(`${relative(root, f)}: ${r.notes[0] ?? 'no note'}`);
  nodes += r.nodes.length;
  notes += r.notes.length;
  for (const n of r.notes) { const k = n.replace(/^[^:]+:\d+: /, '').replace(/"[^"]*"/g, '"…"').slice(0, 60); kinds.set(k, (kinds.get(k) ?? 0) + 1); }
}
console.log(`bench/launch-sweep: ${files.length} launch files (${files.filter((f) => f.endsWith('.py')).length} Python), ${ws.packages.size} packages`);
console.log(`  ${withNodes} start at least one node, ${nodes} nodes, ${notes} notes; ${(performance.now() - started).toFixed(0)} ms`);
for (const x of none) console.log(`  starts none: ${x}`);
for (const [k, n] of [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${String(n).padStart(4)} × ${k}`);
