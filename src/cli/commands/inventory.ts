import { buildInventory } from '../../api/inventory.ts';
import type { ProductInventory } from '../../model/inventory.ts';
import { productRequest } from '../../api/request.ts';
import { EXIT, exitCode, SOURCE_OPTIONS, SOURCE_USAGE, sourceFlags, type Command, type Flags } from '../command.ts';
import { outJson, progress, type Io } from '../io.ts';
import { countComponents, COUNTED } from '../../model/counting.ts';
import { notAnalysedText, notesText, problemsText, table, unresolvedText } from '../render.ts';

/** The inventory as the CLI contract (issue 2) spells it. */
export function inventoryJson(inv: ProductInventory): Record<string, unknown> {
  return {
    components: inv.components.map((c) => ({
      purl: c.purl, name: c.name, version: c.version, ecosystem: c.ecosystem, depth: c.depth, kind: c.kind,
      licenses: c.licenses, sourceFile: c.sourceFile ?? null,
      ...(c.root ? { root: true } : {}),
      ...(c.firstParty ? { firstParty: true } : {}),
      ...(c.subject ? { subject: true } : {}),
      ...(c.type && c.type !== 'library' ? { type: c.type } : {}),
      ...(c.licensesDeclared && c.licensesDeclared.join() !== c.licenses.join() ? { licensesDeclared: c.licensesDeclared } : {}),
      ...(c.supplier ? { supplier: c.supplier } : {}),
      ...(c.maintainers?.length ? { maintainers: c.maintainers } : {}),
      ...(c.authors?.length ? { authors: c.authors } : {}),
      ...(c.provenance ? { provenance: c.provenance } : {}),
      ...(c.properties ? { properties: c.properties } : {}),
    })),
    dependencies: inv.dependencies.map((d) => ({ from: d.from, to: d.to, kind: d.kind, constraint: d.constraint ?? null, condition: d.condition ?? null })),
    unresolved: inv.unresolved,
    problems: inv.problems,
    notes: inv.notes,
    notAnalysed: inv.notAnalysed,
  };
}

/** Load a product's inventory for a command, with the progress line and source flags handled. */
export async function loadProduct(positionals: string[], flags: Flags, io: Io) {
  const pr = await productRequest(positionals[0] ?? '.', sourceFlags(flags));
  const { request, product, manifest } = pr;
  const p = progress(io, !flags['json']);
  try {
    const inv = await buildInventory({ ...request, onProgress: p.update });
    return { inv, product, manifest, pr };
  } finally {
    p.done();
  }
}

export const inputErrors = (inv: Pick<ProductInventory, 'problems'>): number => inv.problems.filter((p) => p.severity === 'error').length;

export function exitFor(inv: ProductInventory): number {
  return exitCode(inputErrors(inv), false);
}

export const inventoryCommand: Command = {
  name: 'inventory',
  usage: `marque inventory [DIR|FILE] [options]\n\n${SOURCE_USAGE}`,
  options: SOURCE_OPTIONS,
  async run(positionals, flags, io) {
    const { inv } = await loadProduct(positionals, flags, io);
    if (flags['json']) {
      outJson(io, inventoryJson(inv));
      return exitFor(inv);
    }
    const byEco = new Map<string, number>();
    for (const c of inv.components) byEco.set(c.ecosystem, (byEco.get(c.ecosystem) ?? 0) + 1);
    const maxDepth = inv.components.reduce((m, c) => Math.max(m, c.depth ?? 0), 0);
    io.out(table(inv.components.map((c) => [String(c.depth ?? '-'), c.kind ?? '-', c.purl, c.licenses.join(' AND ') || '-']), ['DEPTH', 'SCOPE', 'COMPONENT', 'LICENCES']));
    io.out(`\n${inv.components.length} components (${[...byEco].map(([e, n]) => `${e} ${n}`).join(', ')}), ${inv.dependencies.length} dependencies, max depth ${maxDepth}.\n`);
    const n = countComponents(inv.components);
    io.out(`Of these: ${n.firstParty} first-party (the product's own code), ${n.counted} ${COUNTED}, ${n.notShipped} third-party that do not ship.\n`);
    io.out(unresolvedText(inv.unresolved));
    io.out(notAnalysedText(inv.notAnalysed));
    io.out(notesText(inv.notes));
    io.out(problemsText(inv.problems));
    return exitFor(inv);
  },
};
