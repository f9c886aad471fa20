// Where the server may send an HTTP request on a user's behalf (a webhook): public addresses only,
// unless the operator names an internal host (--webhook-allow-host). The address is checked at
// connect time, on what DNS answered then, so a name that resolves to a public address when the
// webhook is registered and to 127.0.0.1 when an event is sent (DNS rebinding) is still refused.
// Every spelling of an address (127.1, 0x7f.0.0.1, 2130706433, [::ffff:127.0.0.1]) is normalised
// first by the WHATWG URL parser, then classified by ipaddr.js: only its "unicast" range is public.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Hosts (names or addresses, as written in the URL) the operator allows even though they are not public. */
export type AllowedHosts = ReadonlySet<string>;

export class DestinationRefused extends Error {}

/** A host as written, compared: without IPv6 brackets, in lower case, without the root's trailing dot ("localhost." is localhost). */
const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '').toLowerCase();

/** IPv6's global unicast space (RFC 4291 §2.4): anything else (IPv4-compatible ::7f00:1, reserved ::/8 …) is not a public destination. */
const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

/** Whether an IP address is on the public internet: not loopback, private, link-local, unspecified, multicast, reserved, or an IPv4 one of those mapped or embedded into IPv6. */
export function isPublicAddress(address: string): boolean {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try { ip = ipaddr.parse(bare(address)); } catch { return false; }
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  if (ip.kind() === 'ipv6' && !(ip as ipaddr.IPv6).match(GLOBAL_UNICAST as [ipaddr.IPv6, number])) return false;
  return ip.range() === 'unicast';
}

/**
 * A webhook URL the server accepts: HTTPS to a public host, or HTTP(S) to a host the operator
 * allowed; never with credentials in it (they would be stored and shown). Names are resolved only
 * when a request is sent (see `post`); an address written in the URL is judged here already.
 */
export function checkDestination(raw: string, allowed: AllowedHosts): URL {
  let u: URL;
  try { u = new URL(raw); } catch { throw new DestinationRefused(`not a URL: ${raw.slice(0, 200)}`); }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new DestinationRefused(`refusing ${u.protocol}// URLs: webhooks are sent over HTTPS`);
  if (u.username || u.password) throw new DestinationRefused('a webhook URL may not carry credentials (user:password@): they would be stored; the signature (X-Marque-Signature) authenticates each delivery');
  const host = bare(u.hostname);
  if (allowed.has(host)) return u;
  if (u.protocol !== 'https:') throw new DestinationRefused(`refusing http:// for ${u.host}: events are sent over HTTPS (plain HTTP only to a host the server allows with --webhook-allow-host)`);
  if (ipaddr.isValid(host) && !isPublicAddress(host)) throw new DestinationRefused(`refusing ${u.host}: not a public address (the server sends events only to public hosts, unless started with --webhook-allow-host ${host})`);
  if (host === 'localhost' || host.endsWith('.localhost')) throw new DestinationRefused(`refusing ${u.host}: a loopback name (allow it with --webhook-allow-host ${host})`);
  return u;
}

/** A DNS lookup that hands the connection only public addresses (all of them for an allowed host). */
function guardedLookup(allowedHost: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 4);
      const usable = allowedHost ? addresses : addresses.filter((a) => isPublicAddress(a.address));
      if (!usable.length) return callback(new DestinationRefused(`${hostname} resolves to no public address`), '', 4);
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}

export interface PostResult { status: number }

/**
 * POSTs a body to a checked destination: no redirects followed (a 3xx is an answer, not a hop),
 * a time limit for the whole exchange, the answer's body discarded.
 */
export function post(u: URL, body: string, headers: Record<string, string>, allowed: AllowedHosts, timeoutMs: number): Promise<PostResult> {
  const host = bare(u.hostname);
  const allowedHost = allowed.has(host);
  // An address in the URL is never looked up: check it here (checkDestination did at registration,
  // but the operator's allow list may have changed since).
  if (ipaddr.isValid(host) && !allowedHost && !isPublicAddress(host)) return Promise.reject(new DestinationRefused(`${u.host} is not a public address`));
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(u, {
      method: 'POST', lookup: guardedLookup(allowedHost), agent: false, timeout: timeoutMs,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error('timed out')), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
