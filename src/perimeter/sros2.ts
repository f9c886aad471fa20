// SROS2 access-control policies (policy format 0.2.0, with XInclude): which enclave may publish or
// subscribe each topic, serve or call each service, execute or call each action — ALLOW and DENY.
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { FileAccess, LIMITS } from '../util/file-access.ts';
import { asArray, attrOf, parseXml, textOf, type XmlNode } from '../util/xml.ts';
import { InputError } from '../util/errors.ts';
import { compileGlob } from '../util/glob.ts';

export type Sros2Kind = 'topic' | 'service' | 'action';
/** publish/subscribe for topics; reply (server) / request (client) for services; execute (server) / call (client) for actions. */
export type Sros2Verb = 'publish' | 'subscribe' | 'reply' | 'request' | 'execute' | 'call';
export interface Sros2Grant { kind: Sros2Kind; verb: Sros2Verb; name: string; allow: boolean }
export interface Sros2Enclave { path: string; profiles: { ns: string; node: string }[]; grants: Sros2Grant[] }

const VERBS: Record<Sros2Kind, [Sros2Verb, Sros2Verb]> = { topic: ['publish', 'subscribe'], service: ['reply', 'request'], action: ['execute', 'call'] };

/** `files`: where the policy may be (the product folder); its XIncludes stay in the policy's own folder. */
export function readSros2Policy(path: string, files: FileAccess = FileAccess.within(path)): Sros2Enclave[] {
  const text = files.readTextSync(path, LIMITS.policy);
  const doc = parseXml(resolveXInclude(text, path, 0, FileAccess.within(dirname(files.resolve(path)))), path, { arrays: new Set(['enclave', 'profile', 'topics', 'topic', 'services', 'service', 'actions', 'action', 'profiles']) });
  const policy = doc['policy'] as XmlNode | undefined;
  if (!policy) throw new InputError('not an SROS2 policy (no <policy>)', path, 1);
  const enclaves = asArray((policy['enclaves'] as XmlNode | undefined)?.['enclave']);
  return enclaves.map((e) => {
    const out: Sros2Enclave = { path: attrOf(e, 'path') ?? '', profiles: [], grants: [] };
    for (const ps of asArray((e as XmlNode)['profiles'])) {
      for (const p of asArray((ps as XmlNode)['profile'])) {
        const ns = attrOf(p, 'ns') ?? '/';
        const node = attrOf(p, 'node') ?? '';
        out.profiles.push({ ns, node });
        // Names: "/abs", "~private" (the node's own), or relative to the namespace (sros2 permissions.xsl).
        const expand = (n: string) => (n.startsWith('/') ? n : n.startsWith('~') ? `${ns.replace(/\/$/, '')}/${node}${n.slice(1).replace(/^(?!\/)/, '/')}`.replace(/\/+$/, '') : `${ns.replace(/\/$/, '')}/${n}`);
        for (const kind of ['topic', 'service', 'action'] as const) {
          for (const group of asArray((p as XmlNode)[`${kind}s`])) {
            const names = asArray((group as XmlNode)[kind]).map((x) => expand(textOf(x).trim())).filter((n) => n !== '');
            for (const verb of VERBS[kind]) {
              const v = attrOf(group, verb);
              if (v !== 'ALLOW' && v !== 'DENY') continue;
              for (const name of names) out.grants.push({ kind, verb, name, allow: v === 'ALLOW' });
            }
          }
        }
      }
    }
    return out;
  });
}

/** Whether an SROS2 name is a pattern (fnmatch wildcards), and whether a pattern covers a name. */
export const isPattern = (t: string) => /[*?[]/.test(t);
export const globMatch = (pattern: string, name: string) => compileGlob(pattern, true).test(name);
const matches = (pattern: string, name: string) => (isPattern(pattern) ? globMatch(pattern, name) : pattern === name);

/**
 * Whether an enclave may do `verb` on `name`: some ALLOW grant matches and no DENY grant does.
 * DENY wins over ALLOW, as sros2 writes deny rules before allow rules and DDS-Security applies the first rule that matches.
 */
export function permitted(e: Sros2Enclave, kind: Sros2Kind, verb: Sros2Verb, name: string): boolean {
  let allowed = false;
  for (const g of e.grants) {
    if (g.kind !== kind || g.verb !== verb || !matches(g.name, name)) continue;
    if (!g.allow) return false;
    allowed = true;
  }
  return allowed;
}

/** XInclude as sros2 uses it: href relative to the including file, xpointer(/profile/*) or (/policy/enclaves/*). */
function resolveXInclude(text: string, file: string, depth: number, folder: FileAccess, base = dirname(file)): string {
  if (depth > 8) throw new InputError('XInclude nested too deeply', file);
  return text.replace(/<xi:include\s+([^>]*?)\/>/g, (_m, attrs: string) => {
    const href = /href="([^"]+)"/.exec(attrs)?.[1];
    const pointer = /xpointer="xpointer\(([^)]+)\)"/.exec(attrs)?.[1];
    if (!href) throw new InputError('xi:include without href', file);
    const target = resolve(dirname(file), href);
    // Policies include their own profiles: a path out of the policy's folder (/etc/passwd, ../..) is refused, not read.
    const rel = relative(base, target);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new InputError(`xi:include "${href}" leads out of the policy's folder ${base}; not read`, file);
    const included = resolveXInclude(folder.readTextSync(target, LIMITS.policy), target, depth + 1, folder, base).replace(/<\?xml[^>]*\?>/, '');
    if (!pointer) return included;
    const root = pointer.split('/').filter(Boolean)[0]!.replace('*', '');
    const inner = new RegExp(`<${root}[^>]*>([\\s\\S]*)</${root}>`).exec(included)?.[1];
    if (inner === undefined) throw new InputError(`xpointer ${pointer} selects nothing in ${href}`, file);
    return pointer.endsWith('/enclaves/*') ? (/<enclaves[^>]*>([\s\S]*)<\/enclaves>/.exec(inner)?.[1] ?? '') : inner;
  });
}

