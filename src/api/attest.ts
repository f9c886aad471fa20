// Library entry points for component assessments: create, sign, verify, apply to a product.
import { FileAccess, LIMITS } from '../util/file-access.ts';

import { resolve } from 'node:path';
import { HttpAttestationStore } from '../attest/http-store.ts';
import { canonicalComponent, toStatement, validateAssessment, type Assessment, type Statement, PAYLOAD_TYPE } from '../attest/assessment.ts';
import { addSignature, loadPrivateKey, signEnvelope, type Envelope } from '../attest/dsse.ts';
import { checkPrivateKeyFile } from '../attest/keys.ts';
import { coverage, type Coverage } from '../attest/coverage.ts';
import { DirectoryStore, type AttestationStore } from '../attest/store.ts';
import { trustPolicy } from '../attest/trust.ts';
import { checkJsonDepth, checkUniqueKeys, parseEnvelope, statementOf } from '../attest/verify.ts';
import { loadManifest, type Manifest } from '../manifest/manifest.ts';
import { InputError } from '../util/errors.ts';
import { buildInventory } from './inventory.ts';
import { productRequest } from './request.ts';

export function createStatement(a: Assessment): Statement {
  // Written as a purl writes it (case, encoding, qualifier order): verification accepts only that form.
  if (typeof a?.component === 'string') { try { a = { ...a, component: canonicalComponent(a.component) }; } catch { /* the schema names the problem */ } }
  const errors = validateAssessment(a);
  if (errors.length) throw new InputError(`assessment is not valid: ${errors.join('; ')}`, 'assessment');
  return toStatement(a);
}

/**
 * Signs a statement, or co-signs an envelope. What is signed is first checked as a verifier will read it:
 * a key written twice (the file would say two things: a reader may take the first, the signed payload
 * keeps the last), and a statement or envelope payload that is not a valid assessment, are refused.
 */
export function signStatementFile(statementOrEnvelopeText: string, keyFile: string): Envelope {
  checkPrivateKeyFile(keyFile);
  const key = loadPrivateKey(FileAccess.within(keyFile).readTextSync(keyFile, LIMITS.small));
  const refuse = (e: unknown): never => { throw new InputError(`not signed: ${(e as Error).message}`, 'input'); };
  let doc: { payloadType?: unknown; _type?: unknown } | null;
  try {
    checkJsonDepth(statementOrEnvelopeText, 'the input');
    doc = JSON.parse(statementOrEnvelopeText);
    checkUniqueKeys(statementOrEnvelopeText, 'the input');
  } catch (e) { return refuse(e); }
  // An envelope gets one more signature (a co-signing assessor); a statement gets its first.
  if (doc && typeof doc.payloadType === 'string') {
    let env: Envelope;
    try { env = parseEnvelope(statementOrEnvelopeText); statementOf(env); } catch (e) { return refuse(e); }
    return addSignature(env, key);
  }
  if (!doc || doc._type === undefined) throw new InputError('neither an in-toto Statement nor a DSSE envelope', 'input');
  const env = signEnvelope(PAYLOAD_TYPE, Buffer.from(JSON.stringify(doc)), key);
  try { statementOf(env); } catch (e) { return refuse(e); }
  return env;
}

/** A folder, or a team server's registry when the store is a URL (--store, or assessments.store in marque.yaml). */
export function storeFor(m: Manifest | undefined, dir: string, flag?: string): AttestationStore {
  const where = flag ?? m?.assessments?.store;
  if (where && /^https?:\/\//.test(where)) return new HttpAttestationStore(where, process.env['MARQUE_TOKEN']);
  return new DirectoryStore(resolve(flag ?? (m?.assessments?.store ? resolve(m.dir, m.assessments.store) : resolve(dir, 'attestations'))));
}

export async function applyAssessments(dir: string, opts: { store?: string; now?: Date } = {}): Promise<Coverage & { use: string | null }> {
  const manifest = await loadManifest(dir);
  const { request } = await productRequest(dir, {});
  const inv = await buildInventory(request);
  const store = storeFor(manifest, dir, opts.store);
  const use = manifest?.assessments?.use;
  return { ...coverage(inv.components, await store.list(), trustPolicy(manifest), { now: opts.now, use }), use: use ?? null };
}
