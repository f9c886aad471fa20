// CycloneDX XML (1.2–1.7), read into the shape of CycloneDX JSON so one reader serves both (the
// inventory's, and sbom check's, which also reads metadata, manufacturers, properties and
// compositions). The XML is parsed safely (no DOCTYPE entities, src/util/xml.ts).
import { asArray, attrOf, parseXml, textOf, type XmlNode } from '../../util/xml.ts';
import { InputError } from '../../util/errors.ts';

const ARRAYS = new Set(['component', 'dependency', 'license', 'hash', 'reference', 'tool', 'ancestors', 'url', 'property', 'author', 'contact', 'composition', 'assembly', 'vulnerability', 'service', 'expression', 'expression-detailed']);
const list = (v: unknown) => asArray(v) as XmlNode[];
const text = (v: unknown) => { const t = textOf(v).trim(); return t === '' ? undefined : t; };
const child = (n: XmlNode | undefined, name: string) => n?.[name] as XmlNode | undefined;

function contact(c: XmlNode): Record<string, unknown> {
  return { ...(text(c['name']) ? { name: text(c['name']) } : {}), ...(text(c['email']) ? { email: text(c['email']) } : {}) };
}

function entity(e: XmlNode | undefined): Record<string, unknown> | undefined {
  if (!e) return undefined;
  return { name: text(e['name']), url: list(e['url']).map((u) => textOf(u)), contact: list(e['contact']).map(contact) };
}

function hashes(n: XmlNode | undefined): Record<string, unknown>[] {
  return list(child(n, 'hashes')?.['hash']).map((h) => ({ alg: attrOf(h, 'alg'), content: text(h) }));
}

function component(c: XmlNode): Record<string, unknown> {
  const lic = child(c, 'licenses');
  const licenses = list(lic?.['license']).map((l) => ({ license: { ...(text(l['id']) ? { id: text(l['id']) } : {}), ...(text(l['name']) ? { name: text(l['name']) } : {}), ...(attrOf(l, 'acknowledgement') ? { acknowledgement: attrOf(l, 'acknowledgement') } : {}) } }));
  // 1.2–1.6: one <expression> instead of licenses; 1.7: any number of each, and <expression-detailed expression="…">.
  const ack = (e: XmlNode) => (attrOf(e, 'acknowledgement') ? { acknowledgement: attrOf(e, 'acknowledgement') } : {});
  const expressions = [
    ...list(lic?.['expression']).map((e) => [text(e), e] as const),
    ...list(lic?.['expression-detailed']).map((e) => [attrOf(e, 'expression')?.trim() || undefined, e] as const),
  ].filter(([x]) => x).map(([expression, e]) => ({ expression, ...ack(e) }));
  const supplier = child(c, 'supplier');
  const swid = child(c, 'swid');
  return {
    type: attrOf(c, 'type'), 'bom-ref': attrOf(c, 'bom-ref'),
    name: text(c['name']), version: text(c['version']), group: text(c['group']), purl: text(c['purl']), cpe: text(c['cpe']), description: text(c['description']), scope: text(c['scope']), author: text(c['author']), publisher: text(c['publisher']),
    ...(swid ? { swid: { tagId: attrOf(swid, 'tagId') } } : {}),
    licenses: [...licenses, ...expressions],
    hashes: hashes(c),
    externalReferences: list(child(c, 'externalReferences')?.['reference']).map((r) => ({ type: attrOf(r, 'type'), url: text(r['url']), hashes: hashes(r) })),
    ...(supplier ? { supplier: entity(supplier) } : {}),
    ...(child(c, 'manufacturer') ? { manufacturer: entity(child(c, 'manufacturer')) } : {}),
    authors: list(child(c, 'authors')?.['author']).map(contact),
    properties: list(child(c, 'properties')?.['property']).map((p) => ({ name: attrOf(p, 'name'), value: text(p) })),
    components: list(child(c, 'components')?.['component']).map(component),
  };
}

/** The CycloneDX document an XML BOM says. */
export function cycloneDxXmlToJson(xml: string, file: string): Record<string, unknown> {
  const doc = parseXml(xml, file, { arrays: ARRAYS });
  const bom = doc['bom'] as XmlNode | undefined;
  if (!bom) throw new InputError('not a CycloneDX XML BOM (no <bom> root)', file, 1);
  const ns = attrOf(bom, 'xmlns') ?? '';
  const version = /cyclonedx\.org\/schema\/bom\/(1\.[2-7])$/.exec(ns)?.[1];
  if (!version) throw new InputError(`CycloneDX XML namespace "${ns}" is not one Marque reads (1.2 to 1.7)`, file, 1);
  const meta = child(bom, 'metadata');
  const subject = meta?.['component'] ? component(list(meta['component'])[0]!) : undefined;
  const deps = list(child(bom, 'dependencies')?.['dependency']).map((d) => ({ ref: attrOf(d, 'ref'), dependsOn: list(d['dependency']).map((x) => attrOf(x, 'ref')).filter(Boolean) }));
  const tools = child(meta, 'tools');
  const metadata: Record<string, unknown> = {
    ...(text(meta?.['timestamp']) ? { timestamp: text(meta!['timestamp']) } : {}),
    ...(subject ? { component: subject } : {}),
    ...(child(meta, 'manufacturer') ? { manufacturer: entity(child(meta, 'manufacturer')) } : {}),
    ...(child(meta, 'manufacture') ? { manufacture: entity(child(meta, 'manufacture')) } : {}),
    ...(child(meta, 'supplier') ? { supplier: entity(child(meta, 'supplier')) } : {}),
    authors: list(child(meta, 'authors')?.['author']).map(contact),
    // 1.2–1.4 <tool> elements, 1.5+ <components>/<services> inside <tools>.
    tools: [...list(tools?.['tool']).map((t) => ({ vendor: text(t['vendor']), name: text(t['name']), version: text(t['version']) })), ...list(child(tools, 'components')?.['component']).map(component)],
  };
  return {
    bomFormat: 'CycloneDX', specVersion: version,
    ...(attrOf(bom, 'serialNumber') ? { serialNumber: attrOf(bom, 'serialNumber') } : {}),
    version: Number(attrOf(bom, 'version') ?? 1),
    metadata,
    components: list(child(bom, 'components')?.['component']).map(component),
    ...(deps.length ? { dependencies: deps } : {}),
    compositions: list(child(bom, 'compositions')?.['composition']).map((c) => ({
      aggregate: text(c['aggregate']),
      assemblies: list(child(c, 'assemblies')?.['assembly']).map((a) => attrOf(a, 'ref')).filter(Boolean),
      dependencies: list(child(c, 'dependencies')?.['dependency']).map((a) => attrOf(a, 'ref')).filter(Boolean),
    })),
    vulnerabilities: list(child(bom, 'vulnerabilities')?.['vulnerability']).map(() => ({})),
  };
}
