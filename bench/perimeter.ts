// bench/perimeter: a product with thousands of compartments, interfaces and flows (a fleet gateway
// in front of many robots' ROS graphs), analysed for reachability. Target: well under a second.
// Usage: node bench/perimeter.ts [--nodes N]
import { parseArgs } from 'node:util';
import { analysePerimeter } from '../src/perimeter/analyse.ts';
import type { ArchitectureModel } from '../src/perimeter/model.ts';
import type { InventoryComponent } from '../src/api/inventory.ts';
import type { Dependency } from '../src/model/inventory.ts';

const { values } = parseArgs({ options: { nodes: { type: 'string', default: '5000' } } });
const N = Number(values.nodes);
let seed = 3;
const rand = () => { seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const model: ArchitectureModel = { compartments: [{ id: 'host', kind: 'host' }], interfaces: [], flows: [], trustAnchors: [], sources: [], notes: [] };
const components: InventoryComponent[] = [];
const deps: Dependency[] = [];
for (let i = 0; i < N; i++) {
  model.compartments.push({ id: `node:${i}`, kind: 'process', parent: 'host', isolation: 'process', isolationAssessed: rand() < 0.2, components: [`pkg:generic/c${i}-*`] });
  components.push({ purl: `pkg:generic/c${i}-main@1`, name: `c${i}`, version: '1', ecosystem: 'generic', licenses: [], depth: 1, kind: 'runtime' });
  for (let k = 0; k < 3; k++) {
    const lib = `pkg:generic/lib${i}-${k}@1`;
    components.push({ purl: lib, name: lib, version: '1', ecosystem: 'generic', licenses: [], depth: 2, kind: 'runtime' });
    deps.push({ from: `pkg:generic/c${i}-main@1`, to: lib, kind: 'runtime' });
  }
}
for (let i = 0; i < N / 50; i++) model.interfaces.push({ id: `if${i}`, kind: 'network', into: `node:${Math.floor(rand() * N)}` });
for (let i = 0; i < N * 4; i++) {
  const secure = rand() < 0.5;
  model.flows.push({ from: `node:${Math.floor(rand() * N)}`, to: `node:${Math.floor(rand() * N)}`, authenticated: secure, encrypted: secure, mechanism: secure ? 'SROS2 DDS-Security' : undefined, mechanismAssessed: secure });
}
const runs: number[] = [];
let r;
for (let k = 0; k < 5; k++) { const t = performance.now(); r = analysePerimeter(model, components, deps); runs.push(performance.now() - t); }
runs.sort((a, b) => a - b);
console.log(`bench/perimeter: ${model.compartments.length} compartments, ${model.interfaces.length} interfaces, ${model.flows.length} flows, ${components.length} components`);
console.log(`  perimeter ${r!.perimeter.length}, outside ${r!.outside.length}; median ${runs[2]!.toFixed(0)} ms, min ${runs[0]!.toFixed(0)} ms (target well under 1000 ms → ${runs[2]! < 1000 ? 'met' : 'NOT met'})`);
