// Where attestations live. One interface, so that the team server's registry can be another adapter
// beside this folder-backed one; bundles move sets of attestations between them.
import { FileAccess, LIMITS } from '../util/file-access.ts';
import { createHash } from 'node:crypto';
import { mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/fs.ts';
import { checkJsonDepth, parseEnvelope, VerificationError } from './verify.ts';
import type { Envelope } from './dsse.ts';

/** An envelope file is at most this large (16 MiB: a signed assessment is a few KB; multi-MB ones verify). */
export const ENVELOPE_LIMIT = LIMITS.policy;

/** An entry of a store; `unreadable` says why a file could not be read as an envelope (it is then rejected, named). */
export interface StoredAttestation { digest: string; envelope: Envelope; file?: string; unreadable?: string }

export interface AttestationStore {
  list(): Promise<StoredAttestation[]>;
  /** Stores an envelope; returns its digest. Storing the same envelope twice is harmless. */
  put(envelope: Envelope): Promise<string>;
}

/** sha256 of the envelope's canonical JSON: what a product report cites as "which attestation". */
export function envelopeDigest(env: Envelope): string {
  const canonical = JSON.stringify({ payloadType: env.payloadType, payload: env.payload, signatures: [...env.signatures].sort((a, b) => (a.keyid < b.keyid ? -1 : 1)) });
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

export class DirectoryStore implements AttestationStore {
  readonly dir: string;
  constructor(dir: string) { this.dir = dir; }
  async list(): Promise<StoredAttestation[]> {
    if (!existsSync(this.dir)) return [];
    // One bad file is one rejected entry, named by its file: the rest of the store still counts.
    // The store's folder is the root: an envelope linked from outside it, or a FIFO, is a rejected entry.
    const files = FileAccess.within(this.dir);
    return files.list(this.dir).map((e) => e.name).filter((f) => f.endsWith('.dsse.json')).sort().map((f) => {
      const file = join(this.dir, f);
      try {
        const envelope = parseEnvelope(files.readTextSync(file, ENVELOPE_LIMIT));
        return { digest: envelopeDigest(envelope), envelope, file };
      } catch (e) {
        return { digest: f, envelope: { payloadType: '', payload: '', signatures: [] }, file, unreadable: (e as Error).message };
      }
    });
  }
  async put(envelope: Envelope): Promise<string> {
    mkdirSync(this.dir, { recursive: true });
    const digest = envelopeDigest(envelope);
    writeFileAtomic(join(this.dir, `${digest.slice(7, 23)}.dsse.json`), JSON.stringify(envelope, null, 2) + '\n');
    return digest;
  }
}

export const BUNDLE_MEDIA_TYPE = 'application/vnd.marque.attestation-bundle+json';

export function toBundle(items: StoredAttestation[]): Record<string, unknown> {
  return { mediaType: BUNDLE_MEDIA_TYPE, version: 1, attestations: items.map((i) => i.envelope) };
}

export function fromBundle(text: string): Envelope[] {
  // Its depth is checked before it is parsed: each envelope is written out again to be read, and JSON far deeper than a bundle needs overflows the stack there.
  checkJsonDepth(text, 'the bundle');
  let b: { mediaType?: string; attestations?: unknown[] };
  try { b = JSON.parse(text) as typeof b; } catch (e) { throw new VerificationError(`the bundle is not JSON: ${(e as Error).message}`); }
  if (b?.mediaType !== BUNDLE_MEDIA_TYPE || !Array.isArray(b.attestations)) throw new Error(`not a Marque attestation bundle (${BUNDLE_MEDIA_TYPE})`);
  return b.attestations.map((e) => parseEnvelope(JSON.stringify(e)));
}
