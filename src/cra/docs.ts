// Drafts of the documents the Regulation requires, filled with what Marque knows and with every gap
// marked. One structure renders to Markdown and to self-contained HTML that prints well.
import { saysNone } from '../util/answers.ts';
import { findContact, type ContactSeen } from './check.ts';
import { inComponentsText, vulnerabilitiesText, type VulnerabilityCounts } from '../model/counting.ts';
import type { Manifest } from '../manifest/manifest.ts';
import type { CraProfile } from '../model/cra.ts';
import { ANNEX_II, ANNEX_V, ANNEX_VII, type DocPoint, type Source } from './rules/annex-documents.ts';
import { escapeHtmlAttr } from '../util/html.ts';

export interface DocFacts {
  manifest: Manifest;
  profile: CraProfile;
  inventory?: { components: number; firstParty: number; ecosystems: Record<string, number> };
  findings?: { all: VulnerabilityCounts; open: VulnerabilityCounts; coverage: string };
  today: Date;
}

/** value: what Marque could fill in (null: nothing); missing: parts still to be given, drawn as gaps. */
export interface DraftPoint { point: string; requirement: string; cite: string; value: string | null; missing?: string[] }
export interface DraftDocument { id: 'declaration' | 'user-information' | 'technical-documentation'; title: string; cite: string; intro: string; points: DraftPoint[] }

type Filled = string | null | { value: string; missing: string[] };

/** A contact as docs draws it: what it is (when not an address), the address, and where it was read. */
function contactText(c: ContactSeen): string {
  return `${c.what && c.what !== 'address' ? `${c.what} ` : ''}${c.address} (${c.source})`;
}

function filler(f: DocFacts): (s: Source | undefined) => Filled {
  const m = f.manifest;
  const mf = m.product.manufacturer;
  return (s) => {
    switch (s) {
      case 'product-identity': return `${m.product.name}, version ${m.product.version}${m.product.description ? ` — ${m.product.description}` : ''}`;
      case 'manufacturer': {
        if (!mf) return null;
        const value = [mf.name, mf.address, mf.email, mf.url].filter(Boolean).join('; ');
        return mf.address ? value : { value, missing: ['postal address (product.manufacturer.address)'] };
      }
      case 'contact-and-policy': {
        // The contact check finds (Annex I, Part II (6)), with where it was read: every view gives the same answer.
        const c = findContact({ dir: m.dir, manifest: m, today: f.today ?? new Date() });
        const shown = c.reaching.length ? c.reaching : c.unreachable;
        if (!shown.length) return null;
        const value = `${shown.map(contactText).join('; ')}${m.security?.disclosurePolicy ? `; disclosure policy: ${m.security.disclosurePolicy}` : ''}`;
        // An address no report can reach is no point of contact (Art. 13(17)): drawn as the gap it is.
        if (c.reaching.length) return value;
        return { value, missing: [`a contact that can receive vulnerability reports (${[...new Set(c.unreachable.map((u) => u.why))].join('; ')})`] };
      }
      case 'intended-purpose': return m.product.intendedPurpose ?? null;
      case 'support-period': return m.support?.periodEnd ? `Security updates until ${m.support.periodEnd} (end of the support period, Art. 13(19))` : null;
      case 'update-mechanism': { const u = m.support?.updates?.mechanism; return u && !saysNone(u) ? u : null; }
      case 'support-justification': return m.support?.justification ?? (m.support?.expectedUseYears ? `expected use time ${m.support.expectedUseYears} years` : null);
      case 'applied-standards': return m.conformity?.appliedInFull?.length ? `Applied in full: ${m.conformity.appliedInFull.join(', ')} (name each with its OJ reference)` : null;
      case 'class-and-route': return `Class: ${f.profile.class}; procedures open: ${f.profile.conformityRoutes.map((r) => `module ${r.module} (${r.cite})`).join(', ') || 'none'}. Notified body: to be completed where B+C or H is used`;
      case 'sbom': return f.inventory ? `SBOM by marque sbom (CycloneDX 1.6 / SPDX 2.3): ${f.inventory.components} components (${Object.entries(f.inventory.ecosystems).map(([e, n]) => `${e} ${n}`).join(', ')}), ${f.inventory.firstParty} first-party (the product's own code)` : null;
      case 'findings': return f.findings ? `${vulnerabilitiesText(f.findings.all)}; open (without a not_affected/fixed decision): ${inComponentsText(f.findings.open)} (marque vulns; exports in CSAF/OpenVEX). ${f.findings.coverage}` : null;
      case 'sole-responsibility': return mf ? `This declaration of conformity is issued under the sole responsibility of ${mf.name}. (Draft wording: Annex V says "provider".)` : null;
      case 'conformity-statement': return `The object of the declaration described above is in conformity with Regulation (EU) 2024/2847 and [list the other Union harmonisation legislation that applies, with publication references, Art. 28(3)].`;
      case 'sbom-location': return null;
      default: return null;
    }
  };
}

/**
 * What these documents are to an economic operator that is not the manufacturer: they are the manufacturer's
 * (Art. 13(12), 13(18)); a steward issues no declaration and may not affix the CE marking (recital 19).
 */
function roleNote(p: CraProfile): string {
  switch (p.role) {
    case 'manufacturer': return '';
    case 'open-source-steward': return 'Not a document of this role: marque classify finds an open-source software steward (Art. 3(14)), which carries out no conformity assessment, draws up no EU declaration of conformity and may not affix the CE marking (recital 19); its obligation is a cybersecurity policy documented in a verifiable manner (Art. 24(1)). This draft shows what a manufacturer would draw up. ';
    case 'out-of-scope': return `Not required: marque classify finds that the Regulation does not apply (${p.scope.reasons.map((r) => r.cite).at(-1) ?? 'Art. 2'}). This draft shows what a manufacturer would draw up. `;
    case 'importer': return 'Drawn up by the manufacturer: marque classify finds an importer, which checks these documents before placing the product on the market (Art. 19(2)). ';
    case 'distributor': return 'Drawn up by the manufacturer: marque classify finds a distributor, which verifies the CE marking and the manufacturer\'s and importer\'s obligations (Art. 20(2)). ';
  }
}

export function draftDocuments(f: DocFacts): DraftDocument[] {
  const fill = filler(f);
  const note = roleNote(f.profile);
  const points = (xs: readonly DocPoint[]): DraftPoint[] => xs.map((p) => {
    const v = fill(p.fill);
    const base = { point: p.point, requirement: p.text, cite: p.cite };
    return v === null || typeof v === 'string' ? { ...base, value: v } : { ...base, value: v.value, missing: v.missing };
  });
  return [
    { id: 'declaration', title: 'EU declaration of conformity', cite: 'Art. 28; Annex V', intro: `${note}Draft for ${f.manifest.product.name} ${f.manifest.product.version}. Regulation (EU) 2024/2847. A single declaration covers all Union acts that apply (Art. 28(3)).`, points: points(ANNEX_V) },
    { id: 'user-information', title: 'Information and instructions to the user', cite: 'Art. 13(18); Annex II', intro: note + 'Kept available for at least ten years or the support period, whichever is longer (Art. 13(18)).', points: points(ANNEX_II) },
    { id: 'technical-documentation', title: 'Technical documentation (outline)', cite: 'Art. 31; Annex VII', intro: note + 'Drawn up before placing on the market and kept up to date at least during the support period (Art. 31(2)).', points: points(ANNEX_VII) },
  ];
}

const GAP = 'TO BE COMPLETED BY THE MANUFACTURER';

export function docsMarkdown(docs: DraftDocument[], f: DocFacts): string {
  const lines = [`# CRA documents — ${f.manifest.product.name} ${f.manifest.product.version}`, '', `Drafted by Marque on ${f.today.toISOString().slice(0, 10)}. Every point cites the provision that asks for it; gaps are marked **${GAP}**.`, ''];
  for (const d of docs) {
    lines.push(`## ${d.title} (${d.cite})`, '', d.intro, '');
    for (const p of d.points) {
      lines.push(`### ${p.point}. ${p.requirement}`, `_${p.cite}_`, '', p.value ?? `**${GAP}**`);
      for (const x of p.missing ?? []) lines.push('', `**${GAP}: ${x}**`);
      lines.push('');
    }
  }
  return lines.join('\n');
}

const esc = escapeHtmlAttr; // safe in text and in quoted attributes alike

/** Self-contained XHTML-compatible HTML with print styles (A4, page break per document). */
export function docsHtml(docs: DraftDocument[], f: DocFacts): string {
  const title = `CRA documents — ${f.manifest.product.name} ${f.manifest.product.version}`;
  const body = docs.map((d) => `<section class="doc" id="${esc(d.id)}">
<h2>${esc(d.title)} <span class="cite">${esc(d.cite)}</span></h2>
<p class="intro">${esc(d.intro)}</p>
<ol class="points">
${d.points.map((p) => `<li><div class="req"><b>${esc(p.point)}.</b> ${esc(p.requirement)} <span class="cite">${esc(p.cite)}</span></div><div class="${p.value ? 'value' : 'value gap'}">${esc(p.value ?? GAP)}</div>${(p.missing ?? []).map((x) => `<div class="value gap">${esc(`${GAP}: ${x}`)}</div>`).join('')}</li>`).join('\n')}
</ol>
</section>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>${esc(title)}</title>
<style>
@page { size: A4; margin: 18mm 16mm; }
body { font: 11pt/1.45 system-ui, sans-serif; color: #111; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; border-bottom: 2px solid #003399; padding-bottom: .2rem; }
.cite { color: #555; font-size: .8em; font-weight: normal; white-space: nowrap; }
ol.points { list-style: none; padding: 0; } ol.points li { margin: .8rem 0; break-inside: avoid; }
.value { margin: .25rem 0 0 1rem; padding: .3rem .5rem; border-left: 3px solid #2a7; background: #f4fbf6; }
.value.gap { border-left-color: #c30; background: #fdf1ee; font-weight: 600; }
@media print { body { margin: 0; max-width: none; } section.doc { break-before: page; } section.doc:first-of-type { break-before: auto; } }
</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p>Drafted by Marque on ${f.today.toISOString().slice(0, 10)}. Every point cites the provision that asks for it; gaps are marked in red.</p>
${body}
</body>
</html>
`;
}
