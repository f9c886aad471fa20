// Products and advisory data for dossier and dashboard tests.
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importAdvisories } from '../../src/api/advisories.ts';
import { FIXTURES } from './paths.ts';

export async function fixtureDb(): Promise<string> {
  const db = join(mkdtempSync(join(tmpdir(), 'marque-report-db-')), 'advisories.sqlite');
  await importAdvisories(db, [join(FIXTURES, 'osv/ghsa'), join(FIXTURES, 'osv/pypa'), join(FIXTURES, 'kev/known_exploited_vulnerabilities.json')]);
  return db;
}

/** A small product with an actively exploited finding (so that the dossier has a reporting clock). */
export function exploitedProduct(): string {
  const dir = mkdtempSync(join(tmpdir(), 'marque-report-panel-'));
  cpSync(join(FIXTURES, 'npm-exploited'), dir, { recursive: true });
  writeFileSync(join(dir, 'marque.yaml'), 'product:\n  name: panel\n  version: "0.9.0"\n  manufacturer:\n    name: Example Panels SA\n    email: psirt@panels.invalid\nsupport:\n  periodEnd: "2031-06"\n');
  return dir;
}

