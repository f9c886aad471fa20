// VEX decisions: from marque.yaml and from OpenVEX documents. A statement names a vulnerability
// (any of its ids or aliases), optionally the products it is about (purls; a purl without version
// covers every version), a status, and for not_affected one of the standard justifications.
import { FileAccess } from '../util/file-access.ts';
import { parseJsonText } from '../util/json.ts';

import { VEX_JUSTIFICATIONS, type VexStatus } from '../model/advisory.ts';
import { makePurl, parsePurl, purlIdentity } from '../model/purl.ts';
import { InputError } from '../util/errors.ts';
import { isRecord } from '../util/yaml.ts';
import { isPlaceholder } from '../manifest/manifest.ts';
import { saysNone } from '../util/answers.ts';

export interface VexStatement {
  vulnerability: string;
  aliases?: string[];
  products?: string[];
  status: VexStatus;
  justification?: string;
  impact?: string;
  exploited?: boolean;
  evidence?: string;
  /** When a corrective or mitigating measure became available (starts the final-report clock, Art. 14(2)(c)). */
  measureAvailableAt?: string;
  source: string;
  /** Products named by something other than a purl (a CPE): Marque cannot match them, so they never apply. */
  unmatched?: string[];
}

const STATUSES = new Set(['affected', 'not_affected', 'fixed', 'under_investigation']);

export function checkStatement(s: VexStatement, where: string): VexStatement {
  if (!STATUSES.has(s.status)) throw new InputError(`VEX status "${s.status}" is not one of affected, not_affected, fixed, under_investigation`, where);
  // An impact statement of "N/A" or "TODO" says why nothing: it justifies no not_affected.
  const impact = s.impact !== undefined && !saysNone(s.impact) && !isPlaceholder(s.impact) ? s.impact : undefined;
  if (s.status === 'not_affected' && !(s.justification && (VEX_JUSTIFICATIONS as readonly string[]).includes(s.justification)) && !impact) {
    throw new InputError(`a not_affected statement for ${s.vulnerability} needs a justification (${VEX_JUSTIFICATIONS.join(', ')}) or an impact statement${s.impact !== undefined ? ` (its impact "${s.impact}" says nothing)` : ''}`, where);
  }
  return s;
}

/** Does this statement speak about this component and any of these vulnerability ids? */
export function applies(s: VexStatement, purl: string, ids: readonly string[]): boolean {
  const names = [s.vulnerability, ...(s.aliases ?? [])];
  if (!names.some((n) => ids.includes(n))) return false;
  if (!s.products?.length) return !s.unmatched?.length;
  const identity = purlIdentity(purl);
  return s.products.some((p) => p === purl || (!p.includes('@') && purlIdentity(p) === identity) || p.split('?')[0] === purl.split('?')[0]);
}

/** A VEX document: OpenVEX 0.2 or CycloneDX (1.4–1.6) with `vulnerabilities[].analysis`, told apart by content. */
export async function readVexFile(path: string): Promise<VexStatement[]> {
  const doc = parseJsonText(await FileAccess.within(path).readText(path), path); // a file the user named
  if (isRecord(doc) && doc['bomFormat'] === 'CycloneDX') return cycloneDxStatements(doc, path);
  if (!isRecord(doc) || !Array.isArray(doc['statements'])) throw new InputError('neither an OpenVEX document ("statements") nor a CycloneDX VEX ("bomFormat")', path, 1);
  return doc['statements'].filter(isRecord).map((st, i) => {
    const v = st['vulnerability'];
    const vulnerability = typeof v === 'string' ? v : isRecord(v) ? String(v['name'] ?? v['@id'] ?? '') : '';
    const aliases = isRecord(v) && Array.isArray(v['aliases']) ? v['aliases'].map(String) : [];
    // OpenVEX names a product by @id (an IRI: a purl, a CPE, ...) and may add identifiers.purl.
    const ids = (Array.isArray(st['products']) ? st['products'] : []).map((p) => {
      if (typeof p === 'string') return p;
      if (!isRecord(p)) return '';
      const purl = isRecord(p['identifiers']) ? p['identifiers']['purl'] : undefined;
      return typeof purl === 'string' ? purl : String(p['@id'] ?? '');
    }).filter(Boolean);
    const products = ids.filter((p) => p.startsWith('pkg:'));
    // A statement without a product is incomplete (OpenVEX 0.2 "Data Inheritance": products may come only
    // from an encapsulating document, which a file on its own has not): it never applies to every component.
    const unmatched = ids.length ? ids.filter((p) => !p.startsWith('pkg:')) : [NO_PRODUCT];
    return checkStatement({
      vulnerability, aliases, products, status: String(st['status']) as VexStatus, ...(unmatched.length ? { unmatched } : {}),
      justification: st['justification'] as string | undefined, impact: st['impact_statement'] as string | undefined,
      source: `${path}#statements[${i}]`,
    }, path);
  });
}

const CDX_STATE: Record<string, VexStatus> = Object.assign(Object.create(null) as Record<string, VexStatus>, {
  exploitable: 'affected', in_triage: 'under_investigation', resolved: 'fixed', resolved_with_pedigree: 'fixed',
  not_affected: 'not_affected', false_positive: 'not_affected',
});
/** CycloneDX impact-analysis justifications in OpenVEX's five words. */
const CDX_JUSTIFICATION: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
  code_not_present: 'vulnerable_code_not_present', code_not_reachable: 'vulnerable_code_not_in_execute_path',
  requires_configuration: 'vulnerable_code_not_in_execute_path', requires_dependency: 'vulnerable_code_not_in_execute_path',
  requires_environment: 'vulnerable_code_not_in_execute_path', protected_by_compiler: 'inline_mitigations_already_exist',
  protected_at_runtime: 'inline_mitigations_already_exist', protected_at_perimeter: 'vulnerable_code_cannot_be_controlled_by_adversary',
  protected_by_mitigating_control: 'inline_mitigations_already_exist',
});

function cycloneDxStatements(doc: Record<string, unknown>, path: string): VexStatement[] {
  const purlOf = new Map<string, string>();
  // Nested components with an explicit stack: nesting depth costs no call stack.
  const stack: unknown[] = [doc['components']];
  while (stack.length) {
    const cs = stack.pop();
    for (const c of Array.isArray(cs) ? cs : []) {
      if (!isRecord(c)) continue;
      if (typeof c['bom-ref'] === 'string' && typeof c['purl'] === 'string') purlOf.set(c['bom-ref'], c['purl']);
      stack.push(c['components']);
    }
  }
  const out: VexStatement[] = [];
  (Array.isArray(doc['vulnerabilities']) ? doc['vulnerabilities'] : []).filter(isRecord).forEach((v, i) => {
    const analysis = isRecord(v['analysis']) ? v['analysis'] : undefined;
    const state = typeof analysis?.['state'] === 'string' ? analysis['state'] : undefined;
    if (!state || !CDX_STATE[state]) return; // no decision recorded: nothing to apply
    const { products, unmatched } = affectedProducts(v['affects'], purlOf, CDX_STATE[state]!);
    const justification = typeof analysis?.['justification'] === 'string' ? CDX_JUSTIFICATION[analysis['justification']] : undefined;
    out.push(checkStatement({
      vulnerability: String(v['id'] ?? ''),
      aliases: (Array.isArray(v['references']) ? v['references'] : []).filter(isRecord).map((r) => String(r['id'] ?? '')).filter(Boolean),
      products, ...(unmatched.length ? { unmatched } : {}), status: CDX_STATE[state]!, justification,
      impact: typeof analysis?.['detail'] === 'string' ? analysis['detail'] : state === 'false_positive' ? 'false positive' : undefined,
      source: `${path}#vulnerabilities[${i}]`,
    }, path));
  });
  return out;
}

/** What a statement from a file that names no product is said to name: it then applies to nothing. */
const NO_PRODUCT = 'no product (a statement from a file applies only to the products it names)';

/**
 * The purls a CycloneDX `affects` list names, and what it names that Marque cannot match. A ref is a
 * bom-ref of this document, a purl, or a BOM-Link (`urn:cdx:SERIAL/VERSION#bom-ref`, CycloneDX 1.5+) into
 * another BOM, whose bom-ref is used when it is a purl. A ref that resolves to nothing (another BOM's
 * "product-ABC", the document's own metadata component) never widens the statement to every component.
 * `versions` narrow it: exact versions become purls with that version; a `range` (vers) is not evaluated.
 */
function affectedProducts(affects: unknown, purlOf: Map<string, string>, status: VexStatus): { products: string[]; unmatched: string[] } {
  const products: string[] = [];
  const unmatched: string[] = [];
  // A version listed as "affected" does not take a not_affected or fixed analysis, nor "unaffected" an affected one.
  const agrees = (s: unknown) => (status === 'not_affected' || status === 'fixed' ? s === undefined || s === 'unaffected' : s !== 'unaffected');
  for (const a of (Array.isArray(affects) ? affects : []).filter(isRecord)) {
    const ref = typeof a['ref'] === 'string' ? a['ref'] : '';
    const purl = purlOf.get(ref) ?? (ref.startsWith('pkg:') ? ref : bomLinkPurl(ref));
    if (!purl) { unmatched.push(ref || 'an affects entry without ref'); continue; }
    const versions = (Array.isArray(a['versions']) ? a['versions'] : []).filter(isRecord);
    if (!versions.length) { products.push(purl); continue; }
    for (const v of versions) {
      if (!agrees(v['status'])) continue;
      const at = typeof v['version'] === 'string' ? withVersion(purl, v['version']) : undefined;
      if (at) products.push(at);
      else unmatched.push(`${purl} ${typeof v['range'] === 'string' ? v['range'] : JSON.stringify(v)}`);
    }
  }
  if (!products.length && !unmatched.length) unmatched.push(NO_PRODUCT);
  return { products, unmatched };
}

/** The bom-ref a BOM-Link points at, when it is a purl. */
function bomLinkPurl(ref: string): string | undefined {
  const m = /^urn:cdx:[^#]+#(.+)$/.exec(ref);
  if (!m) return undefined;
  let fragment: string;
  try { fragment = decodeURIComponent(m[1]!); } catch { return undefined; }
  return fragment.startsWith('pkg:') ? fragment : undefined;
}

/** The purl at another version (CycloneDX `affects[].versions[].version`). */
function withVersion(purl: string, version: string): string | undefined {
  try { return makePurl({ ...parsePurl(purl), version }); } catch { return undefined; }
}

/** The `vex:` decisions of a marque.yaml, checked like any other statement. */
export function manifestStatements(manifest: { vex?: { vulnerability: string; status: string }[]; file: string } | undefined): VexStatement[] {
  return (manifest?.vex ?? []).map((s, i) => checkStatement({ ...s, status: s.status as VexStatus, source: `${manifest!.file}#vex[${i}]` } as VexStatement, manifest!.file));
}
