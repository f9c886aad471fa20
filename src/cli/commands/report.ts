import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildDossier } from '../../api/dossier.ts';
import { UsageError } from '../../util/errors.ts';
import { EXIT, todayFlag, type Command } from '../command.ts';
import { writeFileAtomic } from '../io.ts';

export const reportCommand: Command = {
  name: 'report',
  usage: `marque report [DIR] -o FILE [--format html|pdf|json] [--db FILE] [--store DIR|URL] [--today YYYY-MM-DD]

  The release dossier: one self-contained HTML file (no network; styles and scripts inlined) with the
  product's identity, class and conformity route, support period against the platforms' end of life,
  obligations with dates, the SBOM at a glance (ecosystems, depth histogram, licences, coverage, why
  the deepest components are there), findings with VEX decisions and Art. 14(2) clocks, the Annex I
  checklist with evidence, the perimeter picture and list, signed assessment coverage, and the SHA-256
  of every input.

  -o FILE      where to write it (.html, .pdf or .json decides the format unless --format says)
  --format     html (default), pdf (A4, through a headless Chromium on this machine), json (the data)`,
  options: { output: { type: 'string', short: 'o' }, format: { type: 'string' }, db: { type: 'string' }, store: { type: 'string' }, today: { type: 'string' } },
  async run(positionals, flags, io) {
    const out = flags['output'] as string | undefined;
    const format = (flags['format'] as string | undefined) ?? (out?.endsWith('.pdf') ? 'pdf' : out?.endsWith('.json') ? 'json' : 'html');
    if (!['html', 'pdf', 'json'].includes(format)) throw new UsageError(`--format takes html, pdf or json (got "${format}")`);
    if (format === 'pdf' && !out) throw new UsageError('a PDF needs -o FILE.pdf');
    const d = await buildDossier({ dir: positionals[0] ?? '.', db: flags['db'] as string | undefined, store: flags['store'] as string | undefined, today: todayFlag(flags) });
    let data: string | Buffer;
    if (format === 'json') data = JSON.stringify(d, null, 2) + '\n';
    else {
      const { dossierHtml } = await import('../../report/dossier-html.ts');
      const page = dossierHtml(d);
      data = format === 'pdf' ? await (await import('../../report/pdf.ts')).htmlToPdf(page) : page;
    }
    if (!out) { io.out(typeof data === 'string' ? data : data.toString('latin1')); return EXIT.ok; }
    const file = resolve(out);
    mkdirSync(dirname(file), { recursive: true });
    writeFileAtomic(file, data);
    io.err(`wrote ${file} (${(Buffer.byteLength(data) / 1024).toFixed(0)} KB; inputs digest ${d.digest.slice(0, 16)}…)\n`);
    return EXIT.ok;
  },
};
