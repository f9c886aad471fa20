// The team server's assessment registry as an AttestationStore: "attest apply --store URL" and
// "diff" read it as they read a folder. HTTPS (plain HTTP only on loopback); token in $MARQUE_TOKEN.
// The server is not trusted for anything a signature does not prove: the digest a report cites is
// computed here from the envelope, not taken from the server, and its answer is read within a limit.
import { checkUrl } from '../advisories/download.ts';
import { parseEnvelope } from './verify.ts';
import type { Envelope } from './dsse.ts';
import { ENVELOPE_LIMIT, envelopeDigest, type AttestationStore, type StoredAttestation } from './store.ts';

/** The registry's whole answer is at most this large (a signed assessment is a few KB; one entry at most ENVELOPE_LIMIT). */
export const REGISTRY_LIMIT = 256 * 1024 * 1024;

/** The body of a response as text, refused past `limit` bytes (declared or received), without holding more than that. */
async function boundedText(res: Response, limit: number, what: string): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (declared > limit) { await res.body?.cancel(); throw new Error(`${what}: the server announces ${declared} bytes, over the ${limit}-byte limit; not read`); }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let seen = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += value.byteLength;
    if (seen > limit) { await reader.cancel(); throw new Error(`${what}: the server sent more than the ${limit}-byte limit; not read`); }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class HttpAttestationStore implements AttestationStore {
  private readonly base: string;
  private readonly token: string;
  private readonly fetchImpl: typeof fetch;
  private readonly limit: number;

  constructor(url: string, token: string | undefined, fetchImpl: typeof fetch = fetch, limit = REGISTRY_LIMIT) {
    if (!token) throw new Error('set MARQUE_TOKEN to a token of the server to use its assessment registry');
    this.base = checkUrl(url).href.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
    this.token = token;
    this.fetchImpl = fetchImpl;
    this.limit = limit;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await this.fetchImpl(`${this.base}/api/v1${path}`, {
      method, redirect: 'error', body: body === undefined ? undefined : JSON.stringify(body),
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    });
    const text = await boundedText(res, this.limit, `${method} ${path}`);
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}: ${text.slice(0, 300)}`);
    try { return JSON.parse(text) as unknown; } catch (e) { throw new Error(`${method} ${path}: the server's answer is not JSON (${(e as Error).message})`); }
  }

  async list(): Promise<StoredAttestation[]> {
    const rows = await this.call('GET', '/assessments');
    if (!Array.isArray(rows)) throw new Error('GET /assessments: the server\'s answer is not a list of assessments');
    // What the server sends is read like a file: a malformed entry is one named rejection, not a crash.
    // Each entry is named by its position and by the digest computed here, never by a name the server chose.
    return rows.map((r: unknown, i) => {
      const label = `${this.base}#${i + 1}`;
      try {
        const text = JSON.stringify((r as { envelope?: unknown } | null)?.envelope) ?? '';
        if (Buffer.byteLength(text) > ENVELOPE_LIMIT) throw new Error(`the envelope is larger than ${ENVELOPE_LIMIT} bytes; not read`);
        const envelope = parseEnvelope(text);
        const digest = envelopeDigest(envelope);
        return { digest, envelope, file: `${this.base}#${digest}` };
      } catch (e) {
        return { digest: label, envelope: { payloadType: '', payload: '', signatures: [] }, file: label, unreadable: (e as Error).message };
      }
    });
  }

  async put(envelope: Envelope): Promise<string> {
    await this.call('POST', '/assessments', envelope);
    return envelopeDigest(envelope);
  }
}
