// Strict verification of an assessment attestation: envelope, payload type, signature by a trusted
// and unrevoked key valid for the component and use, statement and predicate types, schema,
// expiry, subject, and that the covered range includes the version in use.
import type { KeyObject } from 'node:crypto';
import { PAYLOAD_TYPE, PREDICATE_TYPE, STATEMENT_TYPE, canonicalComponent, coverageGap, subjectDigest, validateAssessment, type Statement } from './assessment.ts';
import { strictBase64, verifiedKeyIds, type Envelope } from './dsse.ts';
import { compileGlob, type Glob } from '../util/glob.ts';

export interface TrustedKey { keyid: string; name: string; key: KeyObject; components: string[]; uses?: string[]; until?: string }
export interface TrustPolicy { keys: TrustedKey[]; revoked: string[] }

export interface Verified { statement: Statement; signers: { keyid: string; name: string }[] }

export class VerificationError extends Error {}

/** Glob over purls: "*" matches any run of characters. */
export function purlPattern(pattern: string): Glob {
  return compileGlob(pattern);
}

/** How deep an envelope or statement may nest: theirs is 5 levels; far deeper JSON overflows the stack where it is written out again. */
export const MAX_JSON_DEPTH = 32;

/** Refuses JSON nested deeper than MAX_JSON_DEPTH, by one scan of the text before it is parsed. */
export function checkJsonDepth(text: string, what: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: the next character is escaped
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) { if (++depth > MAX_JSON_DEPTH) throw new VerificationError(`${what} is nested deeper than ${MAX_JSON_DEPTH} levels`); }
    else if (c === 93 || c === 125) depth--;
  }
}

/**
 * Refuses an object with a key written twice, in JSON that JSON.parse accepted. JSON.parse keeps the
 * last; another verifier (or a person reading the signed payload) may take the first, so what is
 * signed would not say one thing (RFC 8259 §4: names "SHOULD be unique"). Keys are compared as
 * decoded ("a" and "\u0061" are one).
 */
export function checkUniqueKeys(text: string, what: string): void {
  // One frame per open object or array: the keys seen (objects only), and whether a key comes next.
  const frames: { keys: Set<string> | undefined; key: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const start = i;
      let escaped = false;
      for (i++; text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) { escaped = true; i++; }
      const top = frames[frames.length - 1];
      if (top?.keys && top.key) {
        const key = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
        if (top.keys.has(key)) throw new VerificationError(`${what} names "${key.length > 40 ? `${key.slice(0, 39)}…` : key}" twice in one object`);
        top.keys.add(key);
        top.key = false;
      }
    } else if (c === 123) frames.push({ keys: new Set(), key: true });
    else if (c === 91) frames.push({ keys: undefined, key: false });
    else if (c === 125 || c === 93) frames.pop();
    else if (c === 44) { const top = frames[frames.length - 1]; if (top?.keys) top.key = true; }
  }
}

export function parseEnvelope(text: string): Envelope {
  let e: unknown;
  checkJsonDepth(text, 'the envelope');
  try { e = JSON.parse(text); } catch (x) { throw new VerificationError(`not JSON: ${(x as Error).message}`); }
  checkUniqueKeys(text, 'the envelope');
  const env = e as Envelope;
  if (!env || typeof env.payloadType !== 'string' || typeof env.payload !== 'string' || !Array.isArray(env.signatures) || !env.signatures.length
    || env.signatures.some((s) => !s || typeof s.keyid !== 'string' || typeof s.sig !== 'string')) {
    throw new VerificationError('not a DSSE envelope (payloadType, payload, signatures[{keyid, sig}])');
  }
  // Only what DSSE defines is kept: nothing unsigned rides along into a store, a registry or a bundle.
  return { payloadType: env.payloadType, payload: env.payload, signatures: env.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })) };
}

/**
 * The assessment an envelope carries, checked for everything that needs no key: payload type,
 * base64, statement and predicate types, the assessment schema, the subject. Signatures and trust
 * are each reader's policy (verifyAttestation).
 */
export function statementOf(env: Envelope): Statement {
  if (env.payloadType !== PAYLOAD_TYPE) throw new VerificationError(`payload type "${env.payloadType}" is not ${PAYLOAD_TYPE}`);
  for (const s of env.signatures) { try { strictBase64(s.sig, 'signature'); } catch (x) { throw new VerificationError((x as Error).message); } }
  let statement: Statement;
  let text: string;
  // Strict UTF-8: bytes that are not UTF-8 would be read here as U+FFFD and refused by a stricter reader, so the signed bytes would not say one thing.
  try { text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(strictBase64(env.payload, 'payload')); } catch (x) { throw new VerificationError(`payload: ${(x as Error).message}`); }
  checkJsonDepth(text, 'the payload');
  try { statement = JSON.parse(text); } catch (x) { throw new VerificationError(`payload: ${(x as Error).message}`); }
  checkUniqueKeys(text, 'the payload');
  if (statement?._type !== STATEMENT_TYPE) throw new VerificationError(`statement type "${statement?._type}" is not ${STATEMENT_TYPE}`);
  if (statement.predicateType !== PREDICATE_TYPE) throw new VerificationError(`predicate type "${statement.predicateType}" is not ${PREDICATE_TYPE}`);
  const errors = validateAssessment(statement.predicate);
  if (errors.length) throw new VerificationError(`assessment does not follow its schema: ${errors.join('; ')}`);
  const a = statement.predicate;
  let canonical: string;
  try { canonical = canonicalComponent(a.component); } catch (x) { throw new VerificationError(`the assessed component is not a purl: ${(x as Error).message}`); }
  if (canonical !== a.component) throw new VerificationError(`the assessed component "${a.component}" is not written as a purl writes it ("${canonical}")`);
  // One statement, one component: a subject list naming others does not extend the assessment to them.
  if (!Array.isArray(statement.subject) || statement.subject.length !== 1) {
    throw new VerificationError(`the statement has ${Array.isArray(statement.subject) ? statement.subject.length : 'no'} subjects; a Marque assessment has exactly one, the assessed component (${a.component}): each component needs its own statement`);
  }
  const subject = statement.subject[0]!;
  if (subject?.name !== a.component) throw new VerificationError(`the statement's subject "${subject?.name}" is not the assessed component ${a.component}`);
  const expected = subjectDigest(a);
  const given = subject.digest && typeof subject.digest === 'object' ? subject.digest : {};
  const same = Object.keys(given).length === Object.keys(expected).length && Object.entries(expected).every(([alg, v]) => given[alg] === v);
  if (!same) throw new VerificationError(`the subject's digest ${JSON.stringify(given)} is not that of the assessment (${JSON.stringify(expected)}: ${a.sourceDigest ? 'its sourceDigest' : 'sha256 of its component and range'})`);
  return statement;
}

export function verifyAttestation(env: Envelope, policy: TrustPolicy, opts: { now?: Date; component?: string; version?: string; use?: string; known?: { alg: string; value: string }[] } = {}): Verified {
  const now = opts.now ?? new Date();
  if (env.payloadType !== PAYLOAD_TYPE) throw new VerificationError(`payload type "${env.payloadType}" is not ${PAYLOAD_TYPE}`);
  const usable = new Map(policy.keys.filter((k) => !policy.revoked.includes(k.keyid)).map((k) => [k.keyid, k.key]));
  let signed: string[];
  try { signed = verifiedKeyIds(env, usable); } catch (x) { throw new VerificationError((x as Error).message); }
  // A signature by a trusted key that does not verify means the envelope was altered or names a co-signer
  // who did not sign these bytes: refused, as the team server refuses it, even when another signature verifies.
  const broken = env.signatures.filter((s) => usable.has(s.keyid) && !signed.includes(s.keyid));
  if (broken.length && signed.length) throw new VerificationError(`the signature by ${broken.map((s) => policy.keys.find((k) => k.keyid === s.keyid)!.name).join(', ')} does not verify: the envelope was altered or signed over other content`);
  if (env.signatures.some((s) => policy.revoked.includes(s.keyid)) && !signed.length) throw new VerificationError('signed only by a revoked key');
  if (!signed.length) throw new VerificationError('no valid signature by a trusted key');
  const statement = statementOf(env);
  const a = statement.predicate;
  if (strictTime(a.expires, 'expires') <= now) throw new VerificationError(`assessment expired on ${a.expires}`);
  if (strictTime(a.date, 'date') > now) throw new VerificationError(`assessment is dated in the future (${a.date})`);
  if (opts.use && !(a.uses ?? []).includes(opts.use)) throw new VerificationError(`made for ${a.uses?.join(', ') || a.context}, not for ${opts.use}`);
  // A signer counts only within what the policy trusts it for.
  const signers = policy.keys.filter((k) => signed.includes(k.keyid)).filter((k) =>
    (!k.until || untilHolds(k.until, now))
    && k.components.some((p) => purlPattern(p).test(a.component))
    // With the product's use known, the key must be trusted for that use, not only for another use the assessment also names.
    && (!k.uses?.length || (opts.use ? k.uses.includes(opts.use) : (a.uses ?? []).some((u) => k.uses!.includes(u)))));
  // A key listed twice in the policy is still one signer.
  const distinct = signers.filter((k, i) => signers.findIndex((x) => x.keyid === k.keyid) === i);
  if (!distinct.length) throw new VerificationError(`no signer is trusted for ${a.component}${opts.use ? ` in use ${opts.use}` : a.uses?.length ? ` in use ${a.uses.join(', ')}` : ''} at this date`);
  if (opts.component) {
    const gap = coverageGap(a, opts.component, opts.version, opts.known);
    if (gap) throw new VerificationError(gap);
  }
  return { statement, signers: distinct.map((k) => ({ keyid: k.keyid, name: k.name })) };
}

/**
 * An RFC 3339 time as a Date. A leap second (":60", which the schema's date-time format allows and
 * JavaScript cannot parse) is the instant after the second before it; anything unparsable rejects
 * the assessment, so that no comparison with NaN can quietly pass.
 */
export function strictTime(text: string, field: string): Date {
  const leap = /^(.*T\d{2}:\d{2}):60(\.\d+)?(.*)$/.exec(text);
  const d = leap ? new Date(new Date(`${leap[1]}:59${leap[3]}`).getTime() + 1000) : new Date(text);
  if (Number.isNaN(d.getTime())) throw new VerificationError(`"${field}" is not a time Marque can read: ${text}`);
  return d;
}

/** A trust policy's "until": an unreadable date trusts nothing. */
function untilHolds(until: string, now: Date): boolean {
  try { return strictTime(until, 'until') > now; } catch { return false; }
}
