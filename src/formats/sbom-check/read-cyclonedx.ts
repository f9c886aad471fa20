// CycloneDX (JSON, or XML read into the JSON shape) as facts, by the mapping of BSI TR-03183-2
// v2.1.0 §8.2 Tables 8–12: metadata.manufacturer, metadata.timestamp, serialNumber; per component
// manufacturer, bsi:component:* properties, licences by acknowledgement, distribution and
// source-distribution references, dependencies and compositions.
import { emptyParty, newComponent, UNAVAILABLE_PREFIX, type ComponentFacts, type Completeness, type Party, type SbomFacts } from './facts.ts';
import { InputError } from '../../util/errors.ts';
import { chainDeeperThan, MAX_NESTING } from '../../util/json.ts';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? v as Json : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** An organisational entity or contact (1.6 manufacturer, supplier, authors[]) as a party. */
function party(values: unknown[], from: string): Party {
  const p: Party = { ...emptyParty(), from };
  for (const v of values) {
    const o = obj(v);
    if (!o) continue;
    const name = str(o['name']);
    if (name) p.names.push(name);
    const email = str(o['email']);
    if (email) p.emails.push(email);
    for (const u of arr(o['url'])) { const s = str(u); if (s) p.urls.push(s); }
    for (const c of arr(o['contact'])) {
      const co = obj(c);
      const e = co && str(co['email']);
      if (e) p.emails.push(e);
    }
  }
  return p;
}

const filled = (p: Party) => p.emails.length + p.urls.length + p.names.length > 0;

/** The creator: 1.6 `manufacturer`, else `authors` (§3.2.9 takes "author" as another word for creator), else a 1.2–1.5 `author` string. */
function creatorOf(c: Json, where: string): Party {
  const m = party(arr(c['manufacturer']), `${where}.manufacturer`);
  if (filled(m)) return m;
  const a = party(arr(c['authors']), `${where}.authors`);
  if (filled(a)) return a;
  const text = str(c['author']);
  return text ? { names: [text], emails: [], urls: [], from: `${where}.author` } : { ...emptyParty(), from: `${where}.manufacturer` };
}

function component(c: Json, ref: string, primary: boolean, where: string): ComponentFacts {
  const f = newComponent(ref);
  f.primary = primary;
  f.name = str(c['name']);
  f.version = str(c['version']);
  f.type = str(c['type']);
  f.creator = creatorOf(c, where);
  f.supplier = party(arr(c['supplier']), `${where}.supplier`);
  if (!filled(f.supplier) && str(c['publisher'])) f.supplier = { names: [str(c['publisher'])!], emails: [], urls: [], from: `${where}.publisher` };
  for (const l of arr(c['licenses'])) {
    const lo = obj(l);
    if (!lo) continue;
    const lic = obj(lo['license']);
    const text = str(lo['expression']) ?? (lic && (str(lic['id']) ?? str(lic['name'])));
    if (!text) continue;
    const ack = str(lo['acknowledgement']) ?? (lic && str(lic['acknowledgement']));
    (ack === 'concluded' ? f.distributionLicences : ack === 'declared' ? f.originalLicences : f.otherLicences).push(text);
  }
  for (const h of arr(c['hashes'])) { const ho = obj(h); if (ho && str(ho['alg']) && str(ho['content'])) f.otherHashes.push({ alg: str(ho['alg'])!, value: str(ho['content'])! }); }
  for (const r of arr(c['externalReferences'])) {
    const ro = obj(r);
    if (!ro) continue;
    const type = str(ro['type']);
    const url = str(ro['url']);
    const hashes = arr(ro['hashes']).map(obj).filter((h): h is Json => !!h && !!str(h['alg']) && !!str(h['content'])).map((h) => ({ alg: str(h['alg'])!, value: str(h['content'])! }));
    if (type === 'distribution' || type === 'distribution-intake') {
      f.deployableUri ??= url;
      f.deployableHashes.push(...hashes);
    } else if (type === 'source-distribution') {
      f.sourceUri ??= url;
      if (hashes.some((h) => h.alg === 'SHA-512')) f.sourceHash = true;
    } else if (type === 'vcs') {
      f.vcsUri ??= url;
    } else if (type === 'rfc-9116') f.securityTxt ??= url;
  }
  const purl = str(c['purl']);
  const cpe = str(c['cpe']);
  const swid = str(obj(c['swid'])?.['tagId']);
  f.identifiers = { ...(purl ? { purl } : {}), ...(cpe ? { cpe } : {}), ...(swid ? { swid } : {}) };
  for (const p of arr(c['properties'])) {
    const po = obj(p);
    const name = po && str(po['name']);
    const value = po && str(po['value']);
    if (!name || value === undefined) continue;
    if (name === 'bsi:component:filename') f.filename = value;
    else if (name === 'bsi:component:executable') f.executable = value;
    else if (name === 'bsi:component:archive') f.archive = value;
    else if (name === 'bsi:component:structured') f.structured = value;
    // The taxonomy spells it "effectiveLicence"; §8.2 Table 12 "effectiveLicense": both are read.
    else if (name === 'bsi:component:effectiveLicence' || name === 'bsi:component:effectiveLicense') f.effectiveLicence = value;
    else if (name.startsWith(UNAVAILABLE_PREFIX)) f.unavailable[name.slice(UNAVAILABLE_PREFIX.length)] = value;
  }
  return f;
}

export function cycloneDxFacts(doc: Json, file: string, encoding: 'json' | 'xml'): SbomFacts {
  const meta = obj(doc['metadata']) ?? {};
  const notes: string[] = [];
  const components: ComponentFacts[] = [];
  const byRef = new Map<string, ComponentFacts>();
  let anonymous = 0;
  if (chainDeeperThan(doc['components'], 'components') || chainDeeperThan(meta['component'] ? [meta['component']] : [], 'components')) {
    throw new InputError(`components nested more than ${MAX_NESTING} deep; not read`, file);
  }
  // Nested components in document order with an explicit stack: nesting depth costs no call stack.
  const add = (top: Json, primary: boolean, topWhere: string) => {
    const stack: [Json, string, ComponentFacts | undefined][] = [[top, topWhere, undefined]];
    while (stack.length) {
      const [c, where, parent] = stack.pop()!;
      const ref = str(c['bom-ref']) ?? str(c['purl']) ?? `${where}#${++anonymous}`;
      const f = component(c, ref, primary && !parent, where);
      components.push(f);
      if (!byRef.has(ref)) byRef.set(ref, f);
      // Nested components are contained in their parent (§8.2 Table 9: components[].components).
      if (parent) { parent.dependsOn.push(ref); parent.dependenciesListed = true; }
      const children = arr(c['components']);
      for (let i = children.length - 1; i >= 0; i--) { const co = obj(children[i]); if (co) stack.push([co, `${where}.components[${i}]`, f]); }
    }
  };
  const subject = obj(meta['component']);
  if (subject) add(subject, true, 'metadata.component');
  arr(doc['components']).forEach((c, i) => { const co = obj(c); if (co) add(co, false, `components[${i}]`); });
  for (const d of arr(doc['dependencies'])) {
    const dobj = obj(d);
    const ref = dobj && str(dobj['ref']);
    const f = ref ? byRef.get(ref) : undefined;
    if (!f) { if (ref) notes.push(`dependencies: "${ref}" is no component's bom-ref`); continue; }
    f.dependenciesListed = true;
    for (const to of arr(dobj!['dependsOn'])) {
      const t = str(to);
      if (!t) continue;
      if (!byRef.has(t)) notes.push(`dependencies: "${ref}" depends on "${t}", which is no component's bom-ref`);
      if (!f.dependsOn.includes(t)) f.dependsOn.push(t);
    }
  }
  // compositions[]: the aggregate completeness of the dependencies (or assemblies) it names.
  const RANK: Record<string, Completeness> = { complete: 'complete', incomplete: 'incomplete', incomplete_first_party_only: 'incomplete', incomplete_first_party_proprietary_only: 'incomplete', incomplete_first_party_opensource_only: 'incomplete', incomplete_third_party_only: 'incomplete', incomplete_third_party_proprietary_only: 'incomplete', incomplete_third_party_opensource_only: 'incomplete', unknown: 'unknown', not_specified: 'unknown' };
  for (const comp of arr(doc['compositions'])) {
    const co = obj(comp);
    if (!co) continue;
    const aggregate = RANK[str(co['aggregate']) ?? 'not_specified'] ?? 'unknown';
    for (const r of [...arr(co['dependencies']), ...arr(co['assemblies'])]) {
      const f = byRef.get(str(r) ?? '');
      // A component named in two compositions keeps the less complete statement.
      if (f && (f.completeness === 'not stated' || f.completeness === 'complete')) f.completeness = aggregate;
    }
  }
  const creator = party(arr(meta['manufacturer']), 'metadata.manufacturer');
  const sbomCreator = filled(creator) ? creator
    : filled(party(arr(meta['authors']), 'metadata.authors')) ? party(arr(meta['authors']), 'metadata.authors')
      : filled(party(arr(meta['manufacture']), 'metadata.manufacture')) ? party(arr(meta['manufacture']), 'metadata.manufacture') : creator;
  const toolsNode = meta['tools'];
  const tools = (Array.isArray(toolsNode) ? toolsNode : [...arr(obj(toolsNode)?.['components']), ...arr(obj(toolsNode)?.['services'])])
    .map((t) => { const o = obj(t); return o ? [str(o['vendor']) ?? str(o['group']), str(o['name']), str(o['version'])].filter(Boolean).join(' ') : ''; }).filter(Boolean);
  const serial = str(doc['serialNumber']);
  return {
    file, format: 'CycloneDX', specVersion: String(doc['specVersion'] ?? ''), encoding,
    creator: sbomCreator, tools, timestamp: str(meta['timestamp']),
    // BOM-Link (the cdx URN, RFC 8141 registration) names this BOM version by its serial number.
    uri: serial ? (/^urn:uuid:/.test(serial) ? `urn:cdx:${serial.slice('urn:uuid:'.length)}/${Number(doc['version'] ?? 1)}` : serial) : undefined,
    vulnerabilities: arr(doc['vulnerabilities']).length, components, notes,
  };
}
