// bench/vendored-sweep: the sources a C/C++ build pulls in, over a folder of real repositories (each an
// immediate subfolder, unpacked side by side): per repository the downloads, vendored folders and
// submodules found, how many are left without a version (a gap, with its reason), the CMake files
// Marque could not follow, the downloads not made in the default configuration, and the time the
// CMake reading took (the whole inventory's time beside it).
// Usage: node bench/vendored-sweep.ts DIR [--runs N]   (docs/benchmarks.md lists the repositories)
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parseArgs } from 'node:util';
import { buildInventory, resolveOptions } from '../src/api/inventory.ts';
import { walk } from '../src/sources/walk.ts';
import { outermostPackages } from '../src/sources/ros/extractor.ts';
import { parsePackageXml } from '../src/parsers/package-xml.ts';
import { makePurl } from '../src/model/purl.ts';
import { FileAccess } from '../src/util/file-access.ts';
import { vendoredSources, type VendoringEntry } from '../src/sources/cmake/vendored.ts';
import { claimsCMake } from '../src/sources/cmake/claims.ts';
import type { ExtractContext } from '../src/sources/extractor.ts';
import type { Problem } from '../src/model/inventory.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '5' } } });
const root = positionals[0];
if (!root) { console.error('usage: node bench/vendored-sweep.ts DIR [--runs N]'); process.exit(2); }
const runs = Number(values.runs);
const options = resolveOptions({});
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The CMake reading alone, as the ROS and CMake extractors call it. */
async function readCMake(dir: string) {
  const { files } = await walk(dir, (rel, name) => name === 'package.xml' || claimsCMake(rel, name));
  const problems: Problem[] = [];
  const access = FileAccess.within(dir);
  const ctx: ExtractContext = {
    root: dir, options, files: access, problem: (p) => problems.push(p), catalogs: () => { throw new Error('not needed'); },
    countInput: () => {},
    read: async (f) => { try { return await access.readText(f.path, 64 * 1024 * 1024); } catch { return undefined; } },
    beside: (path, limit) => { try { return access.readIfPresentSync(path, limit); } catch { return undefined; } },
  };
  const packages = outermostPackages(files.filter((f) => f.name === 'package.xml'));
  const withCMake = new Set(files.filter((f) => f.name === 'CMakeLists.txt').map((f) => posix.dirname(f.rel)));
  const entries: VendoringEntry[] = [];
  for (const p of packages) {
    const d = posix.dirname(p.rel);
    if (!withCMake.has(d)) continue;
    try {
      const m = parsePackageXml(readFileSync(p.path, 'utf8'), p.rel).manifest;
      entries.push({ dir: d, purl: makePurl({ type: 'ros', name: m.name, version: m.version, qualifiers: { distro: options.rosdistro } }) });
    } catch { /* a broken package.xml: the ROS extractor reports it */ }
  }
  if (!packages.some((p) => p.rel === 'package.xml') && withCMake.has('.')) entries.push({ dir: '.', purl: 'pkg:generic/project' });
  const started = performance.now();
  const cpu = process.cpuUsage();
  const r = await vendoredSources(entries, files, ctx, new Set(packages.map((p) => posix.dirname(p.rel))));
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, r, problems };
}

const repos = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
const total = { components: 0, unknown: 0, pulls: 0, folders: 0, submodules: 0, notFollowed: 0, skipped: 0, commands: 0, ms: 0, cpuMs: 0, inventoryMs: 0, entries: 0 };
const reasons = new Map<string, number>();
console.log(`bench/vendored-sweep: ${repos.length} repositories under ${root}, median of ${runs} runs each`);
console.log(`load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')} on ${(await import('node:os')).availableParallelism()} cores; cmake-ms is the CMake reading (wall, and CPU time of the process), inventory-ms the whole in-process inventory`);
console.log('repository'.padEnd(46) + 'pkgs  found  no-version  not-followed  skipped  cmake-ms (cpu)  inventory-ms');
for (const repo of repos) {
  const dir = join(root, repo);
  const times: number[] = [];
  const cpus: number[] = [];
  let last: Awaited<ReturnType<typeof readCMake>> | undefined;
  for (let i = 0; i < runs; i++) { last = await readCMake(dir); times.push(last.ms); cpus.push(last.cpuMs); }
  const inv: number[] = [];
  for (let i = 0; i < Math.min(runs, 3); i++) { const t = performance.now(); await buildInventory({ target: dir }); inv.push(performance.now() - t); }
  const { r } = last!;
  const found = r.components.length;
  const noVersion = r.components.filter((c) => !c.version);
  for (const c of noVersion) {
    const why = (c.properties?.['marque:version'] ?? '').replace(/^unknown: /, '').replace(/"[^"]*"/g, '"…"').replace(/\S+\/\S+/g, '…').slice(0, 70);
    reasons.set(why, (reasons.get(why) ?? 0) + 1);
  }
  total.components += found; total.unknown += noVersion.length; total.pulls += r.stats.pulls; total.folders += r.stats.folders; total.submodules += r.stats.submodules;
  total.notFollowed += r.stats.notFollowed; total.skipped += r.stats.skipped; total.commands += r.stats.commands; total.ms += median(times); total.cpuMs += median(cpus); total.inventoryMs += median(inv); total.entries += r.stats.entries;
  console.log(`${repo.padEnd(46)}${String(r.stats.entries).padStart(4)}${String(found).padStart(7)}${String(noVersion.length).padStart(12)}${String(r.stats.notFollowed).padStart(14)}${String(r.stats.skipped).padStart(9)}${median(times).toFixed(1).padStart(10)}${`(${median(cpus).toFixed(1)})`.padStart(8)}${median(inv).toFixed(0).padStart(12)}`);
}
console.log(`total: ${total.entries} CMake packages/projects read (${total.commands} commands evaluated); ${total.components} components pulled in (${total.pulls} downloads declared, ${total.folders} vendored folders of which ${total.submodules} submodules); ${total.unknown} without a version (gaps); ${total.notFollowed} include/add_subdirectory not followed; ${total.skipped} downloads outside the default configuration`);
console.log(`time: CMake reading ${total.ms.toFixed(0)} ms wall, ${total.cpuMs.toFixed(0)} ms CPU in all (medians per repository, summed); whole inventories ${total.inventoryMs.toFixed(0)} ms`);
console.log('gaps by reason:');
for (const [why, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(3)} × ${why}`);
