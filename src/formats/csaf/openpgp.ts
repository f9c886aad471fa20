// OpenPGP for the CSAF provider (CSAF 2.0 §7.1.19 signatures, §7.1.20 public key) through
// OpenPGP.js (the maintained implementation of RFC 9580/4880 used by Proton): an Ed25519 key per
// publisher and detached, armored signatures of the exact bytes served.
import * as openpgp from 'openpgp';

export interface CsafKey { privateKey: string; publicKey: string; fingerprint: string }

export async function generateCsafKey(name: string, email?: string): Promise<CsafKey> {
  const { privateKey, publicKey } = await openpgp.generateKey({ type: 'curve25519', userIDs: [{ name, ...(email ? { email } : {}) }], format: 'armored' });
  const key = await openpgp.readKey({ armoredKey: publicKey });
  return { privateKey, publicKey, fingerprint: key.getFingerprint().toUpperCase() };
}

/** A detached signature of the text, armored (the .asc file). */
export async function signDetached(text: string, armoredPrivateKey: string): Promise<string> {
  const signingKeys = await openpgp.readPrivateKey({ armoredKey: armoredPrivateKey });
  const message = await openpgp.createMessage({ binary: new TextEncoder().encode(text) });
  return (await openpgp.sign({ message, signingKeys, detached: true, format: 'armored' })) as string;
}

/** Whether a detached signature of these bytes verifies with the public key. */
export async function verifyDetached(text: string, armoredSignature: string, armoredPublicKey: string): Promise<boolean> {
  const verificationKeys = await openpgp.readKey({ armoredKey: armoredPublicKey });
  const signature = await openpgp.readSignature({ armoredSignature });
  const message = await openpgp.createMessage({ binary: new TextEncoder().encode(text) });
  const { signatures } = await openpgp.verify({ message, signature, verificationKeys });
  try { await signatures[0]!.verified; return true; } catch { return false; }
}
