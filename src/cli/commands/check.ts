import { join } from 'node:path';
import { AdvisoryDb } from '../../advisories/store.ts';
import { dbPath } from '../../api/advisories.ts';
import { ensureManifest } from '../../api/cra.ts';
import { buildInventory } from '../../api/inventory.ts';
import { productRequest } from '../../api/request.ts';
import { perimeterEvidence } from '../../api/perimeter.ts';
import { findVulnerabilities } from '../../api/vulns.ts';
import { checkProduct } from '../../cra/check.ts';
import { classify } from '../../cra/classify.ts';
import { CHECK_FOR_ROLE, ROLES } from '../../cra/rules/scope.ts';
import type { CheckItem } from '../../model/cra.ts';
import { inventoryEvidence } from '../../api/sbom-check.ts';
import { manifestStatements, readVexFile, type VexStatement } from '../../vex/statements.ts';
import { exitCode, maxAgeFlag, todayFlag, type Command } from '../command.ts';

const MARK: Record<CheckItem['status'], string> = { met: 'MET', declared: 'DECLARED', 'not-met': 'NOT MET', 'needs-evidence': 'EVIDENCE?' };

export const checkCommand: Command = {
  name: 'check',
  usage: `marque check [DIR] [--db FILE] [--vex FILE] [--today YYYY-MM-DD] [--max-age DAYS] [--strict] [--json]

  --strict   exit 1 when any requirement is not met
  --max-age  advisory data older than this many days (by its newest record) is not fresh (default 7)`,
  options: { db: { type: 'string' }, 'max-age': { type: 'string' }, vex: { type: 'string', multiple: true }, today: { type: 'string' }, strict: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(positionals, flags, io) {
    const dir = positionals[0] ?? '.';
    const today = todayFlag(flags);
    const { request, product, manifest: found } = await productRequest(dir, { db: flags['db'] as string | undefined });
    const manifest = ensureManifest(found, dir);
    let inventory;
    let components;
    let unlisted;
    try {
      const inv = await buildInventory(request);
      components = inv.components;
      unlisted = inv;
      inventory = inventoryEvidence(inv, product);
    } catch {
      inventory = undefined;
    }
    let findings;
    let coverage;
    const path = dbPath(flags['db'] as string | undefined);
    const db = components ? AdvisoryDb.openForRead(path) : undefined;
    if (db && components) {
      try {
        const vex: VexStatement[] = manifestStatements(manifest);
        for (const f of (flags['vex'] as string[] | undefined) ?? []) for (const x of await readVexFile(f)) vex.push(x);
        ({ findings, coverage } = findVulnerabilities({
          components, unlisted, db, product, vex, now: today, upstreams: manifest.inventory?.upstreams,
          maxAgeDays: maxAgeFlag(flags) ?? manifest.advisories?.maxAgeDays,
        }));
      } finally {
        db.close();
      }
    }
    const perimeter = await perimeterEvidence(dir, manifest);
    const items = checkProduct({ dir: join(manifest.dir), manifest, today, inventory, findings, coverage, perimeter });
    // Annex I is the manufacturer's: another role is told what the items mean for it.
    const role = classify(manifest, today).role;
    const forRole = CHECK_FOR_ROLE[role];
    const counts = Object.fromEntries((['met', 'declared', 'not-met', 'needs-evidence'] as const).map((s) => [s, items.filter((i) => i.status === s).length]));
    if (flags['json']) io.out(JSON.stringify({ role, ...(forRole ? { forRole: { text: forRole.text, cite: forRole.cite } } : {}), items, counts }, null, 2) + '\n');
    else {
      if (forRole) io.out(`Role: ${role === 'out-of-scope' ? 'out of scope' : role.replace(/-/g, ' ')} (${ROLES[role]?.cite ?? ''}). ${forRole.text[0]!.toUpperCase()}${forRole.text.slice(1)} (${forRole.cite}).\n\n`);
      for (const i of items) {
        io.out(`${MARK[i.status].padEnd(9)} ${i.cite}: ${i.text}\n`);
        for (const e of i.evidence) io.out(`          ${e}\n`);
        if (i.source) io.out(`          see ${i.source}\n`);
        if (i.guidance && i.status !== 'met' && i.status !== 'declared') io.out(`          → ${i.guidance}\n`);
      }
      io.out(`\n${counts['met']} met, ${counts['declared']} declared, ${counts['not-met']} not met, ${counts['needs-evidence']} need evidence (of ${items.length}).\n`);
    }
    return exitCode(inventory?.errors ?? 0, Boolean(flags['strict']) && counts['not-met']! > 0);
  },
};
