// marque advisory: the manufacturer's CSAF advisories. draft writes them from what Marque knows,
// publish sends the edited document to the team server (a CSAF trusted provider), security-txt
// writes the RFC 9116 file that points to that provider.
import { resolve, join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { AdvisoryDb } from '../../advisories/store.ts';
import { dbPath } from '../../api/advisories.ts';
import { draftAdvisories, publishAdvisory, securityTxt } from '../../api/advisory.ts';
import { loadManifest } from '../../manifest/manifest.ts';
import { csafFilename } from '../../formats/csaf/advisory.ts';
import { readVexFile } from '../../vex/statements.ts';
import { UsageError } from '../../util/errors.ts';
import { writeFileAtomic } from '../../util/fs.ts';
import { FileAccess } from '../../util/file-access.ts';
import { parseJsonText } from '../../util/json.ts';
import { EXIT, SOURCE_OPTIONS, sourceFlags, timeFlag, type Command } from '../command.ts';

const USAGE = `marque advisory draft VULN [DIR|SBOM] [--product NAME@VERSION] [--fixed DIR|SBOM] [-o DIR] [options]
marque advisory publish FILE --server URL
marque advisory security-txt [DIR] --provider https://… [-o FILE] [--expires TIME]

  draft          a CSAF 2.0 security advisory (csaf_security_advisory) and its VEX profile document
                 (csaf_vex) for one vulnerability (CVE or advisory id) of the product: the findings in
                 its components, the VEX decisions (marque.yaml "vex:", --vex), CVSS scores, and the
                 fixed release: --fixed names a later version (folder or SBOM) that no longer carries
                 it. Status "draft" (version 0): edit it (notes, remediation, status), then publish.
  --fixed DIR    the release that fixes it (checked: its findings must not carry the vulnerability)
  --base-url URL where the provider serves TLP:WHITE documents, for the canonical URL (default: the
                 manufacturer's URL + /.well-known/csaf/white)
  -o DIR         write the two documents there (file names as CSAF §5.1 says), else print the advisory
  --db FILE      the advisory database (default: the one "marque db" uses)
  --vex FILE     more VEX decisions (repeatable)

  publish        send a document to the team server ($MARQUE_TOKEN); a draft becomes final (version 1),
                 the server validates it, signs it and serves it under /.well-known/csaf/ (docs/server.md)

  security-txt   RFC 9116 security.txt from marque.yaml: Contact, Expires, CSAF (the provider's
                 provider-metadata.json, CSAF 2.0 §7.1.8), Policy, Canonical`;

export const advisoryCommand: Command = {
  name: 'advisory',
  usage: USAGE,
  options: { ...SOURCE_OPTIONS, fixed: { type: 'string' }, output: { type: 'string', short: 'o' }, db: { type: 'string' }, vex: { type: 'string', multiple: true }, 'base-url': { type: 'string' }, server: { type: 'string' }, provider: { type: 'string' }, expires: { type: 'string' }, now: { type: 'string' } },
  async run(positionals, flags, io) {
    const [sub, ...rest] = positionals;
    const now = timeFlag(flags, 'now') ?? new Date();
    if (sub === 'draft') {
      const [vulnerability, target = '.'] = rest;
      if (!vulnerability) throw new UsageError(`name the vulnerability: marque advisory draft CVE-… [DIR]\n\n${USAGE}`);
      const path = dbPath(flags['db'] as string | undefined);
      const db = AdvisoryDb.openForRead(path);
      if (!db) throw new UsageError(`no advisory database at ${path}; import data first with "marque db import PATH..."`);
      try {
        const vex = (await Promise.all(((flags["vex"] as string[] | undefined) ?? []).map((f) => readVexFile(f)))).flat();
        const manifest = await loadManifest(target).catch(() => undefined);
        const mUrl = manifest?.product.manufacturer?.url;
        const baseUrl = (flags['base-url'] as string | undefined) ?? (mUrl && /^https:\/\//.test(mUrl) ? `${new URL(mUrl).origin}/.well-known/csaf/white` : undefined);
        const docs = await draftAdvisories({ vulnerability, target, fixed: flags['fixed'] as string | undefined, flags: sourceFlags(flags), db, vex, categories: ['csaf_security_advisory', 'csaf_vex'], baseUrl, now });
        const output = flags['output'] as string | undefined;
        if (output) {
          mkdirSync(resolve(output), { recursive: true });
          const written = docs.map((d) => {
            const file = join(resolve(output), csafFilename(String(((d.document['document'] as Record<string, unknown>)['tracking'] as Record<string, unknown>)['id'])));
            writeFileAtomic(file, `${JSON.stringify(d.document, null, 2)}\n`);
            return { category: d.category, file };
          });
          if (flags['json']) io.out(`${JSON.stringify({ written }, null, 2)}\n`);
          else for (const w of written) io.err(`wrote ${w.file} (${w.category}, status draft): edit it, then "marque advisory publish ${w.file} --server URL"\n`);
        } else io.out(`${JSON.stringify(docs[0]!.document, null, 2)}\n`);
        return EXIT.ok;
      } finally { db.close(); }
    }
    if (sub === 'publish') {
      const file = rest[0];
      const server = flags['server'] as string | undefined;
      if (!file || !server) throw new UsageError(`marque advisory publish FILE --server URL\n\n${USAGE}`);
      const token = process.env['MARQUE_TOKEN'];
      if (!token) throw new UsageError('set MARQUE_TOKEN to a token of the server ("marque token create" there)');
      const document = parseJsonText(await FileAccess.within(file).readText(file), file) /* a file the user named */ as Record<string, unknown>;
      const r = await publishAdvisory({ server, token, document });
      if (flags['json']) io.out(`${JSON.stringify(r, null, 2)}\n`);
      else io.err(`published ${r.trackingId} at ${r.url} (signed by ${r.fingerprint})${r.warnings.length ? `; recommended tests (CSAF §6.2) say: ${r.warnings.slice(0, 5).join('; ')}` : ''}\n`);
      return EXIT.ok;
    }
    if (sub === 'security-txt') {
      const dir = rest[0] ?? '.';
      const manifest = await loadManifest(dir);
      if (!manifest) throw new UsageError(`${dir}: no marque.yaml`);
      const provider = flags['provider'] as string | undefined;
      if (!provider) throw new UsageError('--provider https://… (where "marque serve --csaf-team" is reached) is required');
      const expires = timeFlag(flags, 'expires');
      const body = securityTxt(manifest, provider, now, expires);
      const output = flags['output'] as string | undefined;
      if (output) writeFileAtomic(resolve(output), body); else io.out(body);
      return EXIT.ok;
    }
    throw new UsageError(USAGE);
  },
};
