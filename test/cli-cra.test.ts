import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE, FIXTURES, ROOT } from './helpers/paths.ts';
import { readSecurityTxt } from '../src/cra/check.ts';

function marque(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8', stdin: 'ignore', maxBuffer: 64 * 1024 * 1024 } as never);
  return { code: r.status, out: String(r.stdout), err: String(r.stderr) };
}

test('classify --json follows the contract on the example robot', () => {
  const r = marque('classify', EXAMPLE, '--json', '--today', '2026-11-24');
  assert.equal(r.code, 0, r.err);
  const p = JSON.parse(r.out);
  for (const k of ['scope', 'role', 'class', 'categories', 'conformityRoutes', 'obligations', 'uncertainties']) assert.ok(k in p, k);
  assert.equal(p.scope.inScope, true);
  assert.equal(p.role, 'manufacturer');
  assert.equal(p.class, 'default');
  assert.ok(p.scope.reasons.every((r: { text: string; cite: string }) => r.text && r.cite));
  assert.ok(p.obligations.every((o: Record<string, string>) => o['id'] && o['text'] && o['cite'] && o['appliesFrom'] && o['status']));
  assert.equal(p.obligations.find((o: { id: string }) => o.id === 'report-exploited').status, 'in-force');
  assert.match(marque('classify', EXAMPLE).out, /Class: default/);
  assert.equal(marque('classify', join(FIXTURES, 'lockfiles')).code, 2, 'no marque.yaml is a usage error');
});

test('init creates a product folder that does not exist yet, and refuses a file in the way', () => {
  const base = mkdtempSync(join(tmpdir(), 'marque-init-'));
  const r = marque('init', join(base, 'new/product'), '--name', 'p', '--version', '1.0.0');
  assert.equal(r.code, 0, r.err);
  assert.match(readFileSync(join(base, 'new/product/marque.yaml'), 'utf8'), /name: "p"/);
  writeFileSync(join(base, 'file'), '');
  const f = marque('init', join(base, 'file'), '--name', 'p', '--version', '1.0.0');
  assert.equal(f.code, 2);
  assert.match(f.err, /is not a folder/);
});

test('check states the support period in years and months, in singular where it is one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-support-'));
  const span = (placed: string, end: string) => {
    writeFileSync(join(dir, 'marque.yaml'), `product:\n  name: p\n  version: "1.0"\nsupport:\n  placedOnMarket: "${placed}"\n  periodEnd: "${end}"\n`);
    const item = JSON.parse(marque('check', dir, '--json', '--db', join(tmpdir(), 'no-such-db.sqlite')).out).items.find((i: { id: string }) => i.id === 'Art.13(8)');
    return item.evidence[0] as string;
  };
  assert.equal(span('2027-11-01', '2032-12'), 'support until 2032-12: 5 years 1 month from 2027-11-01');
  assert.equal(span('2027-12-01', '2032-12'), 'support until 2032-12: 5 years from 2027-12-01');
  assert.equal(span('2027-12-01', '2028-01'), 'support until 2028-01: 1 month from 2027-12-01');
  assert.equal(span('2027-12-01', '2027-12'), 'support until 2027-12: 0 months from 2027-12-01');
  assert.equal(span('2028-02-01', '2027-12'), 'support until 2027-12: 2 months before 2028-02-01');
});

test('init writes a valid, commented marque.yaml from flags, refuses to overwrite, and classify reads it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-init-'));
  const r = marque('init', dir, '--name', 'ros-tool', '--version', '2.1.0', '--open-source', '--core-function', 'III-I-6', '--support-end', '2031-06');
  assert.equal(r.code, 0, r.err);
  const text = readFileSync(join(dir, 'marque.yaml'), 'utf8');
  assert.match(text, /# Core functionality in Annex III\/IV decides the class \(Art\. 7\(1\), Art\. 8\(1\)\)/);
  assert.equal(marque('init', dir, '--name', 'x', '--version', '1').code, 2);
  const p = JSON.parse(marque('classify', dir, '--json').out);
  // --open-source alone says nothing of monetisation (recital 15): the facts stay questions, and classify does not
  // answer them "not monetised"; it assumes the supply commercial and names what would change that.
  assert.equal(p.scope.inScope, true, 'open source, monetisation unanswered: not concluded out of scope');
  assert.equal(p.role, 'manufacturer');
  assert.ok(p.uncertainties.some((u: { text: string }) => /does not answer commercial\.price, commercial\.support, commercial\.donations, commercial\.monetisingPlatform, commercial\.personalDataCondition/.test(u.text)), JSON.stringify(p.uncertainties));
  assert.ok(p.wouldChange.some((w: { text: string }) => /out of scope, unless a legal person acts as its open-source software steward/.test(w.text)));
  assert.match(text, /^ {2}# steward: +# a legal person/m, 'the steward question is in the manifest, unanswered');
  assert.equal(p.class, 'important-I');
  // --not-monetised answers all five facts: a volunteer library, out of scope, the steward question still open.
  const lib = mkdtempSync(join(tmpdir(), 'marque-init-'));
  assert.equal(marque('init', lib, '--name', 'is-plain-obj', '--version', '4.1.0', '--open-source', '--not-monetised').code, 0);
  assert.match(readFileSync(join(lib, 'marque.yaml'), 'utf8'), /^ {2}price: false\n {2}support: none .*\n {2}donations: none .*\n {2}monetisingPlatform: false\n {2}personalDataCondition: false$/m);
  const l = JSON.parse(marque('classify', lib, '--json').out);
  assert.equal(l.role, 'out-of-scope');
  assert.ok(l.uncertainties.some((u: { text: string }) => /commercial\.steward\.legalPerson/.test(u.text)));
  assert.equal(marque('init', mkdtempSync(join(tmpdir(), 'marque-init-'))).code, 2, 'no name and no terminal: usage error');
  // Without --core-function nobody answered: the field is left as a question, and classify says the default class rests on it.
  const open = mkdtempSync(join(tmpdir(), 'marque-init-'));
  assert.equal(marque('init', open, '--name', 'p', '--version', '1.0.0').code, 0);
  assert.match(readFileSync(join(open, 'marque.yaml'), 'utf8'), /^ {2}# coreFunctions: \[\]/m);
  const q = JSON.parse(marque('classify', open, '--json').out);
  assert.equal(q.class, 'default');
  assert.ok(q.uncertainties.some((u: { text: string }) => /classification\.coreFunctions; \[\] for none/.test(u.text)), JSON.stringify(q.uncertainties));
});

test('check gathers evidence: SBOM, CVD policy, security.txt, support period with platform end-of-life warnings', () => {
  const r = marque('check', EXAMPLE, '--json', '--today', '2026-11-24', '--db', join(tmpdir(), 'no-such-db.sqlite'));
  assert.equal(r.code, 0, r.err);
  const { items, counts } = JSON.parse(r.out);
  const item = (id: string) => items.find((i: { id: string }) => i.id === id);
  // The SBOM misses mandatory BSI TR-03183-2 fields the example's inputs do not hold (no apt index, pip files
  // unnamed, workspace packages built from source): not met as evidence, each miss explained in the SBOM.
  assert.equal(item('II.1').status, 'needs-evidence');
  assert.match(item('II.1').evidence[0], /does not meet \d+ mandatory requirement\(s\) of BSI TR-03183-2 v2\.1\.0.*5\.2\.2\/hash/);
  // Except its creators, at the reserved example-robotics.invalid: the SBOM cannot say why that is no address.
  assert.equal(item('II.1').evidence[1], 'for 5.2.1/creator, 5.2.2/creator the SBOM gives no reason');
  assert.equal(item('II.5').status, 'met');
  // The example's fictional company writes its contact on the reserved .invalid domain (RFC 6761): no report reaches it.
  assert.equal(item('II.6').status, 'not-met');
  assert.match(item('II.6').evidence[0], /^\.well-known\/security\.txt: no Contact can receive a report: example-robotics\.invalid is a domain reserved/);
  assert.equal(item('II.7').status, 'declared');
  assert.equal(item('I.2.a').status, 'needs-evidence', 'no advisory database');
  assert.equal(item('Art.13(8)').status, 'met');
  assert.ok(item('Art.13(8)').evidence.some((e: string) => /ROS 2 Jazzy reaches end of life in 2029-05/.test(e)));
  assert.equal(item('I.2.d').status, 'needs-evidence');
  // (2)(j): what marque perimeter finds is the evidence; whether the surface is limited enough stays a person's judgement.
  assert.equal(item('I.2.j').status, 'needs-evidence');
  assert.match(item('I.2.j').evidence[0], /^4 external interface\(s\) in the model; declared: fleet-cloud \(cloud\), rosbridge-ws \(bridge\)/);
  assert.match(item('I.2.j').evidence[1], /^97 component\(s\) reached from an external interface, 0 counted in to be safe/);
  assert.equal(counts['not-met'], 1);
  assert.equal(items.length, 23);
});

test('check: a ROS workspace whose marque.yaml names no platform is warned of the platform its inventory was resolved for (humble: Ubuntu 22.04), said to be assumed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-check-eol-'));
  cpSync(EXAMPLE, dir, { recursive: true });
  writeFileSync(join(dir, 'marque.yaml'), readFileSync(join(dir, 'marque.yaml'), 'utf8').replace('  platform: ubuntu:noble\n  rosdistro: jazzy\n', '  rosdistro: humble\n'));
  const r = marque('check', dir, '--json', '--today', '2026-11-24', '--db', join(tmpdir(), 'no-such-db.sqlite'));
  const evidence: string[] = JSON.parse(r.out).items.find((i: { id: string }) => i.id === 'Art.13(8)').evidence;
  assert.ok(evidence.some((e) => /Ubuntu 22\.04 LTS reaches end of life in 2027-04.*not declared: the inventory was resolved for it \(declare inventory\.platform/.test(e)), evidence.join('\n'));
  assert.ok(evidence.some((e) => /ROS 2 Humble reaches end of life in 2027-05, .*components\)$/.test(e)), 'the distribution is declared: no "assumed"');
});

test('check finds what is missing, and --strict fails on it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-check-'));
  cpSync(EXAMPLE, dir, { recursive: true });
  rmSync(join(dir, 'SECURITY.md'));
  rmSync(join(dir, '.well-known'), { recursive: true });
  const yaml = readFileSync(join(dir, 'marque.yaml'), 'utf8').replace('periodEnd: "2032-12"', 'periodEnd: "2029-12"').replace(/security:\n(  .*\n)+/, '').replace(/  securityTxt: .*\n/, '');
  writeFileSync(join(dir, 'marque.yaml'), yaml);
  const r = marque('check', dir, '--json', '--today', '2026-11-24', '--db', join(tmpdir(), 'no-such-db.sqlite'));
  const { items } = JSON.parse(r.out);
  const status = (id: string) => items.find((i: { id: string }) => i.id === id).status;
  assert.deepEqual([status('II.5'), status('II.6'), status('Art.13(8)')], ['not-met', 'not-met', 'not-met']);
  assert.equal(marque('check', dir, '--strict', '--today', '2026-11-24', '--db', join(tmpdir(), 'no-such-db.sqlite')).code, 1);
});

test('check with an advisory database: open findings mean Annex I, Part I (2)(a) is not met', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-check-db-'));
  cpSync(join(FIXTURES, 'npm-exploited'), dir, { recursive: true });
  writeFileSync(join(dir, 'marque.yaml'), 'product:\n  name: panel\n  version: 0.9.0\n');
  const db = join(dir, 'adv.sqlite');
  assert.equal(marque('db', 'import', join(FIXTURES, 'osv/ghsa'), join(FIXTURES, 'kev/known_exploited_vulnerabilities.json'), '--db', db).code, 0);
  const item = JSON.parse(marque('check', dir, '--json', '--db', db).out).items.find((i: { id: string }) => i.id === 'I.2.a');
  assert.equal(item.status, 'not-met');
  assert.match(item.evidence[0], /1 actively exploited/);
});

test('security.txt is read as RFC 9116 asks: Contact required, one Expires not in the past', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-sectxt-'));
  writeFileSync(join(dir, 'security.txt'), '# comment\nContact: https://example.com/report\nExpires: 2020-01-01T00:00:00Z\n');
  const r = readSecurityTxt(dir, new Date('2026-11-24'))!;
  assert.deepEqual(r.contacts, ['https://example.com/report']);
  assert.match(r.problems.join(), /Expires 2020-01-01T00:00:00Z has passed/);
  writeFileSync(join(dir, 'security.txt'), 'Expires: 2030-01-01T00:00:00Z\n');
  assert.match(readSecurityTxt(dir, new Date('2026-11-24'))!.problems.join(), /no Contact/);
});

test('check says what Annex I means for the role: a steward, an importer or a project out of scope is told, with the article, before the manufacturer\'s items; a manufacturer is not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-check-role-'));
  const facts = 'price: false\n  support: none\n  monetisingPlatform: false\n  personalDataCondition: false\n  openSource: true';
  const cases: [string, RegExp | null][] = [
    [`commercial:\n  ${facts}\n  donations: without-profit\n  steward: { legalPerson: true, sustainedSupport: true, intendedForCommercialActivities: true }\n`, /^Role: open source steward \(Art\. 3\(14\)\)\. Annex I's essential requirements are the manufacturer's; a steward puts in place and documents a cybersecurity policy.*\(Art\. 13\(1\); Art\. 24\(1\)-\(3\); recital 19\)\.\n\n/],
    [`commercial:\n  ${facts}\n  donations: without-profit\n`, /^Role: out of scope \(Art\. 2\)\. The Regulation does not apply/],
    ['', null],
  ];
  for (const [commercial, want] of cases) {
    writeFileSync(join(dir, 'marque.yaml'), `product:\n  name: lib\n  version: "1.0.0"\n${commercial}`);
    const r = marque('check', dir);
    if (want) assert.match(r.out, want, r.out.slice(0, 400) + r.err);
    else assert.doesNotMatch(r.out, /^Role:/, 'a manufacturer reads the items as its own');
    const json = JSON.parse(marque('check', dir, '--json').out);
    assert.equal(Boolean(json.forRole), Boolean(want));
  }
});
