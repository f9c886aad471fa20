// Annex I, Part II (6) from the disclosure policy: many projects give the contact for vulnerability
// reports only in SECURITY.md (an address, GitHub's private vulnerability reporting, a bug bounty
// platform). Real policies (test/fixtures/security-policies/SOURCES.md) give it; what is given for
// something else, a person in a list, or an address no report reaches, does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifest, isPlaceholder } from '../src/manifest/manifest.ts';
import { checkProduct } from '../src/cra/check.ts';
import { classify } from '../src/cra/classify.ts';
import { draftDocuments } from '../src/cra/docs.ts';
import { policyContacts } from '../src/cra/policy-contact.ts';
import { FIXTURES, ROOT } from './helpers/paths.ts';

const TODAY = new Date('2026-11-24');
const BASE = 'product: {name: p, version: "1"}\n';

function product(opts: { fixture?: string; files?: Record<string, string>; manifest?: string }) {
  const dir = mkdtempSync(join(tmpdir(), 'marque-policy-contact-'));
  if (opts.fixture) cpSync(join(FIXTURES, 'security-policies', opts.fixture), dir, { recursive: true });
  for (const [f, text] of Object.entries(opts.files ?? {})) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  const manifest = opts.manifest ?? BASE;
  writeFileSync(join(dir, 'marque.yaml'), manifest);
  const m = { ...parseManifest(manifest, join(dir, 'marque.yaml')), dir };
  const items = checkProduct({ dir, manifest: m as never, today: TODAY });
  return (id: string) => items.find((i) => i.id === id)!;
}

test('tailscale: the address SECURITY.md gives for reports is the contact, declared (written, not verified), with file and line', () => {
  const item = product({ fixture: 'tailscale' });
  assert.equal(item('II.5').status, 'met');
  const c = item('II.6');
  assert.equal(c.status, 'declared');
  assert.equal(c.source, 'SECURITY.md:6');
  assert.equal(c.evidence[0], 'SECURITY.md:6: address security@tailscale.com, given for reporting vulnerabilities (written in the policy; Marque did not check that it receives reports)');
});

test('llama.cpp: a link to GitHub\'s private vulnerability reporting form is the contact; a discussions link for collaborators is not', () => {
  const c = product({ fixture: 'llama.cpp' })('II.6');
  assert.equal(c.status, 'declared');
  assert.equal(c.source, 'SECURITY.md:18');
  assert.deepEqual(c.evidence, ['SECURITY.md:18: GitHub private vulnerability reporting https://github.com/ggml-org/llama.cpp/security/advisories/new, given for reporting vulnerabilities (written in the policy; Marque did not check that it receives reports)']);
});

test('cli/cli: private vulnerability reporting and a HackerOne programme, both listed; the bounty scope page is not a contact', () => {
  const c = product({ fixture: 'cli' })('II.6');
  assert.equal(c.status, 'declared');
  assert.equal(c.evidence.length, 2, c.evidence.join('\n'));
  assert.match(c.evidence[0]!, /^SECURITY\.md:5: GitHub private vulnerability reporting of this repository \(the policy links GitHub's documentation of it\) https:\/\/docs\.github\.com\//);
  assert.match(c.evidence[1]!, /^SECURITY\.md:7: HackerOne programme https:\/\/hackerone\.com\/github, given for reporting/);
  assert.ok(!c.evidence.join().includes('bounty.github.com'));
});

test('node: HackerOne and the escalation address count; the address given "for permission" to test does not, though its sentence mentions a report', () => {
  const c = product({ fixture: 'node' })('II.6');
  assert.equal(c.status, 'declared');
  assert.equal(c.source, 'SECURITY.md:5');
  assert.match(c.evidence[0]!, /^SECURITY\.md:5: HackerOne programme https:\/\/hackerone\.com\/nodejs/);
  assert.match(c.evidence[1]!, /^SECURITY\.md:20: address security@lists\.openjsf\.org/);
  assert.match(c.evidence[2]!, /^SECURITY\.md:81: tsc@iojs\.org is given for something else \("Contact the Node\.js Technical Steering Committee/);
});

test('stricli: the policy in .github/ points to private vulnerability reporting; the OSPO address "for questions or concerns" is not the contact', () => {
  const item = product({ fixture: 'stricli' });
  assert.equal(item('II.5').source, '.github/SECURITY.md');
  const c = item('II.6');
  assert.equal(c.status, 'declared');
  assert.equal(c.source, '.github/SECURITY.md:3');
  assert.match(c.evidence[1]!, /^\.github\/SECURITY\.md:8: opensource@bloomberg\.net is given for something else \("If you have any questions or concerns/);
  // Without the reporting link, the address for questions alone is no reporting contact.
  const alone = product({ files: { 'SECURITY.md': 'If you believe you have identified a security vulnerability in this project, you may submit a private vulnerability disclosure.\n\nIf you have any questions or concerns, please send an email to the Bloomberg OSPO at opensource@bloomberg.net.\n' } })('II.6');
  assert.equal(alone.status, 'not-met');
  assert.match(alone.evidence.join('\n'), /SECURITY\.md:3: opensource@bloomberg\.net is given for something else/);
});

test('uv: an address written out against harvesting ("security at astral dot sh") is read; the advisories page it publishes to is not a contact', () => {
  const c = product({ fixture: 'uv' })('II.6');
  assert.equal(c.status, 'declared');
  assert.deepEqual(c.evidence, ['SECURITY.md:18: address security@astral.sh (written "security at astral dot sh"), given for reporting vulnerabilities (written in the policy; Marque did not check that it receives reports)']);
  const out = (t: string) => policyContacts(t, 'SECURITY.md', isPlaceholder).contacts.map((x) => x.address);
  assert.deepEqual(out('Please report them to Doyensec via info[AT]doyensec.com. You should receive a response.'), ['info@doyensec.com']);
  assert.deepEqual(out('Report it at security.acme-robotics.de please.'), [], 'a plain " at " without " dot " is no address');
});

test('what is not the reporting contact leaves Part II (6) not met, said with the reason', () => {
  const cases: [string, string, RegExp][] = [
    ['general questions', 'We fix vulnerabilities in supported releases.\n\nFor general questions contact info@acme-robotics.de.\n', /info@acme-robotics\.de is given for something else/],
    ['people list', '# Security\n\nWe fix vulnerabilities in supported releases.\n\n## Security team\n\n- Alice Smith <alice@acme-robotics.de>\n- Bob Jones <bob@acme-robotics.de>\n', /alice@acme-robotics\.de is a person's address in a list, not the reporting contact/],
    ['reserved domain', '## Reporting a vulnerability\n\nMail psirt@acme.example with the details.\n', /SECURITY\.md:3: psirt@acme\.example: acme\.example is a domain reserved/],
    ['no-reply', 'Report vulnerabilities to noreply@acme-robotics.de.\n', /noreply@acme-robotics\.de is a no-reply mailbox/],
    ['public issues only', 'Please [report a bug](https://github.com/acme/robot/issues/new) with steps to reproduce.\n', /gives no address or link for reporting vulnerabilities/],
    ['advisories page', '## Vulnerability disclosures\n\nCritical vulnerabilities will be disclosed via GitHub\'s [security advisory](https://github.com/acme/robot/security) system.\n', /gives no address or link for reporting vulnerabilities/],
    ['placeholder', '## Reporting a vulnerability\n\nWe answer within five days.\n\n- TODO: psirt@acme-robotics.de\n', /gives no address or link/],
    ['one disclosed report', 'Our fix for a report on HackerOne is described in [this report](https://hackerone.com/reports/1060518).\n', /gives no address or link/],
  ];
  for (const [name, text, why] of cases) {
    const c = product({ files: { 'SECURITY.md': text } })('II.6');
    assert.equal(c.status, 'not-met', name);
    assert.match(c.evidence.join('\n'), why, name);
  }
});

test('the other sources keep their place: a valid security.txt is met, security.contact declared before the policy', () => {
  const files = { 'SECURITY.md': 'Report vulnerabilities to security@acme-robotics.de.\n' };
  assert.equal(product({ files: { ...files, '.well-known/security.txt': 'Contact: mailto:psirt@acme-robotics.de\nExpires: 2030-01-01T00:00:00Z\n' } })('II.6').status, 'met');
  assert.equal(product({ files, manifest: `${BASE}security: {contact: "mailto:psirt@acme-robotics.de"}\n` })('II.6').source, 'marque.yaml: security.contact');
  // A policy that states none (GitHub's template, an empty file) gives no contact either.
  assert.equal(product({ files: { 'SECURITY.md': '' } })('II.6').status, 'not-met');
});

test('policyContacts: sentences, headings and link text decide; a mailbox named for security counts in a list; repeats are one', () => {
  const { contacts } = policyContacts([
    '## How to report', '', '1. **Email**: `security@acme-robotics.de`', '2. [Private report](../../security/advisories/new)',
    '', 'Please email [security@acme-robotics.de](mailto:security@acme-robotics.de).', '',
    'Report vulnerabilities at https://acme-robotics.de/psirt.', '',
    'Report vulnerabilities to psirt@acme-robotics.de (PGP key on https://acme-robotics.de/pgp).',
  ].join('\n'), 'SECURITY.md', isPlaceholder);
  assert.deepEqual(contacts.map((c) => [c.line, c.what, c.address]), [
    [3, 'address', 'security@acme-robotics.de'],
    [4, 'GitHub private vulnerability reporting of this repository', '../../security/advisories/new'],
    [8, 'reporting page', 'https://acme-robotics.de/psirt'],
    [10, 'address', 'psirt@acme-robotics.de'],
  ]);
});

function marque(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), ...args], { encoding: 'utf8', stdin: 'ignore' } as never);
  assert.equal(r.status, 0, String(r.stderr));
  return JSON.parse(String(r.stdout));
}

/** Annex II (2), the single point of contact for vulnerability reports, as docs drafts it. */
function annexII2(manifestFile: string, today = TODAY) {
  const m = parseManifest(readFileSync(manifestFile, 'utf8'), manifestFile);
  return draftDocuments({ manifest: m, profile: classify(m, today), today }).find((d) => d.id === 'user-information')!.points.find((p) => p.point === '2')!;
}

test('docs: a contact given only in SECURITY.md fills Annex II (2), saying file and line, the same answer check gives', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-docs-contact-'));
  cpSync(join(FIXTURES, 'security-policies', 'tailscale'), dir, { recursive: true });
  writeFileSync(join(dir, 'marque.yaml'), BASE);
  const db = join(dir, 'no-such-db.sqlite');
  const docs = marque('docs', dir, '--json', '--db', db, '--today', '2026-11-24');
  const point = docs.documents.find((d: { id: string }) => d.id === 'user-information').points.find((p: { point: string }) => p.point === '2');
  assert.equal(point.value, 'security@tailscale.com (SECURITY.md:6)');
  assert.equal(point.missing, undefined, 'no gap: the policy gives a contact that can receive reports');
  const check = marque('check', dir, '--json', '--db', db, '--today', '2026-11-24');
  const item = check.items.find((i: { id: string }) => i.id === 'II.6');
  assert.equal(item.status, 'declared');
  assert.equal(item.source, 'SECURITY.md:6');
});

test('docs: a policy link that is no address says what it is; a reserved or no-reply contact stays a gap, as check says not met', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-docs-contact-'));
  cpSync(join(FIXTURES, 'security-policies', 'llama.cpp'), dir, { recursive: true });
  writeFileSync(join(dir, 'marque.yaml'), BASE);
  assert.equal(annexII2(join(dir, 'marque.yaml')).value, 'GitHub private vulnerability reporting https://github.com/ggml-org/llama.cpp/security/advisories/new (SECURITY.md:18)');

  // The courier-robot example: security.txt, security.contact, product.securityTxt and SECURITY.md all give .invalid addresses.
  const courier = annexII2(join(ROOT, 'examples/courier-robot/marque.yaml'));
  assert.match(courier.value!, /^mailto:psirt@example-robotics\.invalid \(\.well-known\/security\.txt\); mailto:psirt@example-robotics\.invalid \(marque\.yaml: security\.contact\); https:\/\/example-robotics\.invalid\/\.well-known\/security\.txt \(marque\.yaml: product\.securityTxt\); psirt@example-robotics\.invalid \(SECURITY\.md:4\)/);
  assert.equal(courier.missing?.length, 1);
  assert.match(courier.missing![0]!, /^a contact that can receive vulnerability reports \(example-robotics\.invalid is a domain reserved/);

  const noReply = product({ files: { 'SECURITY.md': 'Report vulnerabilities to no-reply@acme-robotics.de.\n' } })('II.6');
  assert.equal(noReply.status, 'not-met');
  const sec = mkdtempSync(join(tmpdir(), 'marque-docs-contact-'));
  writeFileSync(join(sec, 'SECURITY.md'), 'Report vulnerabilities to no-reply@acme-robotics.de.\n');
  writeFileSync(join(sec, 'marque.yaml'), BASE);
  const gap = annexII2(join(sec, 'marque.yaml'));
  assert.equal(gap.value, 'no-reply@acme-robotics.de (SECURITY.md:1)');
  assert.deepEqual(gap.missing, ['a contact that can receive vulnerability reports (no-reply@acme-robotics.de is a no-reply mailbox)']);
});

test('docs: an unreachable security.contact gives way to a published security.txt, as in check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marque-docs-contact-'));
  const manifest = 'product: {name: p, version: "1", securityTxt: "https://acme-robotics.de/.well-known/security.txt"}\nsecurity: {contact: "mailto:psirt@acme.invalid"}\n';
  writeFileSync(join(dir, 'marque.yaml'), manifest);
  const point = annexII2(join(dir, 'marque.yaml'));
  assert.equal(point.value, 'https://acme-robotics.de/.well-known/security.txt (marque.yaml: product.securityTxt)');
  assert.equal(point.missing, undefined);
  assert.equal(product({ manifest })('II.6').source, 'marque.yaml: product.securityTxt');
});
