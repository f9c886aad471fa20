import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AdvisoryDb } from '../../advisories/store.ts';
import { coverageText } from '../../advisories/coverage.ts';
import { countComponents, countVulnerabilities } from '../../model/counting.ts';
import { dbPath } from '../../api/advisories.ts';
import { ensureManifest } from '../../api/cra.ts';
import { classify } from '../../cra/classify.ts';
import { buildInventory } from '../../api/inventory.ts';
import { productRequest } from '../../api/request.ts';
import { findVulnerabilities } from '../../api/vulns.ts';
import { docsHtml, docsMarkdown, draftDocuments, type DocFacts } from '../../cra/docs.ts';
import { UsageError } from '../../util/errors.ts';
import { EXIT, todayFlag, type Command } from '../command.ts';
import { writeFileAtomic } from '../io.ts';

export const docsCommand: Command = {
  name: 'docs',
  usage: `marque docs [DIR] [--format markdown|html] [-o PATH] [--db FILE] [--today YYYY-MM-DD] [--json]

  -o PATH    write to PATH when it ends in .md or .html, else cra-documents.md (or .html) into the folder PATH`,
  options: { format: { type: 'string' }, output: { type: 'string', short: 'o' }, db: { type: 'string' }, json: { type: 'boolean' }, today: { type: 'string' } },
  async run(positionals, flags, io) {
    const dir = positionals[0] ?? '.';
    const out = flags['output'] as string | undefined;
    const format = (flags['format'] as string | undefined) ?? (out && /\.html?$/i.test(out) ? 'html' : 'markdown');
    if (format !== 'markdown' && format !== 'html') throw new UsageError(`--format takes markdown or html (got "${format}")`);
    const today = todayFlag(flags);
    const { request, product, manifest: found } = await productRequest(dir, { db: flags['db'] as string | undefined });
    const manifest = ensureManifest(found, dir);
    const profile = classify(manifest, today);
    const facts: DocFacts = { manifest, profile, today };
    try {
      const inv = await buildInventory(request);
      const ecosystems: Record<string, number> = {};
      for (const c of inv.components) ecosystems[c.ecosystem] = (ecosystems[c.ecosystem] ?? 0) + 1;
      const counts = countComponents(inv.components);
      facts.inventory = { components: counts.all, firstParty: counts.firstParty, ecosystems };
      const db = AdvisoryDb.openForRead(dbPath(flags['db'] as string | undefined));
      if (db) {
        try {
          const { findings, coverage } = findVulnerabilities({ components: inv.components, unlisted: inv, db, product, now: today, upstreams: manifest.inventory?.upstreams, maxAgeDays: manifest.advisories?.maxAgeDays });
          facts.findings = { all: countVulnerabilities(findings), open: countVulnerabilities(findings.filter((x) => x.status === 'affected' || x.status === 'under_investigation')), coverage: coverageText(coverage) };
        } finally {
          db.close();
        }
      }
    } catch {
      // the documents are still drafted; the SBOM points stay marked as gaps
    }
    const docs = draftDocuments(facts);
    if (flags['json']) { io.out(JSON.stringify({ documents: docs }, null, 2) + '\n'); return EXIT.ok; }
    const text = format === 'html' ? docsHtml(docs, facts) : docsMarkdown(docs, facts);
    if (out) {
      // A path with a file extension is the file; otherwise a folder that receives cra-documents.*.
      const file = /\.(html?|md|markdown)$/i.test(out) ? resolve(out) : join(resolve(out), `cra-documents.${format === 'html' ? 'html' : 'md'}`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileAtomic(file, text);
      io.err(`wrote ${file}\n`);
    } else io.out(text);
    return EXIT.ok;
  },
};
