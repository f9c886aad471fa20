// Ed25519 signing keys. Private keys are written readable by their owner only (mode 0600).
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/fs.ts';
import { FileAccess } from '../util/file-access.ts';
import { keyId } from './dsse.ts';

export function generateKeys(dir: string, name: string, force = false): { privateKey: string; publicKey: string; keyid: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const privateKey = join(dir, `${name}.key.pem`);
  const publicKey = join(dir, `${name}.pub.pem`);
  if (!force && (existsSync(privateKey) || existsSync(publicKey))) throw new Error(`${privateKey} or ${publicKey} exists; not overwriting`);
  const pair = generateKeyPairSync('ed25519');
  writeFileAtomic(privateKey, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
  chmodSync(privateKey, 0o600);
  writeFileAtomic(publicKey, pair.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  return { privateKey, publicKey, keyid: keyId(pair.publicKey) };
}

/** Refuse to sign with a private key others can read. */
export function checkPrivateKeyFile(path: string): void {
  FileAccess.within(path).regularFile(path); // a FIFO or a device is no key file
  const mode = statSync(path).mode & 0o077;
  if (mode) throw new Error(`${path} is readable by others (mode ${(statSync(path).mode & 0o777).toString(8)}); run chmod 600 ${path}`);
}
