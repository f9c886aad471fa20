// Small helpers every extractor uses to build its inventory fragment without duplicates.
import type { Component, Dependency, DependencyKind, Hash, Unresolved } from '../../model/inventory.ts';
import type { InventoryFragment } from '../extractor.ts';

export class FragmentBuilder {
  private readonly components = new Map<string, Component>();
  // from → to → its edge (or, rarely, one per kind): no key string is built per edge (purls are long; a
  // lock has 100,000s of edges), and no map per pair.
  private readonly edges = new Map<string, Map<string, Dependency | Dependency[]>>();
  private readonly unresolved: Unresolved[] = [];

  /** Add a component; a second sighting of the same purl keeps the first and fills its gaps. */
  component(c: Component): string {
    const prev = this.components.get(c.purl);
    if (!prev) this.components.set(c.purl, c);
    else {
      for (const [k, v] of Object.entries(c) as [keyof Component, unknown][]) {
        if (prev[k] === undefined && v !== undefined) (prev as unknown as Record<string, unknown>)[k] = v;
      }
      if (c.root) prev.root = true;
      if (c.firstParty) prev.firstParty = true;
      if (c.subject) prev.subject = true;
    }
    return c.purl;
  }

  /** Say whether an added component's own dependency list is known complete. */
  setComplete(purl: string, complete: boolean): void {
    const c = this.components.get(purl);
    if (c) c.dependenciesComplete = complete;
  }

  /** Mark an added component as one of the product's roots. */
  markRoot(purl: string): void {
    const c = this.components.get(purl);
    if (c) c.root = true;
  }

  /** Mark an added component as the product itself (an input SBOM's subject). */
  markSubject(purl: string): void {
    const c = this.components.get(purl);
    if (c) c.subject = true;
  }

  edge(from: string, to: string, kind: DependencyKind, extra: { constraint?: string; condition?: string } = {}): void {
    if (from === to) return;
    let byTo = this.edges.get(from);
    if (!byTo) this.edges.set(from, (byTo = new Map()));
    const had = byTo.get(to);
    if (had && (Array.isArray(had) ? had : [had]).some((d) => d.kind === kind)) return;
    const d: Dependency = { from, to, kind };
    if (extra.constraint) d.constraint = extra.constraint;
    if (extra.condition) d.condition = extra.condition;
    byTo.set(to, had === undefined ? d : Array.isArray(had) ? (had.push(d), had) : [had, d]);
  }

  missing(u: Unresolved): void {
    this.unresolved.push(u);
    const c = u.from ? this.components.get(u.from) : undefined;
    if (c) c.dependenciesComplete = false;
  }

  build(): InventoryFragment {
    const dependencies: Dependency[] = [];
    for (const byTo of this.edges.values()) for (const ds of byTo.values()) if (Array.isArray(ds)) dependencies.push(...ds); else dependencies.push(ds);
    return { components: [...this.components.values()], dependencies, unresolved: this.unresolved };
  }
}

/**
 * npm/pip style "sha512-<base64>" or "sha256:<hex>" into a hash, its value as hex (the SRI's base64
 * decoded, never recomputed). An SRI string may list several ("sha512-… sha1-…"): the strongest is
 * kept. `source` says where the value was found (the lockfile and its field).
 */
export function parseDigest(text: string | undefined, source?: string): Hash | undefined {
  if (!text) return undefined;
  const from = source ? { source } : {};
  const sris = text.trim().split(/\s+/).map((t) => /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})(\?.*)?$/.exec(t)).filter((m): m is RegExpExecArray => !!m);
  if (sris.length) {
    const best = sris.sort((a, b) => STRENGTH.indexOf(b[1]!) - STRENGTH.indexOf(a[1]!))[0]!;
    return { alg: algName(best[1]!), value: Buffer.from(best[2]!, 'base64').toString('hex'), ...from };
  }
  const hex = /^(sha1|sha256|sha384|sha512|md5)[:=]([0-9a-fA-F]+)$/.exec(text.trim());
  if (hex) return { alg: algName(hex[1]!), value: hex[2]!.toLowerCase(), ...from };
  return undefined;
}

const STRENGTH = ['md5', 'sha1', 'sha256', 'sha384', 'sha512'];

function algName(a: string): Hash['alg'] {
  return ({ sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512', md5: 'MD5' } as const)[a as 'sha1']!;
}
