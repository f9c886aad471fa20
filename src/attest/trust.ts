// The trust policy of marque.yaml, with its public keys loaded.
import { LIMITS } from '../util/file-access.ts';
import { resolve } from 'node:path';
import type { Manifest } from '../manifest/manifest.ts';
import { InputError } from '../util/errors.ts';
import { keyId, loadPublicKey } from './dsse.ts';
import type { TrustPolicy } from './verify.ts';

export function trustPolicy(m: Pick<Manifest, 'trust' | 'dir' | 'file' | 'files'> | undefined): TrustPolicy {
  const keys = (m?.trust?.keys ?? []).map((k) => {
    const text = k.publicKey.includes('BEGIN') || k.publicKey.trim().startsWith('{') ? k.publicKey : (() => {
      const path = resolve(m!.dir, k.publicKey);
      if (!m!.files.exists(path)) throw new InputError(`trust.keys "${k.name}": no public key at ${k.publicKey}`, m!.file);
      return m!.files.readTextSync(path, LIMITS.small);
    })();
    let key;
    try { key = loadPublicKey(text); } catch (e) { throw new InputError(`trust.keys "${k.name}": not a public key (${(e as Error).message})`, m!.file); }
    return { keyid: keyId(key), name: k.name, key, components: k.components, uses: k.uses, until: k.until };
  });
  return { keys, revoked: m?.trust?.revoked ?? [] };
}
