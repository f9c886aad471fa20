// The manufacturer's own CSAF 2.0 advisory for one vulnerability of one product version (OASIS
// CSAF 2.0, https://docs.oasis-open.org/csaf/csaf/v2.0/os/csaf-v2.0-os.html): the profile
// "Security Advisory" (§4.4, csaf_security_advisory) or "VEX" (§4.5, csaf_vex). It says what
// Marque knows: the findings of that vulnerability in the product's components, the VEX decisions
// on them, the release that fixes it (a later version whose inventory no longer carries it),
// remediation and CVSS scores. A draft (tracking status "draft", version 0) is what the
// manufacturer edits; finalise() makes the published form (final, version 1, CSAF §3.2.1.12).
import type { Advisory, Finding } from '../../model/advisory.ts';
import type { ProductInfo } from '../../model/product.ts';
import { isoSeconds } from '../vex/common.ts';
import { csafTracking } from './tracking.ts';

export type CsafCategory = 'csaf_security_advisory' | 'csaf_vex';

export interface AdvisoryDraftInput {
  category: CsafCategory;
  product: ProductInfo;
  /** The vulnerability asked for (CVE or advisory id). */
  vulnerability: string;
  /** The findings of that vulnerability in the product version (one per component). */
  findings: Finding[];
  /** The advisory record, for its description, references and dates. */
  advisory?: Advisory;
  /** A later release without the vulnerability, and how its absence was established. */
  fixedRelease?: { version: string; how: string };
  /** Where the provider publishes TLP:WHITE documents (https://…/.well-known/csaf/white), for the canonical URL. */
  baseUrl?: string;
  toolVersion: string;
  now: Date;
}

type Json = Record<string, unknown>;

/** CSAF §5.1: the file name is the tracking id in lower case, runs of other characters as "_", then ".json". */
export function csafFilename(trackingId: string): string {
  return `${trackingId.toLowerCase().replace(/[^+\-a-z0-9]+/g, '_')}.json`;
}

/** The tracking id: the product and the vulnerability, unique per publisher for one advisory. */
export function trackingIdOf(product: ProductInfo, vulnerability: string, category: CsafCategory): string {
  return `${product.name}-${vulnerability}${category === 'csaf_vex' ? '-vex' : ''}`.toLowerCase().replace(/[^a-z0-9+-]+/g, '-');
}

/** The year folder of a document (§7.1.11): the year of its initial release date. */
export function yearOf(doc: Json): string {
  const tracking = (doc['document'] as Json)['tracking'] as Json;
  return String(tracking['initial_release_date']).slice(0, 4);
}

const VEX_FLAG = new Set(['component_not_present', 'vulnerable_code_not_present', 'vulnerable_code_not_in_execute_path', 'vulnerable_code_cannot_be_controlled_by_adversary', 'inline_mitigations_already_exist']);

/** Keys in alphabetical order at every level (CSAF §6.2.13 recommends it; readers diff documents more easily). */
export function sortKeys<T>(v: T): T {
  if (Array.isArray(v)) return v.map(sortKeys) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Json)[k])])) as T;
  return v;
}

export function draftAdvisory(input: AdvisoryDraftInput): Json {
  const { product, findings, advisory } = input;
  const m = product.manufacturer;
  if (!m?.name || !(m.url || m.email)) throw new Error('a CSAF advisory names its publisher: set product.manufacturer.name and url (or email) in marque.yaml');
  if (!product.version) throw new Error('a CSAF advisory is about a product version: give it (marque.yaml product.version or --product NAME@VERSION)');
  if (!findings.length) throw new Error(`${input.vulnerability} is not a finding of ${product.name} ${product.version}: nothing to advise`);
  const trackingId = trackingIdOf(product, input.vulnerability, input.category);
  const affectedId = 'CSAFPID-0001';
  const fixedId = 'CSAFPID-0002';
  const productPurl = (v: string) => product.purl && v === product.version ? product.purl : `pkg:generic/${encodeURIComponent(product.name)}@${encodeURIComponent(v)}`;
  const versions = [{ name: product.version, product: { name: `${product.name} ${product.version}`, product_id: affectedId, product_identification_helper: { purl: productPurl(product.version) } } }];
  if (input.fixedRelease) versions.push({ name: input.fixedRelease.version, product: { name: `${product.name} ${input.fixedRelease.version}`, product_id: fixedId, product_identification_helper: { purl: productPurl(input.fixedRelease.version) } } });

  // One status for the product version, from the decisions on every component that carries it.
  const statuses = new Set(findings.map((f) => f.status));
  const status = statuses.has('affected') ? 'known_affected' : statuses.has('under_investigation') ? 'under_investigation' : statuses.has('fixed') ? 'fixed' : 'known_not_affected';
  const productStatus: Record<string, string[]> = { [status]: [affectedId] };
  if (input.fixedRelease) productStatus['fixed'] = [...(productStatus['fixed'] ?? []), fixedId];

  const ids = [...new Set([input.vulnerability, findings[0]!.advisory, ...findings[0]!.aliases, ...(advisory?.aliases ?? [])])];
  const cve = ids.find((a) => /^CVE-\d{4}-\d{4,}$/.test(a));
  const components = [...new Set(findings.map((f) => f.component))];
  const description = advisory?.details ?? advisory?.summary ?? findings[0]!.summary ?? `${findings[0]!.advisory}`;
  const vulnerability: Json = {
    ...(cve ? { cve } : {}),
    ...(ids.some((a) => a !== cve) ? { ids: ids.filter((a) => a !== cve).map((a) => ({ system_name: a.includes('-') ? a.split('-')[0]! : 'advisory', text: a })) } : {}),
    notes: [
      { category: 'description', title: 'Vulnerability description', text: description },
      { category: 'details', title: 'Affected components', text: `${product.name} ${product.version} contains ${components.join(', ')}, to which ${findings[0]!.advisory} applies${findings[0]!.fixedIn.length ? ` (fixed in ${[...new Set(findings.flatMap((f) => f.fixedIn))].join(', ')} of the component)` : ''}.` },
    ],
    product_status: productStatus,
    ...(advisory?.published ? { release_date: isoSeconds(new Date(advisory.published)) } : {}),
    ...(advisory?.references?.length ? { references: advisory.references.filter((r) => /^https?:\/\//.test(r.url)).slice(0, 20).map((r) => ({ category: 'external', summary: `${r.type.toLowerCase()} reference of ${findings[0]!.advisory}`, url: r.url })) } : {}),
  };
  if (status === 'known_not_affected') {
    const justified = findings.find((f) => f.justification && VEX_FLAG.has(f.justification));
    if (justified) vulnerability['flags'] = [{ label: justified.justification, product_ids: [affectedId] }];
    else vulnerability['threats'] = [{ category: 'impact', details: `Not affected, by the manufacturer's decision${findings[0]!.statusSource ? ` (${findings[0]!.statusSource})` : ''}.`, product_ids: [affectedId] }];
  }
  if (status === 'known_affected' || status === 'under_investigation') {
    const fixes = [...new Set(findings.flatMap((f) => f.fixedIn))];
    vulnerability['remediations'] = [input.fixedRelease
      ? { category: 'vendor_fix', details: `Update ${product.name} to ${input.fixedRelease.version}: ${input.fixedRelease.how}.`, product_ids: [affectedId] }
      : fixes.length
        ? { category: 'workaround', details: `No release of ${product.name} fixes it yet. The affected component is fixed in ${fixes.join(' or ')}.`, product_ids: [affectedId] }
        : { category: 'none_available', details: 'No fixed version is known.', product_ids: [affectedId] }];
    const scores = findings.flatMap((f) => f.severity).filter((s) => s.type === 'CVSS_V3' && s.baseScore !== null);
    const best = scores.sort((a, b) => b.baseScore! - a.baseScore!)[0];
    if (best) vulnerability['scores'] = [{ products: [affectedId], cvss_v3: { version: best.vector.startsWith('CVSS:3.0') ? '3.0' : '3.1', vectorString: best.vector, baseScore: best.baseScore, baseSeverity: (best.rating ?? 'none').toUpperCase() } }];
    if (findings.some((f) => f.exploited)) vulnerability['threats'] = [{ category: 'exploit_status', details: `Actively exploited${findings.find((f) => f.kev)?.kev ? ` (in the CISA KEV catalogue since ${findings.find((f) => f.kev)!.kev!.dateAdded})` : ''}.`, product_ids: [affectedId] }];
  }

  const filename = csafFilename(trackingId);
  const year = input.now.getUTCFullYear();
  const title = `${product.name}: ${cve ?? findings[0]!.advisory} in ${components.map((c) => c.replace(/^pkg:[^/]+\//, '').replace(/\?.*$/, '')).join(', ')}`;
  return sortKeys({
    document: {
      category: input.category,
      csaf_version: '2.0',
      lang: 'en',
      title,
      publisher: { category: 'vendor', name: m.name, namespace: m.url ?? `mailto:${m.email}`, ...(m.email ? { contact_details: m.email } : {}) },
      distribution: { tlp: { label: 'WHITE', url: 'https://www.first.org/tlp/' } },
      notes: [
        { category: 'summary', title: 'Summary', text: `${status === 'known_affected' ? 'Affects' : status === 'known_not_affected' ? 'Does not affect' : status === 'fixed' ? 'Fixed in' : 'Under investigation for'} ${product.name} ${product.version}${input.fixedRelease ? `; fixed in ${input.fixedRelease.version}` : ''}.` },
      ],
      ...(input.baseUrl ? { references: [{ category: 'self', summary: 'Canonical URL', url: `${input.baseUrl.replace(/\/$/, '')}/${year}/${filename}` }] } : {}),
      tracking: csafTracking({ id: trackingId, status: 'draft', version: '0', at: input.now, summary: 'Draft made by Marque from the product inventory, the advisory database and the VEX decisions.', toolVersion: input.toolVersion }),
    },
    product_tree: { branches: [{ category: 'vendor', name: m.name, branches: [{ category: 'product_name', name: product.name, branches: versions.map((v) => ({ category: 'product_version', ...v })) }] }] },
    vulnerabilities: [vulnerability],
  });
}

/**
 * The published form of a draft (CSAF §3.2.1.12): status final, version 1 with one revision, the
 * release dates now. An already final document is kept as it is. The canonical URL follows the
 * provider's base URL when one is given.
 */
export function finalise(doc: Json, now: Date, baseUrl?: string): Json {
  const out = structuredClone(doc);
  const d = out['document'] as Json;
  const t = d['tracking'] as Json;
  if (t['status'] === 'draft') {
    const at = isoSeconds(now);
    Object.assign(t, { status: 'final', version: '1', initial_release_date: at, current_release_date: at, revision_history: [{ date: at, number: '1', summary: 'Initial public release.' }] });
    if (t['generator']) (t['generator'] as Json)['date'] = at;
  }
  if (baseUrl) {
    const refs = ((d['references'] ?? []) as Json[]).filter((r) => r['category'] !== 'self');
    d['references'] = [{ category: 'self', summary: 'Canonical URL', url: `${baseUrl.replace(/\/$/, '')}/${yearOf(out)}/${csafFilename(String(t['id']))}` }, ...refs];
  }
  return sortKeys(out);
}
