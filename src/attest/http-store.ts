// The team server's assessment registry as an AttestationStore: "attest apply --store URL" and
// "diff" read it as they read a folder. HTTPS (plain HTTP only on loopback); token in $MARQUE_TOKEN.
import { checkUrl } from '../advisories/download.ts';
import { parseEnvelope } from './verify.ts';
import type { Envelope } from './dsse.ts';
import type { AttestationStore, StoredAttestation } from './store.ts';

export class HttpAttestationStore implements AttestationStore {
  private readonly base: string;
  private readonly token: string;
  private readonly fetchImpl: typeof fetch;

  constructor(url: string, token: string | undefined, fetchImpl: typeof fetch = fetch) {
    if (!token) throw new Error('set MARQUE_TOKEN to a token of the server to use its assessment registry');
    this.base = checkUrl(url).href.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
    this.token = token;
    this.fetchImpl = fetchImpl;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await this.fetchImpl(`${this.base}/api/v1${path}`, {
      method, redirect: 'error', body: body === undefined ? undefined : JSON.stringify(body),
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as unknown;
  }

  async list(): Promise<StoredAttestation[]> {
    const rows = await this.call('GET', '/assessments') as { digest: string; envelope: unknown }[];
    // What the server sends is read like a file: a malformed entry is one named rejection, not a crash.
    return rows.map((r) => {
      try {
        return { digest: r.digest, envelope: parseEnvelope(JSON.stringify(r.envelope)), file: `${this.base}#${r.digest}` };
      } catch (e) {
        return { digest: r.digest, envelope: { payloadType: '', payload: '', signatures: [] }, file: `${this.base}#${r.digest}`, unreadable: (e as Error).message };
      }
    });
  }

  async put(envelope: Envelope): Promise<string> {
    return ((await this.call('POST', '/assessments', envelope)) as { digest: string }).digest;
  }
}
