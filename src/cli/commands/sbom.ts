import { resolve } from 'node:path';
import { renderSbom, type SbomFormat } from '../../api/sbom.ts';
import { UsageError } from '../../util/errors.ts';
import { SOURCE_USAGE, type Command } from '../command.ts';
import { writeChunksAtomic } from '../../util/fs.ts';
import { batched, jsonChunks } from '../../util/json-stream.ts';
import { problemsText } from '../render.ts';
import { exitFor, loadProduct } from './inventory.ts';
import { requireIdentity } from '../../api/request.ts';
import { runSbomCheck, SBOM_CHECK_OPTIONS, SBOM_CHECK_USAGE } from './sbom-check.ts';

export const sbomCommand: Command = {
  name: 'sbom',
  usage: `marque sbom [DIR|FILE] [--format cyclonedx|spdx|spdx3] [-o FILE] [options]\n${SBOM_CHECK_USAGE}\n\n  --format F   cyclonedx (CycloneDX 1.6, default), spdx (SPDX 2.3) or spdx3 (SPDX 3.0.1 JSON-LD)\n  -o FILE      write to FILE (atomically) instead of standard output\n\n${SOURCE_USAGE}`,
  options: { ...SBOM_CHECK_OPTIONS, format: { type: 'string' }, output: { type: 'string', short: 'o' } },
  async run(positionals, flags, io) {
    // "marque sbom check …"; a product folder called "check" is still reachable as ./check.
    if (positionals[0] === 'check') return runSbomCheck(positionals.slice(1), flags, io);
    if (flags['profile']) throw new UsageError('--profile belongs to "marque sbom check"');
    const format = (flags['format'] as string | undefined) ?? 'cyclonedx';
    if (format !== 'cyclonedx' && format !== 'spdx' && format !== 'spdx3') throw new UsageError(`--format must be cyclonedx, spdx or spdx3 (got "${format}")`);
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
