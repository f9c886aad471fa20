// Go modules: go.mod, with go.sum beside it for the modules whose code was fetched, and the go.work
// workspace the module belongs to, when there is one in a folder above it.
import { join, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { ExtractContext, Extractor } from '../extractor.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { problemOf } from '../../util/errors.ts';
import { goModFragment, higher, parseGoMod, parseGoSum, parseGoWork, stdlibUnknown, type GoWorkspace } from './go-mod.ts';
import { DECLARE_GO, STDLIB_PURL } from './stdlib.ts';
import type { InventoryFragment } from '../extractor.ts';

type Found = GoWorkspace & { dirs: Set<string> };
const slashed = (p: string) => p.split(sep).join('/');

/** go.work at this path, with the module path of each folder it uses; null when there is none or it cannot be read (a problem naming it is recorded once). */
function readWork(path: string, ctx: ExtractContext): Found | null {
  const text = ctx.beside(path);
  if (text === undefined) return null;
  const file = slashed(relative(ctx.root, path));
  let parsed;
  try { parsed = parseGoWork(text, file); } catch (e) { ctx.problem(problemOf(e, file)); return null; }
  const modules = new Map<string, string>();
  const dirs = new Set<string>();
  const selected = new Map<string, { version: string; by: string }>();
  for (const u of parsed.use) {
    const dir = resolve(dirname(path), u.dir);
    dirs.add(dir);
    const modText = ctx.beside(join(dir, 'go.mod'));
    let mod;
    try { mod = modText === undefined ? undefined : parseGoMod(modText, 'go.mod'); } catch { mod = undefined; } // its own reading reports it
    if (!mod?.module) continue;
    modules.set(mod.module, slashed(relative(ctx.root, dir)));
    const by = slashed(relative(ctx.root, join(dir, 'go.mod')));
    for (const r of mod.require) {
      const had = selected.get(r.path);
      if (!had || higher(r.version, had.version)) selected.set(r.path, { version: r.version, by });
    }
  }
  let sum: Map<string, string> | undefined;
  const sumText = ctx.beside(join(dirname(path), 'go.work.sum'));
  try { sum = sumText === undefined ? undefined : parseGoSum(sumText); } catch { sum = undefined; }
  return { file, modules, replace: parsed.replace, dirs, selected, ...(parsed.go ? { go: parsed.go } : {}), ...(parsed.toolchain ? { toolchain: parsed.toolchain } : {}), ...(sum ? { sum } : {}) };
}

/**
 * The workspace a module is built in, as the go command finds it: the nearest go.work in the module's
 * folder or above (never above the scanned root), if its `use` lists the module's folder. A module
 * that go.work does not use is built with GOWORK=off (the go command refuses it otherwise), so it is
 * read on its own.
 */
function workspaceOf(modDir: string, ctx: ExtractContext, cache: Map<string, Found | null>): GoWorkspace | undefined {
  for (let dir = modDir; ; dir = dirname(dir)) {
    const rel = relative(ctx.root, dir);
    // Above the root (a folder named "..x" inside it is not).
    if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
    const path = join(dir, 'go.work');
    if (!cache.has(path)) cache.set(path, readWork(path, ctx));
    const work = cache.get(path);
    if (work) return work.dirs.has(resolve(modDir)) ? work : undefined;
    if (rel === '' || dir === dirname(dir)) return undefined;
  }
}

export const golangExtractor: Extractor = {
  id: 'golang',
  claims: (_rel, name) => name === 'go.mod',
  extract: (files, ctx) => {
    const works = new Map<string, Found | null>();
    const declared = ctx.options.toolchains?.go;
    return parseLockfiles(files, ctx, (text, f) => {
      let sum: Map<string, string> | undefined;
      const text2 = ctx.beside(join(dirname(f.path), 'go.sum'));
      try { sum = text2 === undefined ? undefined : parseGoSum(text2); } catch { sum = undefined; }
      return goModFragment(parseGoMod(text, f.rel), f.rel, sum, workspaceOf(dirname(f.path), ctx, works), declared);
    }).then((out) => stdlibOnce(out, declared));
  },
};

/**
 * Go's standard library once for the product, and a note saying what its version rests on. Modules built
 * on their own (no go.work joins them) each name the least toolchain they accept; the one component
 * without a version names them all.
 */
function stdlibOnce(out: InventoryFragment, declared: string | undefined): InventoryFragment {
  const std = out.components.filter((c) => c.name === 'stdlib' && c.ecosystem === 'golang');
  if (!std.length) return out;
  const unknown = std.filter((c) => c.purl === STDLIB_PURL);
  const minimums = [...new Set(unknown.map((c) => c.properties?.['go:minimum'] ?? `any (${c.sourceFile} names no Go version)`))];
  if (minimums.length > 1) {
    // The first sighting is the one the inventory keeps (FragmentBuilder): it speaks for all.
    unknown[0]!.properties = { ...unknown[0]!.properties, 'go:minimum': minimums.join('; '), 'marque:version': stdlibUnknown(minimums.join('; ')) };
  }
  const note = declared
    ? `Go's standard library (compiled into every Go binary) is ${std[0]!.purl}: the toolchain declared in marque.yaml (${DECLARE_GO}), so the Go vulnerability database's stdlib advisories are matched against it`
    : `Go's standard library (compiled into every Go binary) is listed as ${STDLIB_PURL} without a version: go.mod gives only the least toolchain that may build the product (${minimums.join('; ')}), not the one that does, so its stdlib advisories cannot be matched and coverage is not complete; declare the toolchain (${DECLARE_GO}, e.g. go: "1.23.4") or scan the built binary, whose build information names it`;
  return { ...out, notes: [...(out.notes ?? []), note] };
}
