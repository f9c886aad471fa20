// Component assessments: a reusable judgement about a component (identity and version range) for a
// stated use, with checks, evidence and assessor, carried as an in-toto Statement v1 predicate.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../util/package.ts';
import { validator, type ValidatorSpec } from '../util/validators.ts';
import { parsePurl, purlIdentity } from '../model/purl.ts';
import { schemeForPurlType, semverScheme, type VersionScheme } from '../versioning/index.ts';

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
export function toStatement(a: Assessment): Statement {
  const digest = a.sourceDigest ?? { sha256: createHash('sha256').update(JSON.stringify([a.component, a.range])).digest('hex') };
  return { _type: STATEMENT_TYPE, subject: [{ name: a.component, digest }], predicateType: PREDICATE_TYPE, predicate: a };
}

function schemeOfPurl(purl: string): VersionScheme {
  return schemeForPurlType(parsePurl(purl).type) ?? semverScheme; // ROS package versions are MAJOR.MINOR.PATCH (REP 149)
}

/** Does the assessment's range cover this component's version, in its ecosystem's ordering? */
export function covers(a: Assessment, purl: string, version: string): boolean {
  if (purlIdentity(purl) !== a.component) return false;
  const r = a.range;
  if (r.versions) return r.versions.includes(version);
  const s = schemeOfPurl(purl);
  try {
    if (r.from !== undefined && s.compare(version, r.from) < 0) return false;
    if (r.before !== undefined && s.compare(version, r.before) >= 0) return false;
    if (r.through !== undefined && s.compare(version, r.through) > 0) return false;
  } catch {
    return false; // a version the ordering cannot read is not covered
  }
  return true;
}
