// How a receiver verifies a delivery, as docs/server.md shows it: the HMAC of "t.body" under the
// secret, compared in constant time, and a timestamp no older than five minutes.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function verifySignature(secret: string, body: string, header: string, now = Date.now(), toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const t = Number(parts['t']);
  if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > toleranceSeconds || !parts['v1']) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(parts['v1'], 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
