import { AdvisoryDb } from '../../advisories/store.ts';
import { awarenessStoreFor, dbPath } from '../../api/advisories.ts';
import { findVulnerabilities } from '../../api/vulns.ts';
import { draftMarkdown, draftReports } from '../../cra/report-draft.ts';
import { requireIdentity } from '../../api/request.ts';
import { UsageError } from '../../util/errors.ts';
import { EXIT, SOURCE_OPTIONS, SOURCE_USAGE, timeFlag, type Command } from '../command.ts';
import { loadProduct } from './inventory.ts';

export const reportClockCommand: Command = {
  name: 'report-clock',
  usage: `marque report-clock ADVISORY [DIR] [--component PURL] [--db FILE] [--aware-at TIME] [--json]

  ADVISORY         the finding's advisory id or any alias (e.g. a CVE)
  --component P    which component, when several carry the vulnerability

${SOURCE_USAGE}`,
  options: { ...SOURCE_OPTIONS, db: { type: 'string' }, component: { type: 'string' }, 'aware-at': { type: 'string' }, now: { type: 'string' } },
  async run(positionals, flags, io) {
    const [id, dir] = positionals;
    if (!id) throw new UsageError('marque report-clock needs an advisory id or alias');
    const path = dbPath(flags['db'] as string | undefined);
    const db = AdvisoryDb.openForRead(path);
    if (!db) throw new UsageError(`no advisory database at ${path}; import data first with "marque db import PATH..."`);
    const target = dir ?? '.';
    const { inv, manifest, pr } = await loadProduct([target], flags, io);
    const product = requireIdentity(pr, 'report-clock');
    const awareness = awarenessStoreFor(path, (n) => io.err(`note: ${n}\n`));
    let findings;
    try {
      findings = findVulnerabilities({ components: inv.components, unlisted: inv, db, product, awareness, awareAt: timeFlag(flags, 'aware-at'), now: timeFlag(flags, 'now') }).findings;
    } finally {
      awareness?.close();
      db.close();
    }
    const matching = findings.filter((f) => (f.advisory === id || f.aliases.includes(id)) && (!flags['component'] || f.component === flags['component']));
    if (!matching.length) { io.err(`no finding ${id} in this product\n`); return EXIT.input; }
    if (matching.length > 1) { io.err(`${id} affects several components; choose one with --component: ${matching.map((f) => f.component).join(', ')}\n`); return EXIT.input; }
    const finding = matching[0]!;
    if (!finding.exploited) io.err(`note: ${id} is not known to be actively exploited; Art. 14(1) reporting applies only to actively exploited vulnerabilities (Art. 3(42)). Voluntary reporting: Art. 15.\n`);
    const ctx = { product, finding, mainEstablishment: manifest?.market?.mainEstablishment, memberStates: manifest?.market?.memberStates };
    const drafts = draftReports(ctx);
    io.out(flags['json'] ? JSON.stringify({ finding, drafts }, null, 2) + '\n' : draftMarkdown(ctx, drafts, { awareAtHint: true }) + '\n');
    return EXIT.ok;
  },
};
