// Identity, class, conformity route, support period against the platforms' end of life, obligations
// and dates: the first page an auditor reads. Every statement carries its citation.
import { html } from 'htm/preact';
import type { CraProfile } from '../../src/model/cra.ts';
import type { Dossier } from '../../src/model/dossier.ts';
import type { ProductInfo } from '../../src/model/product.ts';
import { day } from './format.ts';

const CLASS_TEXT: Record<string, string> = {
  default: 'default product (no Annex III or IV category)', 'important-I': 'important product, class I (Annex III)',
  'important-II': 'important product, class II (Annex III)', critical: 'critical product (Annex IV)',
};

export const Cite = ({ c }: { c: string }) => html`<span class="cite">${c}</span>`;
export const Gap = ({ children }: { children: unknown }) => html`<span class="gap">${children}</span>`;

/** A contact address as a link: mailto: shows the address, http(s) the URL; anything else as text. */
function contactLink(address: string) {
  if (/^mailto:/i.test(address)) return html`<a href=${address}>${address.slice('mailto:'.length)}</a>`;
  if (/^https?:\/\//i.test(address)) return html`<a href=${address}>${address}</a>`;
  return address;
}

/** `contact`: as the dossier records it; a dossier kept before it was recorded falls back to what it had. */
export function Identity({ product, contact }: { product: ProductInfo; contact?: Dossier['contact'] }) {
  const m = product.manufacturer;
  const reportTo = contact === undefined ? (m?.email ?? product.securityTxt) : contact ? html`${contactLink(contact.address)} <span class="muted">(${contact.source})</span>` : undefined;
  const row = (k: string, v: unknown, cite?: string) => html`<tr><th scope="row">${k}</th><td>${v}${cite ? html` <${Cite} c=${cite} />` : null}</td></tr>`;
  return html`<table class="facts"><tbody>
    ${row('Product', `${product.name} ${product.version}`)}
    ${row('Manufacturer', m?.name ?? html`<${Gap}>not stated in marque.yaml</${Gap}>`, 'Annex II (1)')}
    ${row('Postal address', m?.address ?? html`<${Gap}>missing: Annex II (1) requires it</${Gap}>`, 'Annex II (1)')}
    ${row('Contact for vulnerabilities', reportTo ?? html`<${Gap}>missing: set security.contact in marque.yaml${m?.email ? ` (the manufacturer's email is not declared as the contact for vulnerabilities)` : ''}</${Gap}>`, 'Annex II (2)')}
    ${row('Intended purpose', product.intendedPurpose ?? html`<${Gap}>missing</${Gap}>`, 'Annex II (4)')}
  </tbody></table>`;
}

export function ClassAndRoute({ profile }: { profile: CraProfile }) {
  return html`<div>
    <p class="lead">Class: <strong>${profile.role === 'out-of-scope' ? 'out of scope' : CLASS_TEXT[profile.class] ?? profile.class}</strong> <${Cite} c="Art. 7; Annex III; Annex IV" /></p>
    ${profile.scope.reasons.length ? html`<ul class="reasons">${profile.scope.reasons.map((r) => html`<li>${r.text} <${Cite} c=${r.cite} /></li>`)}</ul>` : null}
    ${profile.categories.length ? html`<p>Categories: ${profile.categories.map((c) => html`<span class="tag">Annex ${c.annex} ${c.point}: ${c.title}</span> `)}</p>` : null}
    <h3>Conformity assessment</h3>
    ${profile.conformityRoutes.length ? html`<ul>${profile.conformityRoutes.map((r) => html`<li><strong>${r.module}</strong>: ${r.conditions} <${Cite} c=${r.cite} /></li>`)}</ul>` : html`<p><${Gap}>no route applies (out of scope)</${Gap}></p>`}
    ${profile.uncertainties.length ? html`<div class="note"><strong>Where the law or the facts leave room:</strong><ul>${profile.uncertainties.map((u) => html`<li>${u.text} <${Cite} c=${u.cite} /></li>`)}</ul></div>` : null}
  </div>`;
}

export function Support({ support }: { support: Dossier['support'] }) {
  return html`<div>
    <p>Support period: ${support.placedOnMarket ? `placed on the market ${support.placedOnMarket}, ` : ''}${support.periodEnd ? html`security updates until <strong>${support.periodEnd}</strong>` : html`<${Gap}>no end declared</${Gap}>`} <${Cite} c="Art. 13(8)" /></p>
    ${support.platforms.length ? html`<table><thead><tr><th scope="col">Platform</th><th scope="col">End of life</th><th scope="col">Against the support period</th><th scope="col">Source</th></tr></thead><tbody>
      ${support.platforms.map((p) => html`<tr><td>${p.platform}${p.assumed ? html` <span class="muted">(${p.assumed})</span>` : ''}</td><td>${p.end}</td><td>${p.beforeSupportEnd ? html`<span class="warn">ends first: plan how updates continue${p.note ? ` (${p.note})` : ''}</span>` : 'outlasts it'}</td><td>${p.source}</td></tr>`)}
    </tbody></table>` : html`<p class="muted">No platform end-of-life data for this product's platform.</p>`}
  </div>`;
}

export function Obligations({ profile, now }: { profile: CraProfile; now: string }) {
  return html`<div>
    <table><thead><tr><th scope="col">Obligation</th><th scope="col">Applies from</th><th scope="col">Source</th></tr></thead><tbody>
      ${profile.obligations.map((o) => html`<tr><td>${o.text}</td><td class="nowrap">${o.appliesFrom}${o.status === 'in-force' ? ' (in force)' : ''}</td><td><${Cite} c=${o.cite} /></td></tr>`)}
    </tbody></table>
    <h3>Dates</h3>
    <ul class="dates">${profile.dates.map((d) => html`<li class=${d.passed ? 'passed' : ''}><strong>${d.date}</strong> ${d.text} <${Cite} c=${d.cite} />${d.passed ? ' (passed)' : ''}</li>`)}</ul>
    <p class="muted">As of ${day(now)}.</p>
  </div>`;
}
