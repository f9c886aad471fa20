// Cases drawn from the Regulation's text: every Annex III/IV category, every exclusion, every
// monetisation pattern of recital 15, every conformity route including Art. 32(5), and robots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify } from '../src/cra/classify.ts';
import { CATEGORIES } from '../src/cra/rules/categories.ts';
import { EXCLUSIONS } from '../src/cra/rules/scope.ts';
import type { Manifest } from '../src/manifest/manifest.ts';

type Facts = Pick<Manifest, 'product' | 'commercial' | 'classification' | 'conformity'>;
const product = { name: 'p', version: '1.0.0' };
const TODAY = new Date('2026-11-24T12:00:00Z');
const cites = (xs: { cite: string }[]) => xs.map((x) => x.cite).join(' | ');

test('every Annex III and IV category gives its class, with annex and point', () => {
  assert.equal(CATEGORIES.filter((c) => c.class === 'important-I').length, 19);
  assert.equal(CATEGORIES.filter((c) => c.class === 'important-II').length, 4);
  assert.equal(CATEGORIES.filter((c) => c.class === 'critical').length, 3);
  for (const c of CATEGORIES) {
    const p = classify({ product, classification: { coreFunctions: [c.id] } }, TODAY);
    assert.equal(p.class, c.class, c.id);
    assert.deepEqual(p.categories.map((x) => [x.annex, x.point]), [[c.annex, c.point]]);
    assert.ok(p.conformityRoutes.length > 0);
  }
});

for (const [id, rule] of Object.entries(EXCLUSIONS)) {
  test(`exclusion ${id} puts the product out of scope, citing ${rule.cite}`, () => {
    const p = classify({ product, commercial: { exclusions: [id] } }, TODAY);
    assert.equal(p.scope.inScope, false);
    assert.equal(p.role, 'out-of-scope');
    assert.ok(p.scope.reasons.some((r) => r.cite === rule.cite));
    assert.deepEqual(p.obligations, []);
  });
}

test('no data connection, or not made available in the Union: out of scope (Art. 2(1), Art. 3(22))', () => {
  assert.equal(classify({ product: { ...product, dataConnection: false } }, TODAY).scope.inScope, false);
  const p = classify({ product, commercial: { madeAvailableInEU: false } }, TODAY);
  assert.equal(p.scope.inScope, false);
  assert.match(cites(p.scope.reasons), /Art\. 3\(22\)/);
});

const MONETISED: [string, NonNullable<Facts['commercial']>][] = [
  ['a price', { price: true }],
  ['support beyond cost recovery', { support: 'beyond-cost' }],
  ['a monetising platform', { monetisingPlatform: true }],
  ['personal data as a condition of use', { personalDataCondition: true }],
  ['donations exceeding costs', { donations: 'exceeding-costs' }],
];
for (const [what, commercial] of MONETISED) {
  test(`open-source software monetised by ${what} is supplied commercially: the maintainer is the manufacturer (recital 15)`, () => {
    const p = classify({ product, commercial: { openSource: true, ...commercial } }, TODAY);
    assert.equal(p.scope.inScope, true);
    assert.equal(p.role, 'manufacturer');
    assert.ok(p.scope.reasons.some((r) => r.cite === 'recital 15' && r.text.startsWith('Commercial activity')));
  });
}

// Every fact of recital 15 answered, none monetising: what an honest volunteer project writes.
const UNMONETISED = { price: false, support: 'none', donations: 'none', monetisingPlatform: false, personalDataCondition: false } as const;

test('a maintainer with donations without profit and cost-recovery support is out of scope, told what would change it', () => {
  const p = classify({ product, commercial: { openSource: true, ...UNMONETISED, donations: 'without-profit', support: 'cost-recovery' } }, TODAY);
  assert.equal(p.scope.inScope, false);
  assert.equal(p.role, 'out-of-scope');
  assert.match(cites(p.scope.reasons), /recital 18/);
  assert.ok(p.wouldChange.some((w) => /beyond the recovery of actual costs/.test(w.text) && w.cite === 'recital 15'));
  assert.ok(p.wouldChange.some((w) => w.cite.includes('Art. 3(14)')), 'points at the steward role');
  // Slamtec/sllidar_ros2: a company's free ROS 2 driver for the lidars it sells; recital 15 does not settle it.
  assert.ok(p.wouldChange.some((w) => /driver for the hardware it sells.*does not settle it/.test(w.text) && w.cite === 'recital 15; Art. 3(1); Art. 3(13)'));
  assert.ok(p.uncertainties.some((u) => /not defined/.test(u.text)), 'says plainly where the law is vague');
});

test('a foundation supporting a ROS 2 distribution is an open-source software steward (Art. 3(14), Art. 24)', () => {
  const p = classify({ product: { name: 'ros2-distribution', version: 'jazzy' }, commercial: { openSource: true, ...UNMONETISED, donations: 'without-profit', steward: { legalPerson: true, sustainedSupport: true, intendedForCommercialActivities: true } } }, TODAY);
  assert.equal(p.role, 'open-source-steward');
  assert.ok(p.uncertainties.some((u) => u.cite === 'Art. 71(2); Art. 24(3)'), 'says that the steward\'s reporting date is a reading of Art. 24(3) and Art. 71(2)');
  assert.ok(p.uncertainties.some((u) => u.cite === 'Art. 3(14); recital 19; Art. 26' && /certain foundations/.test(u.text)), 'says the Regulation names no steward');
  assert.ok(!p.uncertainties.some((u) => /commercial\.actor|madeAvailableInEU/.test(u.text)), 'no manufacturer assumption is listed for a steward');
  assert.equal(p.scope.inScope, true);
  assert.deepEqual(p.conformityRoutes, [], 'no conformity assessment, no CE marking');
  assert.deepEqual(p.obligations.map((o) => o.cite), ['Art. 24(1)', 'Art. 24(2)', 'Art. 24(3); Art. 14(1), 14(3), 14(8)']);
  assert.ok(p.notes.some((n) => n.cite === 'Art. 64(10)(b)'));
  assert.equal(p.obligations.find((o) => o.id === 'steward-reporting')!.status, 'in-force');
  assert.equal(p.obligations.find((o) => o.id === 'steward-policy')!.status, 'upcoming');
});

test('open-source software whose recital 15 facts are not all answered is not called out of scope: assumed commercial, and said so', () => {
  // marque init --open-source writes only openSource: true; the other facts stay questions.
  for (const commercial of [{ openSource: true }, { openSource: true, ...UNMONETISED, price: undefined }, { openSource: true, donations: 'without-profit' as const, steward: { legalPerson: true, sustainedSupport: true, intendedForCommercialActivities: true } }]) {
    const p = classify({ product, commercial }, TODAY);
    assert.equal(p.scope.inScope, true, JSON.stringify(commercial));
    assert.equal(p.role, 'manufacturer');
    assert.ok(!p.scope.reasons.some((r) => /^Not monetised/.test(r.text)), 'never "not monetised" from fields left out');
    assert.ok(p.scope.reasons.some((r) => /is not answered \(.*commercial\.price/.test(r.text) && r.cite === 'recital 15; Art. 3(22)'));
    assert.ok(p.uncertainties.some((u) => /assumed to be, and you the manufacturer/.test(u.text)));
    assert.ok(p.wouldChange.some((w) => /out of scope, unless a legal person/.test(w.text) && w.cite === 'recital 18; Art. 3(14)'));
  }
  const all = classify({ product, commercial: { openSource: true, ...UNMONETISED } }, TODAY);
  assert.equal(all.role, 'out-of-scope', 'every fact answered, none monetising: out of scope (recital 18)');
  assert.ok(!all.uncertainties.some((u) => /commercial\.actor|madeAvailableInEU/.test(u.text)), 'no manufacturer assumption for a product out of scope');
});

test('out of scope as unmonetised open source: an unanswered steward question is said to be assumed (Art. 3(14), Art. 24)', () => {
  const steward = (s?: NonNullable<Facts['commercial']>['steward']) => classify({ product, commercial: { openSource: true, ...UNMONETISED, steward: s } }, TODAY).uncertainties.filter((u) => /commercial\.steward/.test(u.text));
  assert.equal(steward(undefined).length, 1);
  assert.match(steward(undefined)[0]!.text, /commercial\.steward\.legalPerson, commercial\.steward\.sustainedSupport, commercial\.steward\.intendedForCommercialActivities; assumed no open-source software steward/);
  assert.equal(steward(undefined)[0]!.cite, 'Art. 3(14); Art. 24; recital 19');
  assert.match(steward({ legalPerson: true })[0]!.text, /does not answer commercial\.steward\.sustainedSupport, commercial\.steward\.intendedForCommercialActivities;/);
  assert.deepEqual(steward({ legalPerson: false }), [], 'a natural person is never a steward: answered');
});

test('open-source software monetised: the role rests on madeAvailableInEU and actor too, and says so when they are assumed', () => {
  const p = classify({ product, commercial: { openSource: true, monetisingPlatform: true } }, TODAY);
  assert.equal(p.role, 'manufacturer');
  assert.ok(p.uncertainties.some((u) => /commercial\.madeAvailableInEU/.test(u.text) && u.cite === 'Art. 3(22)'));
  assert.ok(p.uncertainties.some((u) => /commercial\.actor/.test(u.text)));
  assert.ok(!classify({ product, commercial: { openSource: true, monetisingPlatform: true, madeAvailableInEU: true, actor: 'manufacturer' } }, TODAY).uncertainties.some((u) => /madeAvailableInEU|commercial\.actor/.test(u.text)));
});

test('importer and distributor; selling under own name makes the importer a manufacturer (Art. 21)', () => {
  assert.equal(classify({ product, commercial: { actor: 'importer' } }, TODAY).role, 'importer');
  assert.match(cites(classify({ product, commercial: { actor: 'importer' } }, TODAY).obligations), /Art\. 19/);
  assert.equal(classify({ product, commercial: { actor: 'distributor' } }, TODAY).role, 'distributor');
  assert.equal(classify({ product, commercial: { actor: 'importer', ownNameOrTrademark: true } }, TODAY).role, 'manufacturer');
  assert.equal(classify({ product, commercial: { actor: 'distributor', substantialModification: true } }, TODAY).role, 'manufacturer');
});

test('conformity routes: default, class I with and without standards, class II, critical, Art. 32(5)', () => {
  const modules = (f: Facts) => classify(f, TODAY).conformityRoutes.map((r) => `${r.module} ${r.cite}`);
  assert.deepEqual(modules({ product }), ['A Art. 32(1)(a)', 'B+C Art. 32(1)(b)', 'H Art. 32(1)(c)', 'EUCC Art. 32(1)(d)']);
  assert.deepEqual(modules({ product, classification: { coreFunctions: ['III-I-12'] } }), ['B+C Art. 32(2)(a)', 'H Art. 32(2)(b)']);
  assert.deepEqual(modules({ product, classification: { coreFunctions: ['III-I-12'] }, conformity: { appliedInFull: ['harmonised-standards'] } }), ['A Art. 32(2)', 'B+C Art. 32(2)(a)', 'H Art. 32(2)(b)']);
  assert.deepEqual(modules({ product, classification: { coreFunctions: ['III-II-1'] } }), ['B+C Art. 32(3)(a)', 'H Art. 32(3)(b)', 'EUCC Art. 32(3)(c)']);
  const critical = classify({ product, classification: { coreFunctions: ['IV-3'] } }, TODAY);
  assert.deepEqual(critical.conformityRoutes.map((r) => r.cite), ['Art. 32(4)(a); Art. 8(1)', 'Art. 32(4)(b); Art. 32(3)(a)', 'Art. 32(4)(b); Art. 32(3)(b)']);
  assert.ok(critical.uncertainties.some((u) => u.cite.includes('Art. 8(1)')));
  const foss = classify({ product, classification: { coreFunctions: ['III-II-2'] }, commercial: { openSource: true, support: 'beyond-cost' }, conformity: { technicalDocumentationPublic: true } }, TODAY);
  assert.equal(foss.conformityRoutes[0]!.cite, 'Art. 32(5)');
  assert.equal(foss.conformityRoutes[0]!.module, 'A');
  const fossClosed = classify({ product, classification: { coreFunctions: ['III-II-2'] }, commercial: { openSource: true, price: true } }, TODAY);
  assert.ok(!fossClosed.conformityRoutes.some((r) => r.module === 'A'));
  assert.ok(fossClosed.notes.some((n) => n.cite === 'Art. 32(5)'), 'tells how to open module A');
});

test('robots: an autonomous mobile robot is a default product even with an embedded firewall and OS', () => {
  const amr = classify({ product: { name: 'amr', version: '1', intendedPurpose: 'autonomous mobile robot for intralogistics' }, classification: { coreFunctions: [], integrates: ['III-II-2', 'III-I-11'] } }, TODAY);
  assert.equal(amr.class, 'default');
  assert.equal(amr.notes.filter((n) => n.cite.startsWith('Art. 7(1), second subparagraph')).length, 2);
  assert.equal(amr.conformityRoutes[0]!.module, 'A');
});

test('robots: a robot whose core function is a firewall is important class II', () => {
  const p = classify({ product: { name: 'guard-robot', version: '1', intendedPurpose: 'network intrusion detection appliance on a mobile robot base' }, classification: { coreFunctions: ['III-II-2'] } }, TODAY);
  assert.equal(p.class, 'important-II');
  assert.ok(!p.conformityRoutes.some((r) => r.module === 'A'), 'no internal control for class II');
});

test('today decides what is in force: Art. 14 from 11 Sep 2026, the rest from 11 Dec 2027', () => {
  const before = classify({ product }, new Date('2026-09-10T12:00:00Z'));
  assert.equal(before.obligations.find((o) => o.id === 'report-exploited')!.status, 'upcoming');
  const now = classify({ product }, TODAY);
  assert.equal(now.obligations.find((o) => o.id === 'report-exploited')!.status, 'in-force');
  assert.equal(now.obligations.find((o) => o.id === 'essential-requirements')!.status, 'upcoming');
  const later = classify({ product }, new Date('2027-12-11T12:00:00Z'));
  assert.ok(later.obligations.every((o) => o.status === 'in-force'));
  assert.deepEqual(now.dates.filter((d) => d.passed).map((d) => d.date), ['2024-12-10', '2026-06-11', '2026-09-11']);
});

test('small enterprises are told of Art. 64(10)(a) and Art. 33(5)', () => {
  const p = classify({ product, commercial: { enterprise: 'small' } }, TODAY);
  assert.ok(p.notes.some((n) => n.cite === 'Art. 64(10)(a)'));
  assert.ok(p.notes.some((n) => n.cite === 'Art. 33(5)'));
});

test('every statement in every profile carries a citation', () => {
  const profiles = [
    classify({ product }, TODAY),
    classify({ product, commercial: { openSource: true } }, TODAY),
    classify({ product, classification: { coreFunctions: ['IV-1'] }, commercial: { enterprise: 'micro' } }, TODAY),
  ];
  for (const p of profiles) {
    for (const x of [...p.scope.reasons, ...p.obligations, ...p.conformityRoutes, ...p.notes, ...p.uncertainties, ...p.wouldChange, ...p.penalties, ...p.dates]) {
      assert.match(x.cite, /(Art\.|Annex|recital)/, JSON.stringify(x));
    }
  }
});

test('the default class resting on an unanswered core functionality is said to be assumed; "[]" is an answer', async () => {
  const { parseManifest } = await import('../src/manifest/manifest.ts');
  const assumed = (yaml: string) => classify(parseManifest(yaml, 'marque.yaml'), TODAY).uncertainties.filter((u) => /classification\.coreFunctions/.test(u.text));
  for (const yaml of ['product: {name: p, version: "1"}\n', 'product: {name: p, version: "1"}\nclassification: {coreFunctions: [TBD]}\n']) {
    const u = assumed(yaml);
    assert.equal(u.length, 1, yaml);
    assert.match(u[0]!.text, /assumed none, so the default class/);
    assert.equal(u[0]!.cite, 'Art. 7(1); Art. 8(1); Art. 32(2)–(4)');
  }
  assert.deepEqual(assumed('product: {name: p, version: "1"}\nclassification: {coreFunctions: []}\n'), []);
  assert.deepEqual(assumed('product: {name: p, version: "1"}\nclassification: {coreFunctions: [III-II-2]}\n'), []);
});
