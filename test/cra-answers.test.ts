// What only looks like an answer never makes a requirement "met": an empty SECURITY.md or GitHub's
// unedited template, a security.txt Contact that is no URI or reaches nobody (a reserved domain, a
// no-reply mailbox), an update mechanism of "N/A", a support period that has already ended.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifest } from '../src/manifest/manifest.ts';
import { checkProduct } from '../src/cra/check.ts';
import { policyText, unreachableContact } from '../src/util/answers.ts';
import { isPlaceholder } from '../src/manifest/manifest.ts';
import { draftDocuments } from '../src/cra/docs.ts';
import { classify } from '../src/cra/classify.ts';

const TODAY = new Date('2026-11-24');

/** GitHub's "Create a security policy" template, as thousands of repositories commit it unedited. */
const GITHUB_TEMPLATE = `# Security Policy

## Supported Versions

Use this section to tell people about which versions of your project are
currently being supported with security updates.

| Version | Supported          |
| ------- | ------------------ |
| 5.1.x   | :white_check_mark: |
| 5.0.x   | :x:                |
| 4.0.x   | :white_check_mark: |
| < 4.0   | :x:                |

## Reporting a Vulnerability

Use this section to tell people how to report a vulnerability.

Tell them where to go, how often they can expect to get an update on a
reported vulnerability, what to expect if the vulnerability is accepted or
declined, etc.
`;

function product(manifest: string, files: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'marque-answers-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  writeFileSync(join(dir, 'marque.yaml'), manifest);
  const m = { ...parseManifest(manifest, join(dir, 'marque.yaml')), dir };
  const items = checkProduct({ dir, manifest: m as never, today: TODAY });
  return (id: string) => items.find((i) => i.id === id)!;
}

const BASE = 'product: {name: p, version: "1"}\n';

test('a SECURITY.md that states no policy (empty, GitHub\'s template, headings and TODOs) does not meet Part II (5)', () => {
  for (const text of ['', GITHUB_TEMPLATE, '# Security\n\n- TODO\n<!-- write the policy -->\n']) {
    const item = product(BASE, { 'SECURITY.md': text })('II.5');
    assert.equal(item.status, 'not-met', JSON.stringify(text));
    assert.match(item.evidence.join(), /SECURITY\.md states no policy/);
  }
  const written = `${GITHUB_TEMPLATE}\nReport vulnerabilities to psirt@acme-robotics.de; we answer within five working days.\n`;
  assert.equal(product(BASE, { 'SECURITY.md': written })('II.5').status, 'met');
  assert.equal(product(BASE, { '.github/SECURITY.md': 'Report to https://acme-robotics.de/psirt.', 'SECURITY.md': '' })('II.5').status, 'met', 'another place holds the policy');
  assert.equal(product(`${BASE}security: {disclosurePolicy: "https://example.com/security"}\n`)('II.5').status, 'not-met');
});

test('a disclosure policy named security.md (any case), as GitHub reads it, is found (Part II (5)) and gives the contact (Part II (6))', () => {
  // sindresorhus/is-plain-obj keeps .github/security.md, linking the Tidelift security contact.
  const policy = 'To report a security vulnerability, please use the [Tidelift security contact](https://tidelift.com/security). Tidelift will coordinate the fix and disclosure.\n';
  for (const f of ['.github/security.md', 'security.md', 'docs/Security.md']) {
    const item = product(BASE, { [f]: policy });
    assert.equal(item('II.5').status, 'met', f);
    assert.equal(item('II.5').source, f);
    assert.equal(item('II.6').status, 'declared', f);
  }
});

test('a security.txt Contact that is no URI, or that no report reaches, does not meet Part II (6)', () => {
  const txt = (contact: string) => product(BASE, { '.well-known/security.txt': `Contact: ${contact}\nExpires: 2030-01-01T00:00:00Z\n` })('II.6');
  for (const [contact, why] of [['TODO', /Contact "TODO" is not a URI/], ['http://acme-robotics.de/report', /is not a URI \(mailto:, tel:, https:\/\/\)/],
    ['mailto:noreply@acme-robotics.de', /noreply@acme-robotics\.de is a no-reply mailbox/], ['mailto:psirt@example.com', /example\.com is a domain reserved/],
    ['https://robot.example/security', /robot\.example is a domain reserved/]] as const) {
    const item = txt(contact);
    assert.equal(item.status, 'not-met', contact);
    assert.match(item.evidence.join(), why, contact);
  }
  assert.equal(txt('mailto:psirt@acme-robotics.de').status, 'met');
  // Two contacts: one that reaches someone is enough.
  assert.equal(product(BASE, { '.well-known/security.txt': 'Contact: mailto:noreply@acme-robotics.de\nContact: https://acme-robotics.de/psirt\nExpires: 2030-01-01T00:00:00Z\n' })('II.6').status, 'met');
  // Declared in marque.yaml: taken at its word, unless it says itself that nobody reads it.
  assert.equal(product(`${BASE}security: {contact: "mailto:psirt@acme-robotics.de"}\n`)('II.6').status, 'declared');
  for (const contact of ['no-reply@acme-robotics.de', 'N/A', 'mailto:security@localhost']) {
    const item = product(`${BASE}security: {contact: "${contact}"}\n`)('II.6');
    assert.equal(item.status, 'not-met', contact);
    assert.match(item.evidence.join(), /security\.contact/);
  }
  assert.equal(unreachableContact('mailto:psirt@example-robotics.invalid')?.startsWith('example-robotics.invalid is a domain reserved'), true);
  assert.equal(unreachableContact('https://acme-robotics.de/.well-known/security.txt'), undefined);
});

test('an update mechanism of "N/A" or "none" is no mechanism: Part II (7) needs evidence, and the user information leaves it to complete', () => {
  for (const v of ['N/A', 'none', '-']) {
    const manifest = `${BASE}support: {updates: {mechanism: "${v}"}}\nsecurity: {contact: "no-reply@acme-robotics.de"}\n`;
    const item = product(manifest)('II.7');
    assert.equal(item.status, 'needs-evidence', v);
    assert.match(item.evidence[0]!, /no update mechanism is declared/);
    const m = parseManifest(manifest, 'marque.yaml');
    const points = draftDocuments({ manifest: m, profile: classify(m, TODAY) } as never).flatMap((d) => d.points);
    assert.ok(!points.some((p) => p.value === v), `"${v}" is not drawn as the update mechanism`);
    const contact = points.find((p) => p.value?.startsWith('no-reply@'));
    assert.match(contact!.missing!.join(), /a contact that can receive vulnerability reports \(no-reply@acme-robotics\.de is a no-reply mailbox\)/);
  }
});

test('a support period that has ended is not "met", however long it was (Art. 13(8))', () => {
  const ended = product(`${BASE}support: {periodEnd: "2024-12", placedOnMarket: "2019-01-01"}\n`)('Art.13(8)');
  assert.equal(ended.status, 'needs-evidence');
  assert.match(ended.evidence.join(), /the support period ended in 2024-12, before this month \(2026-11\)/);
  assert.equal(product(`${BASE}support: {periodEnd: "2032-12", placedOnMarket: "2027-03-01"}\n`)('Art.13(8)').status, 'met');
  assert.equal(product(`${BASE}support: {periodEnd: "2024-12", placedOnMarket: "2025-01-01"}\n`)('Art.13(8)').status, 'not-met', 'ended before it began: not met, as before');
});

test('policyText keeps what a reporter reads, and nothing of the template', () => {
  assert.equal(policyText(GITHUB_TEMPLATE, isPlaceholder), '');
  assert.equal(policyText('# Policy\nMail psirt@acme-robotics.de.\n', isPlaceholder), 'Mail psirt@acme-robotics.de.');
});

test('docs says whose documents they are: none of a steward\'s (recital 19, Art. 24(1)), not required out of scope', () => {
  const unmonetised = 'commercial: {openSource: true, price: false, support: none, donations: without-profit, monetisingPlatform: false, personalDataCondition: false';
  const intros = (yaml: string) => { const m = parseManifest(yaml, 'marque.yaml'); return draftDocuments({ manifest: m, profile: classify(m, TODAY), today: TODAY }).map((d) => d.intro); };
  // Eclipse Mosquitto, answered as the Eclipse Foundation would: a steward.
  const steward = intros(`product: {name: mosquitto, version: "2.0.20"}\n${unmonetised}, steward: {legalPerson: true, sustainedSupport: true, intendedForCommercialActivities: true}}\n`);
  assert.equal(steward.length, 3);
  for (const i of steward) assert.match(i, /^Not a document of this role: .*open-source software steward.*may not affix the CE marking \(recital 19\).*Art\. 24\(1\)/);
  for (const i of intros(`product: {name: is-plain-obj, version: "4.1.0"}\n${unmonetised}}\n`)) assert.match(i, /^Not required: marque classify finds that the Regulation does not apply \(Art\. 3\(22\); recitals 15, 18\)/);
  for (const i of intros(`${BASE}commercial: {actor: importer}\n`)) assert.match(i, /Art\. 19\(2\)/);
  for (const i of intros(`${BASE}commercial: {price: true}\n`)) assert.doesNotMatch(i, /Not a document|Not required|Drawn up by the manufacturer:/, 'a manufacturer\'s drafts say nothing of roles');
});
