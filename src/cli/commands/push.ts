import { renderSbom } from '../../api/sbom.ts';
import { pushRelease, releaseFacts, releaseUnlisted } from '../../api/push.ts';
import { buildDossier } from '../../api/dossier.ts';
import { requireIdentity } from '../../api/request.ts';
import { UsageError } from '../../util/errors.ts';
import { exitCode, SOURCE_OPTIONS, SOURCE_USAGE, type Command } from '../command.ts';
import { inputErrors, loadProduct } from './inventory.ts';

const OUTCOME = { created: '', unchanged: ' (already there with the same content)', completed: ' (completed: it lacked some of its facts, its dossier, or what its inventory names without listing it)', dossier: ' (its dossier updated)' } as const;

export const pushCommand: Command = {
  name: 'push',
  usage: `marque push [DIR|SBOM] --server URL [options]

  Sends a release to a team server: its SBOM (made from DIR as "marque sbom" makes it, or the SBOM file
  given) and what marque.yaml says of it (support.periodEnd, support.placedOnMarket, and the class,
  conformity routes, manufacturer, contact and market that the classification gives) and, from a product
  folder, the release dossier ("marque report"), which the dashboard shows. What the inventory names
  without listing it (dependencies with no resolvable version, lockfiles not read) goes with it, so that
  the server's coverage is not complete where "marque vulns" says it is not. The token comes from
  $MARQUE_TOKEN ("marque token create" on the server).

  One request, stored in one transaction: an interrupted push leaves nothing or the whole release, and
  pushing again finishes it. The same content pushed again is answered with the release already there (a
  newer dossier replaces the kept one); a version on the market with other content is refused (HTTP 409).

  --server URL   the server (HTTPS; plain HTTP only on loopback)
  --db FILE      the advisory database the dossier's findings come from (default: the one "marque db" uses)

${SOURCE_USAGE}`,
  options: { ...SOURCE_OPTIONS, server: { type: 'string' }, db: { type: 'string' } },
  async run(positionals, flags, io) {
    const server = flags['server'] as string | undefined;
    if (!server) throw new UsageError('--server URL is required');
    const token = process.env['MARQUE_TOKEN'];
    if (!token) throw new UsageError('set MARQUE_TOKEN to a token of the server ("marque token create" there)');
    const { inv, pr, manifest } = await loadProduct(positionals, flags, io);
    // A release pushed is a product version placed on the market: its identity must be known.
    const product = requireIdentity(pr, 'marque push');
    if (inputErrors(inv)) throw new UsageError(`${inputErrors(inv)} input error(s) leave the SBOM incomplete; fix them before placing the release (marque inventory lists them)`);
    // From a product folder, the release dossier goes with it (what "marque report" renders).
    const dossier = manifest ? await buildDossier({ dir: manifest.dir, db: flags['db'] as string | undefined }) : undefined;
    const { release, outcome } = await pushRelease({
      server, token, product: product.name, version: product.version, sbom: renderSbom(inv, 'cyclonedx', product),
      supportEnd: manifest?.support?.periodEnd, placedOnMarket: manifest?.support?.placedOnMarket, facts: manifest ? releaseFacts(manifest) : undefined, unlisted: releaseUnlisted(inv), dossier,
    });
    if (flags['json']) io.out(JSON.stringify({ ...release, outcome }, null, 2) + '\n');
    else io.err(`pushed ${product.name} ${release.version} to ${server}: release ${release.id}, ${release.componentCount} components${OUTCOME[outcome]}\n`);
    return exitCode(0, false);
  },
};
