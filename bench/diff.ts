// bench/diff: diffing two 10,000-component inventories (a realistic release: 3 % added, 2 % removed,
// 10 % upgraded, a dependency graph of about four edges per component). Target: well under a second.
// Usage: node bench/diff.ts [--components N]
import { parseArgs } from 'node:util';
import { diffComponents } from '../src/diff/diff.ts';
import type { Dependency, InventoryComponent } from '../src/model/inventory.ts';

const { values } = parseArgs({ options: { components: { type: 'string', default: '10000' } } });
const N = Number(values.components);
let seed = 11;
const rand = () => { seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };

function inventory(names: string[], version: (n: string) => string) {
  const components: InventoryComponent[] = names.map((n, i) => ({ purl: `pkg:npm/${n}@${version(n)}`, name: n, version: version(n), ecosystem: 'npm', licenses: ['MIT'], depth: null, kind: 'runtime', root: i < 20 }));
  const dependencies: Dependency[] = [];
  for (let i = 20; i < components.length; i++) {
    for (let k = 0; k < 4; k++) {
      const from = components[Math.floor(rand() * i)]!;
      dependencies.push({ from: from.purl, to: components[i]!.purl, kind: 'runtime' });
    }
  }
  return { components, dependencies };
}

const names = Array.from({ length: N }, (_, i) => `pkg-${i}`);
const removed = new Set(names.filter(() => rand() < 0.02));
const upgraded = new Set(names.filter(() => rand() < 0.10));
const oldInv = inventory(names, () => '1.0.0');
const newNames = [...names.filter((n) => !removed.has(n)), ...Array.from({ length: Math.round(N * 0.03) }, (_, i) => `new-${i}`)];
const newInv = inventory(newNames, (n) => (upgraded.has(n) ? '1.1.0' : '1.0.0'));

const runs: number[] = [];
let last;
for (let r = 0; r < 5; r++) {
  const t = performance.now();
  last = diffComponents(oldInv, newInv);
  runs.push(performance.now() - t);
}
runs.sort((a, b) => a - b);
console.log(`bench/diff: ${oldInv.components.length} → ${newInv.components.length} components, ${newInv.dependencies.length} edges`);
console.log(`  ${last!.added.length} added (each with up to 3 "why" paths), ${last!.removed.length} removed, ${last!.changed.length} changed`);
console.log(`  median ${runs[2]!.toFixed(0)} ms, min ${runs[0]!.toFixed(0)} ms over ${runs.length} runs (target well under 1000 ms → ${runs[2]! < 1000 ? 'met' : 'NOT met'})`);
