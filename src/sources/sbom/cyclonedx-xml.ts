// CycloneDX XML (1.2–1.6), read into the shape of CycloneDX JSON so one reader serves both. The
// XML is parsed safely (no DOCTYPE entities, src/util/xml.ts); only what the JSON reader uses is carried.
import { asArray, attrOf, parseXml, textOf, type XmlNode } from '../../util/xml.ts';
import { InputError } from '../../util/errors.ts';

const ARRAYS = new Set(['component', 'dependency', 'license', 'hash', 'reference', 'tool', 'ancestors', 'url']);
const list = (v: unknown) => asArray(v) as XmlNode[];
const text = (v: unknown) => { const t = textOf(v).trim(); return t === '' ? undefined : t; };

function component(c: XmlNode): Record<string, unknown> {
  const licenses = list((c['licenses'] as XmlNode | undefined)?.['license']).map((l) => ({ license: { ...(text(l['id']) ? { id: text(l['id']) } : {}), ...(text(l['name']) ? { name: text(l['name']) } : {}) } }));
  const expression = text((c['licenses'] as XmlNode | undefined)?.['expression']);
  const supplier = c['supplier'] as XmlNode | undefined;
  return {
    type: attrOf(c, 'type'), 'bom-ref': attrOf(c, 'bom-ref'),
    name: text(c['name']), version: text(c['version']), group: text(c['group']), purl: text(c['purl']), description: text(c['description']), scope: text(c['scope']), author: text(c['author']),
    licenses: [...licenses, ...(expression ? [{ expression }] : [])],
    hashes: list((c['hashes'] as XmlNode | undefined)?.['hash']).map((h) => ({ alg: attrOf(h, 'alg'), content: text(h) })),
    externalReferences: list((c['externalReferences'] as XmlNode | undefined)?.['reference']).map((r) => ({ type: attrOf(r, 'type'), url: text(r['url']) })),
    ...(supplier ? { supplier: { name: text(supplier['name']), url: list(supplier['url']).map((u) => textOf(u)) } } : {}),
    components: list((c['components'] as XmlNode | undefined)?.['component']).map(component),
  };
}

/** The CycloneDX JSON document an XML BOM says. */
export function cycloneDxXmlToJson(xml: string, file: string): Record<string, unknown> {
  const doc = parseXml(xml, file, { arrays: ARRAYS });
  const bom = doc['bom'] as XmlNode | undefined;
  if (!bom) throw new InputError('not a CycloneDX XML BOM (no <bom> root)', file, 1);
  const ns = attrOf(bom, 'xmlns') ?? '';
  const version = /cyclonedx\.org\/schema\/bom\/(1\.[2-6])$/.exec(ns)?.[1];
  if (!version) throw new InputError(`CycloneDX XML namespace "${ns}" is not one Marque reads (1.2 to 1.6)`, file, 1);
  const meta = bom['metadata'] as XmlNode | undefined;
  const subject = meta?.['component'] ? component(list(meta['component'])[0]!) : undefined;
  const deps = list((bom['dependencies'] as XmlNode | undefined)?.['dependency']).map((d) => ({ ref: attrOf(d, 'ref'), dependsOn: list(d['dependency']).map((x) => attrOf(x, 'ref')).filter(Boolean) }));
  return {
    bomFormat: 'CycloneDX', specVersion: version,
    ...(subject ? { metadata: { component: subject } } : {}),
    components: list((bom['components'] as XmlNode | undefined)?.['component']).map(component),
    ...(deps.length ? { dependencies: deps } : {}),
  };
}
