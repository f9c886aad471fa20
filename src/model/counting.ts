// What a number counts: which components (first-party or not, shipped or not) and how many
// vulnerabilities a list of findings holds. One definition each, used by every command, export and
// the server, and stated next to every number it gives.
import type { Finding } from './advisory.ts';
import type { Scope } from './inventory.ts';

/** The CycloneDX property by which Marque's SBOMs mark the product's own code; read back on import and by the server. */
export const FIRST_PARTY_PROPERTY = 'marque:firstParty';

export interface Countable { firstParty?: boolean; subject?: boolean; kind?: Scope | null }

/** Ships with the product: runtime or optional scope. A component no root reaches (scope unknown) counts as shipping, to be safe. */
export function ships(c: { kind?: Scope | string | null }): boolean {
  return c.kind === 'runtime' || c.kind === 'optional' || c.kind === null || c.kind === undefined;
}

/** Counted: a third-party component that ships. Advisory coverage ("checked N of M") is about these. */
export function isCounted(c: Countable): boolean {
  return !c.subject && !c.firstParty && ships(c);
}

/** The definition of "counted", said next to every count of components. */
export const COUNTED = 'components that ship (third-party, runtime or optional scope)';

export interface ComponentCounts {
  /** Every component of the product; the product itself (an SBOM's subject) is not one of them. */
  all: number;
  /** Of `all`, the product's own code (FIRST_PARTY in the README): matched like any component, but not counted in coverage (no public advisory database need cover it). */
  firstParty: number;
  /** Of `all`, third-party components that do not ship (build, test, doc or dev scope). */
  notShipped: number;
  /** Third-party components that ship: `all` less the two above. */
  counted: number;
}

export function countComponents(components: readonly Countable[]): ComponentCounts {
  const n: ComponentCounts = { all: 0, firstParty: 0, notShipped: 0, counted: 0 };
  for (const c of components) {
    if (c.subject) continue;
    n.all++;
    if (c.firstParty) n.firstParty++;
    else if (!ships(c)) n.notShipped++;
    else n.counted++;
  }
  return n;
}

/** "91 components in all: 8 first-party (the product's own code), 59 third-party that do not ship". */
export function allComponentsText(n: { all?: number; firstParty: number; notShipped?: number }): string {
  const parts = [n.firstParty ? `${n.firstParty} first-party (the product's own code)` : '', n.notShipped ? `${n.notShipped} third-party that do not ship` : ''].filter(Boolean);
  return `${n.all ?? '?'} component${n.all === 1 ? '' : 's'} in all${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

export interface VulnerabilityCounts {
  /** Distinct vulnerabilities: ids linked as aliases are one. */
  vulnerabilities: number;
  /** Distinct components with at least one finding. */
  components: number;
  /** Of `vulnerabilities`, those actively exploited. */
  exploited: number;
  /** The same two counts for findings in components that ship. */
  shipping: { vulnerabilities: number; components: number };
}

type Countme = Pick<Finding, 'advisory' | 'aliases' | 'component' | 'exploited'> & { scope?: Scope | string | null };

/** Findings are (component, vulnerability) pairs: one advisory matching two components is one vulnerability in two components. */
export function countVulnerabilities(findings: readonly Countme[]): VulnerabilityCounts {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const f of findings) {
    const a = find(f.advisory);
    for (const al of f.aliases) { const b = find(al); if (b !== a) parent.set(b, a); }
  }
  const count = (fs: readonly Countme[]) => ({ vulnerabilities: new Set(fs.map((f) => find(f.advisory))).size, components: new Set(fs.map((f) => f.component)).size });
  const exploited = new Set(findings.filter((f) => f.exploited).map((f) => find(f.advisory))).size;
  return { ...count(findings), exploited, shipping: count(findings.filter((f) => ships({ kind: f.scope }))) };
}

/** "3 known vulnerabilities matched in 4 components (1 actively exploited)", with what ships when it differs. */
export function vulnerabilitiesText(v: VulnerabilityCounts): string {
  const vuln = (n: number) => `${n} known vulnerabilit${n === 1 ? 'y' : 'ies'}`;
  const comp = (n: number) => `${n} component${n === 1 ? '' : 's'}`;
  if (!v.vulnerabilities) return `${vuln(0)} matched`;
  const ship = v.shipping.vulnerabilities !== v.vulnerabilities || v.shipping.components !== v.components
    ? `; ${v.shipping.vulnerabilities} in ${comp(v.shipping.components)} that ship` : '';
  return `${vuln(v.vulnerabilities)} matched in ${comp(v.components)} (${v.exploited} actively exploited)${ship}`;
}

/** "2 in 3 components": the short form, after a word that says which (open, exploited). */
export function inComponentsText(v: Pick<VulnerabilityCounts, 'vulnerabilities' | 'components'>): string {
  return `${v.vulnerabilities} in ${v.components} component${v.components === 1 ? '' : 's'}`;
}
