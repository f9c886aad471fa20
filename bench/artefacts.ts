// bench/artefacts: the cost of `--artefacts DIR` on a real folder of package files, by default this
// machine's apt cache (/var/cache/apt/archives) against its dpkg database: the inventory without and
// with the folder, the files matched and the bytes hashed, then every package file of the folder
// hashed (SHA-512) through FileAccess.digest for the raw throughput.
// Usage: node bench/artefacts.ts [--dir /var/cache/apt/archives] [--status /var/lib/dpkg/status] [--raw]
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildInventory } from '../src/api/inventory.ts';
import { artefactsInFolder } from '../src/sources/artefacts/attach.ts';
import { FileAccess } from '../src/util/file-access.ts';

const { values } = parseArgs({ options: { dir: { type: 'string', default: '/var/cache/apt/archives' }, status: { type: 'string', default: '/var/lib/dpkg/status' }, 'os-release': { type: 'string', default: '/etc/os-release' }, raw: { type: 'boolean', default: false } } });
const dir = values.dir!;
const root = mkdtempSync(join(tmpdir(), 'marque-bench-artefacts-'));
mkdirSync(join(root, 'var/lib/dpkg'), { recursive: true });
mkdirSync(join(root, 'etc'));
copyFileSync(values.status!, join(root, 'var/lib/dpkg/status'));
copyFileSync(values['os-release']!, join(root, 'etc/os-release'));

const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
/** Wall time, and the process's CPU time (user + system) spent: on a loaded machine the two part ways. */
let cpu = 0;
const time = async <T>(f: () => Promise<T>): Promise<[T, number]> => { const t = performance.now(); const c = process.cpuUsage(); const r = await f(); const d = process.cpuUsage(c); cpu = (d.user + d.system) / 1e6; return [r, (performance.now() - t) / 1000]; };
try {
  const { files } = await artefactsInFolder(dir);
  const total = files.reduce((s, f) => s + statSync(join(dir, f.where.slice(f.where.indexOf('/') + 1))).size, 0);
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model}), load ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log(`folder: ${dir}, ${files.length} package files, ${mb(total)}`);
  const [plain, t0] = await time(() => buildInventory({ target: root }));
  console.log(`inventory of the dpkg database alone: ${plain.components.length} components, ${t0.toFixed(2)} s`);
  const [inv, t1] = await time(() => buildInventory({ target: root, artefacts: [dir] }));
  const matched = inv.components.filter((c) => c.properties?.['marque:artefact']);
  const hashed = matched.reduce((s, c) => s + statSync(join(dir, c.properties!['marque:artefact']!.split('/').slice(1).join('/'))).size, 0);
  console.log(`with --artefacts: ${matched.length} components matched, ${mb(hashed)} hashed, ${t1.toFixed(2)} s (${((t1 - t0)).toFixed(2)} s more, ${(hashed / 1e6 / Math.max(t1 - t0, 1e-3)).toFixed(0)} MB/s; CPU ${cpu.toFixed(2)} s)`);
  console.log(`  ${inv.notes.filter((n) => /package file/.test(n)).join('\n  ')}`);
  if (values.raw) {
    const access = FileAccess.within(dir);
    const [, t2] = await time(async () => { for (const f of files) await access.digest(join(dir, f.where.slice(f.where.indexOf('/') + 1)), ['sha512']); });
    console.log(`every package file hashed (SHA-512, one at a time): ${mb(total)} in ${t2.toFixed(2)} s, ${(total / 1e6 / t2).toFixed(0)} MB/s (CPU ${cpu.toFixed(2)} s: ${(total / 1e6 / cpu).toFixed(0)} MB/s of CPU)`);
  }
  console.log(`peak resident memory: ${mb(process.resourceUsage().maxRSS * 1024)}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
