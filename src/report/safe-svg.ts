// The perimeter picture is SVG, and a pushed dossier's SVG comes from whoever pushed it: before it is
// kept or shown it is rebuilt by a maintained sanitiser (sanitize-html) under an allow-list of the
// elements and attributes Graphviz writes. Anything else — a script, a <meta http-equiv="refresh">,
// a form closing the <svg> early, an event handler, a link, a style — is dropped, not escaped into view.
import { createRequire } from 'node:module';
import type SanitizeHtml from 'sanitize-html';

type Sanitize = typeof SanitizeHtml;
let lib: Sanitize | undefined;
const sanitizer = (): Sanitize => (lib ??= createRequire(import.meta.url)('sanitize-html') as Sanitize);

/** Presentation attributes Graphviz's SVG output uses (dot -Tsvg), and nothing that loads or runs. */
const PRESENTATION = ['id', 'class', 'transform', 'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity',
  'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'text-decoration', 'x', 'y', 'dx', 'dy', 'rx', 'ry', 'cx', 'cy', 'r',
  'x1', 'y1', 'x2', 'y2', 'width', 'height', 'points', 'd', 'viewBox', 'preserveAspectRatio'];

const TAGS = ['svg', 'g', 'title', 'desc', 'path', 'polygon', 'polyline', 'ellipse', 'circle', 'rect', 'line', 'text', 'tspan', 'a'];

const OPTIONS: SanitizeHtml.IOptions = {
  allowedTags: TAGS,
  allowedAttributes: {
    '*': PRESENTATION,
    svg: [...PRESENTATION, 'xmlns', 'xmlns:xlink', 'version'],
    // Graphviz wraps a node with a tooltip in <a xlink:title>: the tooltip stays, no link does.
    a: ['xlink:title', 'title'],
  },
  allowedSchemes: [],
  allowedSchemesAppliedToAttributes: [],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Text inside what is dropped is dropped with it (a <style> or a <form>'s labels are not a picture).
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'form', 'button', 'select', 'iframe', 'object', 'embed', 'foreignObject', 'head', 'meta'],
  // SVG is XML: names keep their case (viewBox), <path/> closes itself.
  parser: { xmlMode: true, lowerCaseTags: false, lowerCaseAttributeNames: false },
  transformTags: {
    // A paint or a length that refers elsewhere (url(https://…)) loads a resource: only url(#local) is kept.
    '*': (tagName, attribs) => ({ tagName, attribs: Object.fromEntries(Object.entries(attribs).filter(([, v]) => !/url\s*\(\s*(?!['"]?#)/i.test(v) && !/javascript:|data:/i.test(v))) }),
  },
};

/** The SVG with only what a picture needs; "" when nothing of an <svg> element is left. */
export function safeSvg(svg: string): string {
  const start = svg.indexOf('<svg');
  if (start === -1) return '';
  const clean = sanitizer()(svg.slice(start), OPTIONS).trim();
  return clean.startsWith('<svg') ? clean : '';
}
