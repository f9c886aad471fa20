// The common loop of lockfile extractors: read each claimed file, parse it, report what fails.
import { problemOf } from '../../util/errors.ts';
import type { ExtractContext, FoundFile, InventoryFragment } from '../extractor.ts';

export async function parseLockfiles(
  files: FoundFile[], ctx: ExtractContext,
  parse: (text: string, file: FoundFile) => InventoryFragment | Promise<InventoryFragment>,
): Promise<InventoryFragment> {
  const out: InventoryFragment = { components: [], dependencies: [], unresolved: [] };
  for (const f of files) {
    const text = await ctx.read(f);
    if (text === undefined) continue;
    try {
      const part = await parse(text, f);
      out.components.push(...part.components);
      out.dependencies.push(...part.dependencies);
      out.unresolved!.push(...(part.unresolved ?? []));
    } catch (e) {
      ctx.problem(problemOf(e, f.rel));
    }
  }
  return out;
}
