// The common loop of lockfile extractors: read each claimed file, parse it, report what fails.
import { problemOf } from '../../util/errors.ts';
import type { ExtractContext, FoundFile, InventoryFragment } from '../extractor.ts';

export async function parseLockfiles(
  files: FoundFile[], ctx: ExtractContext,
  parse: (text: string, file: FoundFile) => InventoryFragment | Promise<InventoryFragment>,
): Promise<InventoryFragment> {
  const out: InventoryFragment = { components: [], dependencies: [], unresolved: [], notes: [] };
  for (const f of files) {
    const text = await ctx.read(f);
    if (text === undefined) continue;
    try {
      const part = await parse(text, f);
      // One push per item: spreading a large array into push() overflows the stack and drops everything.
      for (const c of part.components) out.components.push(c);
      for (const d of part.dependencies) out.dependencies.push(d);
      for (const u of part.unresolved ?? []) out.unresolved!.push(u);
      for (const n of part.notes ?? []) out.notes!.push(n);
      for (const n of part.notAnalysed ?? []) (out.notAnalysed ??= []).push(n);
      for (const p of part.problems ?? []) ctx.problem(p);
    } catch (e) {
      ctx.problem(problemOf(e, f.rel));
    }
  }
  return out;
}
