// The dossier as one self-contained HTML file: server-side rendered views, the stylesheet and the
// chart script inlined (no network, no CDN), a Content-Security-Policy that allows exactly that
// script, and the dossier's data for the charts. Opens years later in any browser, prints to A4.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { html } from 'htm/preact';
import { render } from 'preact-render-to-string';
import { spawnSync } from 'node:child_process';
import { PACKAGE_ROOT, SOURCE_CHECKOUT } from '../util/package.ts';
import type { Dossier } from '../model/dossier.ts';
import { InputError } from '../util/errors.ts';
import { escapeHtmlAttr, escapeHtmlText } from '../util/html.ts';
import { safeSvg } from './safe-svg.ts';
import { DossierView } from '../../web/views/dossier.ts';
import { STYLES } from '../../web/views/styles.ts';

/** A bundle built by scripts/build-web.ts (before packing; a clone builds it on first use). */
export function webBundle(name: 'dossier' | 'dashboard'): string {
  const file = join(PACKAGE_ROOT, 'dist', 'web', `${name}.js`);
  if (!existsSync(file) && SOURCE_CHECKOUT) spawnSync(process.execPath, [join(PACKAGE_ROOT, 'scripts', 'build.ts'), 'web'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(file)) throw new InputError(`the ${name} bundle is missing: run "npm run build"`, file);
  return readFileSync(file, 'utf8');
}

/** The dossier with its perimeter picture rebuilt under the SVG allow-list (a pushed dossier's picture is the pusher's). */
export function withSafePicture(d: Dossier): Dossier {
  if (typeof d.perimeter !== 'object' || d.perimeter === null || !('svg' in d.perimeter) || typeof d.perimeter.svg !== 'string') return d;
  const svg = safeSvg(d.perimeter.svg);
  return { ...d, perimeter: { ...d.perimeter, svg: svg || { missing: 'the picture held nothing an SVG allow-list keeps' } } };
}

/**
 * The policy of a dossier page: only its own script and inline styles; no form may post anywhere, no
 * <base> may redirect its links, no other site may frame it (frame-ancestors holds only as a header).
 */
export function dossierCsp(scriptHash: string): string {
  return `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${scriptHash}'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'`;
}

export function dossierPage(dossier: Dossier): { html: string; csp: string } {
  const d = withSafePicture(dossier);
  // "</script" inside the bundle would end the element early.
  const script = webBundle('dossier').replace(/<\/(script)/gi, '<\\/$1');
  // Marque's own constant and a base64 hash: nothing from input, no quote to escape.
  const csp = dossierCsp(createHash('sha256').update(script).digest('base64'));
  const body = render(html`<${DossierView} d=${d} />`);
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="${escapeHtmlAttr(d.generator)}">
<meta name="marque-inputs-digest" content="${escapeHtmlAttr(d.digest)}">
<title>${escapeHtmlText(`Release dossier: ${d.product.name} ${d.product.version}`)}</title>
<style>${STYLES}</style></head>
<body>${body}
<script>${script}</script>
</body></html>
`;
  return { html: page, csp };
}

export function dossierHtml(d: Dossier): string {
  return dossierPage(d).html;
}
