import { resolve } from 'node:path';
import { renderSbom, type SbomFormat } from '../../api/sbom.ts';
import { UsageError } from '../../util/errors.ts';
import { SOURCE_OPTIONS, SOURCE_USAGE, type Command } from '../command.ts';
import { writeChunksAtomic } from '../../util/fs.ts';
import { batched, jsonChunks } from '../../util/json-stream.ts';
import { problemsText } from '../render.ts';
import { exitFor, loadProduct } from './inventory.ts';
import { requireIdentity } from '../../api/request.ts';

export const sbomCommand: Command = {
  name: 'sbom',
  usage: `marque sbom [DIR|FILE] [--format cyclonedx|spdx] [-o FILE] [options]\n\n  --format F   cyclonedx (default) or spdx\n  -o FILE      write to FILE (atomically) instead of standard output\n\n${SOURCE_USAGE}`,
  options: { ...SOURCE_OPTIONS, format: { type: 'string' }, output: { type: 'string', short: 'o' } },
  async run(positionals, flags, io) {
    const format = (flags['format'] as string | undefined) ?? 'cyclonedx';
    if (format !== 'cyclonedx' && format !== 'spdx') throw new UsageError(`--format must be cyclonedx or spdx (got "${format}")`);
    const { inv, product, pr } = await loadProduct(positionals, flags, io);
    // The SBOM's subject is the product someone named; an input SBOM without one is not renamed after its file.
    if (pr.identity === undefined) requireIdentity(pr, 'marque sbom');
    if (pr.identity === 'folder') io.err(`note: no marque.yaml: the SBOM's subject is named after the folder ("${product.name}") and has no version; give --product NAME@VERSION or write marque.yaml\n`);
    const bom = renderSbom(inv, format as SbomFormat, product);
    const output = flags['output'] as string | undefined;
    if (output) {
      writeChunksAtomic(resolve(output), batched(jsonChunks(bom)));
      if (flags['json']) io.out(JSON.stringify({ written: resolve(output), format, components: inv.components.length, problems: inv.problems }, null, 2) + '\n');
      else io.err(`wrote ${output}: ${format}, ${inv.components.length} components\n`);
    } else {
      for (const piece of batched(jsonChunks(bom))) io.out(piece);
    }
    if (inv.problems.length && !flags['json']) io.err(problemsText(inv.problems));
    return exitFor(inv);
  },
};
