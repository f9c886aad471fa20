// Component assessments: a reusable judgement about a component (identity and version range) for a
// stated use, with checks, evidence and assessor, carried as an in-toto Statement v1 predicate.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../util/package.ts';
import { validator, type ValidatorSpec } from '../util/validators.ts';
import { makePurl, parsePurl } from '../model/purl.ts';
import { schemeForPurlType, semverScheme, type VersionScheme } from '../versioning/index.ts';
import { pep503Name } from '../model/package-names.ts';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PREDICATE_TYPE = 'https://marque.invalid/attestation/assessment/v1';
export const PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface Assessment {
  component: string;
  range: { from?: string; before?: string; through?: string; versions?: string[] };
  sourceDigest?: Record<string, string>;
  context: string;
  uses?: string[];
  method: string[];
  checks: { name: string; result: string; annexI?: string[]; notes?: string }[];
  findings?: { vulnerability: string; status: string; justification?: string; impact?: string }[];
  evidence?: { uri: string; digest?: Record<string, string>; description?: string }[];
  assessor: { name: string; email?: string; url?: string };
  date: string;
  expires: string;
  programme?: string;
}

export interface Statement { _type: string; subject: { name: string; digest: Record<string, string> }[]; predicateType: string; predicate: Assessment }

/** The assessment schema, compiled at build time (src/util/validators.ts). */
export const ASSESSMENT_VALIDATOR: ValidatorSpec = {
  name: 'assessment',
  schema: () => JSON.parse(readFileSync(join(PACKAGE_ROOT, 'schemas', 'assessment.schema.json'), 'utf8')) as object,
  options: { allErrors: true, strict: true, strictRequired: false },
  formats: true,
};

export function validateAssessment(a: unknown): string[] {
  const check = validator(ASSESSMENT_VALIDATOR);
  return check(a) ? [] : check.errors!.map((e) => `${e.instancePath || '(assessment)'} ${e.message}`);
}

/**
 * in-toto subjects need a digest. With the assessed source's digest, that is it; without one, the
 * digest of the identity and range names exactly what was assessed.
 */
export function subjectDigest(a: Assessment): Record<string, string> {
  return a.sourceDigest ?? { sha256: createHash('sha256').update(JSON.stringify([a.component, a.range])).digest('hex') };
}

export function toStatement(a: Assessment): Statement {
  return { _type: STATEMENT_TYPE, subject: [{ name: a.component, digest: subjectDigest(a) }], predicateType: PREDICATE_TYPE, predicate: a };
}

/**
 * The assessed component written as a purl writes it (type and name case, encoding, sorted
 * qualifiers), so that a trust pattern is tested on the very string that is matched.
 */
export function canonicalComponent(component: string): string {
  const p = parsePurl(component);
  return makePurl({ type: p.type, namespace: p.namespace, name: p.name, qualifiers: p.qualifiers });
}

function schemeOfPurl(purl: string): VersionScheme {
  return schemeForPurlType(parsePurl(purl).type) ?? semverScheme; // ROS package versions are MAJOR.MINOR.PATCH (REP 149)
}

/**
 * The identity an assessment is matched by: the purl without version and qualifiers, with a PyPI name
 * in PEP 503's normal form (runs of "-", "_", "." are one "-"), as PyPI itself resolves it:
 * `zope.interface` and `zope-interface` are one project, whichever spelling a lockfile or an auditor wrote.
 */
export function assessedIdentity(purl: string): string {
  const p = parsePurl(purl);
  return makePurl({ type: p.type, namespace: p.namespace, name: p.type === 'pypi' ? pep503Name(p.name) : p.name });
}

/** purl qualifiers that say where the code came from instead of the ecosystem's default registry. */
const SOURCE_QUALIFIERS = ['vcs_url', 'repository_url', 'download_url'] as const;

/** A vcs_url without its "@revision": an assessment naming the repository covers its revisions (the range still decides). */
const withoutRef = (vcs: string | undefined): string | undefined => vcs?.replace(/@[^/@]*$/, '');

const HASH_ALG: Record<string, string> = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512', md5: 'MD5' };

/**
 * Why the assessment does not cover this component at this version, or null when it does: another
 * identity, a qualifier the assessment names with another value (distro, arch), a version outside
 * the range in the ecosystem's ordering, or an assessed source digest that is not one the product
 * knows for the component.
 */
export function coverageGap(a: Assessment, purl: string, version: string | undefined, known: { alg: string; value: string }[] = []): string | null {
  let id: string;
  let q: Record<string, string>;
  try { id = assessedIdentity(purl); q = parsePurl(purl).qualifiers ?? {}; } catch { return `${purl} is not a purl`; }
  let assessed: string;
  let aq: Record<string, string>;
  try { assessed = assessedIdentity(a.component); aq = parsePurl(a.component).qualifiers ?? {}; } catch { return `the assessed component ${a.component} is not a purl`; }
  if (id !== assessed) return `assessment is about ${assessed}, not ${id}`;
  for (const [k, v] of Object.entries(aq)) if (q[k] !== v && !(k === 'vcs_url' && withoutRef(q[k]) === v)) return `assessed for ${k}=${v}, not ${k}=${q[k] ?? '(none)'}`;
  // Code from elsewhere than the ecosystem's registry (a git fork, another registry, a download) is not
  // the release the assessment judged unless the assessment names that source itself.
  for (const k of SOURCE_QUALIFIERS) if (q[k] !== undefined && aq[k] === undefined) return `this component comes from ${k}=${q[k]}; the assessment names no ${k}, so it judged the registry's release, not this source`;
  const outside = `version ${version} is outside the assessed range ${JSON.stringify(a.range)}`;
  const r = a.range;
  if (version === undefined) {
    // identity and qualifiers only
  } else {
    // Every bound the assessment states holds: exact versions and from/before/through together are their intersection.
    if (r.versions && !r.versions.includes(version)) return outside;
    const s = schemeOfPurl(purl);
    try {
      if (r.from !== undefined && s.compare(version, r.from) < 0) return outside;
      if (r.before !== undefined && s.compare(version, r.before) >= 0) return outside;
      if (r.through !== undefined && s.compare(version, r.through) > 0) return outside;
    } catch {
      return `version ${version} cannot be ordered against the assessed range ${JSON.stringify(a.range)}`; // not covered
    }
  }
  // An assessed source digest must be one the product knows for this component, where it knows one of that algorithm.
  for (const [alg, value] of Object.entries(a.sourceDigest ?? {})) {
    // "sha256", "SHA-256" and "sha_256" are one algorithm: a spelling must not switch the check off.
    const mine = known.filter((h) => h.alg === (HASH_ALG[alg.toLowerCase().replace(/[-_]/g, '')] ?? alg));
    if (mine.length && !mine.some((h) => h.value.toLowerCase() === value.toLowerCase())) return `the assessed source has ${alg}:${value.slice(0, 16)}…, not this component's ${alg}:${mine[0]!.value.slice(0, 16)}…`;
  }
  return null;
}

/**
 * The version a purl names, as its ecosystem compares it: with the `epoch` qualifier in front when the
 * version does not carry one (`pkg:rpm/fedora/x@2.0-1?epoch=1` is 1:2.0-1, which sorts after 3.0-1).
 */
export function purlVersion(purl: string): string | undefined {
  const p = parsePurl(purl);
  const epoch = p.qualifiers?.['epoch'];
  return p.version && epoch && !p.version.includes(':') ? `${epoch}:${p.version}` : p.version;
}

/** Does the assessment's range cover this component's version, in its ecosystem's ordering? */
export function covers(a: Assessment, purl: string, version: string, known: { alg: string; value: string }[] = []): boolean {
  return coverageGap(a, purl, version, known) === null;
}
