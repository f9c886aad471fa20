// Package URLs of a ROS extraction (its packages, the Debian packages of released ones and of rosdep
// keys), written directly when every part is made of the characters packageurl-js writes as they are;
// anything else goes through the library, whose checks cost more than the rest of making a component.
import { makePurl, type PurlParts } from '../../model/purl.ts';

/** Names kept as they are, per type: a ROS package's name (REP 144), a Debian package's (lower case, no "_"). */
const NAME: Readonly<Record<string, RegExp>> = { ros: /^[a-z0-9][a-z0-9_.-]*$/, deb: /^[a-z0-9][a-z0-9.-]*$/ };
const PLAIN = /^[a-z0-9][a-z0-9.-]*$/;
/** No "+", "~", ":" or "_": each is encoded, or normalised, by some type. */
const VERSION = /^[0-9A-Za-z][0-9A-Za-z.-]*$/;
const KEY = /^[a-z]+$/;

export function rosPurl(p: PurlParts): string {
  const name = NAME[p.type];
  const q = p.qualifiers;
  const keys = q ? Object.keys(q) : [];
  const key = keys[0];
  if (!name || !name.test(p.name) || (p.namespace !== undefined && !PLAIN.test(p.namespace)) || (p.version && !VERSION.test(p.version)) || keys.length > 1 || (key !== undefined && (!KEY.test(key) || !PLAIN.test(q![key]!)))) return makePurl(p);
  return `pkg:${p.type}/${p.namespace === undefined ? '' : `${p.namespace}/`}${p.name}${p.version ? `@${p.version}` : ''}${key === undefined ? '' : `?${key}=${q![key]}`}`;
}
