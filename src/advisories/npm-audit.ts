// npm audit's JSON report (npm 7+, "auditReportVersion": 2) as OSV records, so that Marque's
// matcher can be checked against npm's own on the same advisories.
import semver from 'semver';
import type { Advisory, OsvEvent } from '../model/advisory.ts';

interface AuditVia { source?: number; name?: string; title?: string; url?: string; severity?: string; range?: string }
interface AuditReport { auditReportVersion?: number; vulnerabilities?: Record<string, { name: string; via: (string | AuditVia)[]; nodes?: string[] }> }

/** A semver range ("<5.3.1", ">=2.0.0 <2.3.1 || >=3.0.0 <3.0.2") as OSV ECOSYSTEM range events, one range per union member. */
export function rangeToEvents(range: string): OsvEvent[][] {
  const r = new semver.Range(range, { loose: true });
  return r.set.map((comparators) => {
    const events: OsvEvent[] = [];
    let lower: string | undefined;
    for (const c of comparators) {
      const v = c.value === '' ? undefined : (c.semver as semver.SemVer).version; // "" is semver's ANY comparator
      if (c.operator === '>=' && v) lower = v;
      else if (c.operator === '>' && v) lower = semver.inc(v, 'patch') ?? v; // OSV has no exclusive "introduced"
      else if (c.operator === '<' && v) events.push({ fixed: v });
      else if (c.operator === '<=' && v) events.push({ last_affected: v });
      else if ((c.operator === '' || c.operator === '=') && v) { lower = v; events.push({ last_affected: v }); }
    }
    return [{ introduced: lower ?? '0' }, ...events];
  });
}

export function auditToOsv(report: AuditReport, modified = new Date().toISOString()): Advisory[] {
  const out = new Map<string, Advisory>();
  for (const v of Object.values(report.vulnerabilities ?? {})) {
    for (const via of v.via) {
      if (typeof via === 'string' || !via.url || !via.range || !via.name) continue;
      const id = /GHSA-[\w-]+/.exec(via.url)?.[0] ?? `NPM-${via.source}`;
      const adv = out.get(id) ?? { id, modified, aliases: [], related: [], summary: via.title, severity: via.severity ? [{ type: 'LABEL', score: via.severity.toUpperCase() }] : [], affected: [], references: [{ type: 'ADVISORY', url: via.url }] };
      for (const events of rangeToEvents(via.range)) adv.affected.push({ package: { ecosystem: 'npm', name: via.name }, ranges: [{ type: 'SEMVER', events }] });
      out.set(id, adv);
    }
  }
  return [...out.values()];
}

/** Which (package, advisory) pairs npm reported. */
export function auditPairs(report: AuditReport): Set<string> {
  const pairs = new Set<string>();
  for (const v of Object.values(report.vulnerabilities ?? {})) {
    for (const via of v.via) {
      if (typeof via === 'string' || !via.url || !via.name) continue;
      pairs.add(`${via.name} ${/GHSA-[\w-]+/.exec(via.url)?.[0] ?? `NPM-${via.source}`}`);
    }
  }
  return pairs;
}
