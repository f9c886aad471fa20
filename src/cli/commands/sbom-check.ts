// marque sbom check: an SBOM file, or the SBOM Marque makes of a product folder, against a profile.
import { stat } from 'node:fs/promises';
import { checkSbomDocument, checkSbomFile } from '../../api/sbom-check.ts';
import { renderSbom, type SbomFormat } from '../../api/sbom.ts';
import { requireIdentity } from '../../api/request.ts';
import { sbomCheckText } from '../../formats/sbom-check/render.ts';
import { UsageError } from '../../util/errors.ts';
import { EXIT, SOURCE_OPTIONS, type Flags } from '../command.ts';
import type { Io } from '../io.ts';
import { inputErrors, loadProduct } from './inventory.ts';
import { problemsText } from '../render.ts';

export const SBOM_CHECK_USAGE = `marque sbom check FILE|DIR --profile tr-03183-2|ntia [--format cyclonedx|spdx3] [--json]

  FILE             an SBOM: CycloneDX JSON or XML, SPDX 2 JSON or tag-value, SPDX 3 JSON-LD (any tool's)
  DIR              a product folder: the SBOM Marque makes of it (as "marque sbom" would) is checked
  --profile P      tr-03183-2 (BSI TR-03183-2 v2.1.0) or ntia (NTIA minimum elements, 2021)
  --format F       for DIR: the SBOM format to make and check, cyclonedx (default) or spdx3
  --json           the result as JSON (schemas/sbom-check.schema.json)

  Exit 1 when a required data field is missing (every requirement is cited to its section).`;

export const SBOM_CHECK_OPTIONS = { ...SOURCE_OPTIONS, profile: { type: 'string' as const } };

export async function runSbomCheck(positionals: string[], flags: Flags, io: Io): Promise<number> {
  const target = positionals[0];
  if (!target) throw new UsageError(`give an SBOM file or a product folder\n\n${SBOM_CHECK_USAGE}`);
  const profile = flags['profile'] as string | undefined;
  if (!profile) throw new UsageError('--profile is required: tr-03183-2 or ntia');
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new UsageError(`${target}: no such file or directory`);
  let result;
  let inputProblems = 0;
  if (info.isDirectory()) {
    const format = (flags['format'] as string | undefined) ?? 'cyclonedx';
    if (format !== 'cyclonedx' && format !== 'spdx3') throw new UsageError(`--format must be cyclonedx or spdx3 for a folder (got "${format}")`);
    const { inv, product, pr } = await loadProduct(positionals, flags, io);
    if (pr.identity === undefined) requireIdentity(pr, 'marque sbom check');
    result = checkSbomDocument(renderSbom(inv, format as SbomFormat, product), profile, `${target} (${format} made by marque sbom)`);
    inputProblems = inputErrors(inv);
    if (inv.problems.length && !flags['json']) io.err(problemsText(inv.problems));
  } else {
    result = await checkSbomFile(target, profile);
  }
  io.out(flags['json'] ? `${JSON.stringify(result, null, 2)}\n` : sbomCheckText(result));
  return inputProblems ? EXIT.input : result.conforms ? EXIT.ok : EXIT.policy;
}
