// DSSE envelopes (secure-systems-lab/dsse, protocol v1) signed with Ed25519 through node:crypto.
// The signature covers PAE(payloadType, payload), so the type cannot be swapped under a signature.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export interface Envelope { payloadType: string; payload: string; signatures: { keyid: string; sig: string }[] }

/** Pre-Authentication Encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const t = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${t.length} `), t, Buffer.from(` ${payload.length} `), payload]);
}

/** Key id: SHA-256 of the public key's SubjectPublicKeyInfo (DER), hex. */
export function keyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex');
}

export function signEnvelope(payloadType: string, payload: Buffer, privateKey: KeyObject): Envelope {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('only Ed25519 keys sign Marque attestations');
  return { payloadType, payload: payload.toString('base64'), signatures: [{ keyid: keyId(privateKey), sig: sign(null, pae(payloadType, payload), privateKey).toString('base64') }] };
}

export function addSignature(env: Envelope, privateKey: KeyObject): Envelope {
  const payload = strictBase64(env.payload, 'payload');
  const id = keyId(privateKey);
  if (env.signatures.some((s) => s.keyid === id)) throw new Error('this key has already signed the envelope');
  return { ...env, signatures: [...env.signatures, { keyid: id, sig: sign(null, pae(env.payloadType, payload), privateKey).toString('base64') }] };
}

const isB64 = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;

/**
 * Base64 that decodes to exactly what it says; Node's decoder would silently skip bad characters.
 * Checked by one scan and a round trip, not a regular expression: a pattern with a repeated group
 * overflows V8's regexp stack on payloads of a few megabytes.
 */
export function strictBase64(text: string, what: string): Buffer {
  if (typeof text !== 'string' || text.length % 4 !== 0) throw new Error(`${what} is not valid base64`);
  let end = text.length;
  while (end > 0 && end > text.length - 2 && text.charCodeAt(end - 1) === 61) end--; // at most two "=" of padding
  for (let i = 0; i < end; i++) if (!isB64(text.charCodeAt(i))) throw new Error(`${what} is not valid base64`);
  const bytes = Buffer.from(text, 'base64');
  // Canonical form only: the unused bits of the last character must be zero.
  if (bytes.toString('base64') !== text) throw new Error(`${what} is not valid base64`);
  return bytes;
}

/** Which of the given public keys signed this envelope (each key counted once). */
export function verifiedKeyIds(env: Envelope, keys: ReadonlyMap<string, KeyObject>): string[] {
  const payload = strictBase64(env.payload, 'payload');
  const message = pae(env.payloadType, payload);
  const seen = new Set<string>();
  const ok: string[] = [];
  for (const s of env.signatures) {
    if (seen.has(s.keyid)) throw new Error(`duplicate signature for key ${s.keyid}`);
    seen.add(s.keyid);
    const key = keys.get(s.keyid);
    if (!key) continue;
    if (verify(null, message, key, strictBase64(s.sig, 'signature'))) ok.push(s.keyid);
  }
  return ok;
}

export function loadPrivateKey(text: string): KeyObject {
  return text.trim().startsWith('{') ? createPrivateKey({ key: JSON.parse(text), format: 'jwk' }) : createPrivateKey(text);
}

export function loadPublicKey(text: string): KeyObject {
  return text.trim().startsWith('{') ? createPublicKey({ key: JSON.parse(text), format: 'jwk' }) : createPublicKey(text);
}
