// One pom.xml as written, nothing inherited: coordinates, properties, dependencies and their
// management, modules, and what the build's plugins and profiles say about deploying it.
import { asArray, parseXml, textOf, type XmlNode } from '../../util/xml.ts';
import { InputError } from '../../util/errors.ts';

export interface Coordinates { groupId: string; artifactId: string; version?: string }

export interface PluginExecution { id: string; phase?: string; goals: string[]; config: Map<string, string>; inherited: boolean }

/** A <plugin> of <build><plugins> or <pluginManagement>: only its simple configuration values are kept. */
export interface Plugin { key: string; inherited: boolean; extensions?: string; config: Map<string, string>; executions: PluginExecution[] }

/** A <profile>: 'none' is active only when asked for (-P id); 'conditional' may be active without asking (activeByDefault, a JDK, an OS, a property, a file). */
export interface Profile {
  id: string; activation: 'none' | 'conditional'; modules: string[]; properties: Map<string, string>; plugins: Plugin[];
  /** Whether a default build (no -P, no -D) activates it, as Maven decides (`defaultActivation`). */
  byDefault: 'yes' | 'no' | 'unknown';
  /** Its conditions, in words, for notes ("jdk [11,)", "activeByDefault"). */
  condition: string;
  deps: Pom['deps'];
}

type Dep = Pom['deps'][number];

export interface Pom {
  groupId?: string; artifactId: string; version?: string; packaging: string;
  /** Managed versions and scopes, by Maven's management key (`managementKey`): a test-jar's management is not the jar's. */
  properties: Map<string, string>; managed: Map<string, string>; managedScope: Map<string, string>; imports: Coordinates[];
  deps: { groupId: string; artifactId: string; version?: string; scope?: string; optional: boolean; type?: string; classifier?: string }[];
  parent?: { groupId?: string; artifactId?: string; version?: string; relativePath?: string };
  modules: string[];
  plugins: Plugin[]; managedPlugins: Plugin[]; profiles: Profile[];
}

const list = (v: unknown) => asArray(v) as XmlNode[];
const child = (n: XmlNode | undefined, k: string) => (n && typeof n === 'object' ? n[k] as XmlNode | undefined : undefined);
const t = (n: XmlNode | undefined, k: string) => { const v = n && typeof n === 'object' ? textOf(n[k]).trim() : ''; return v || undefined; };

/** Maven's key of a managed dependency: groupId:artifactId:type, and :classifier when there is one (Dependency.getManagementKey). */
export const managementKey = (groupId: string, artifactId: string, type: string | undefined, classifier: string | undefined) =>
  `${groupId}:${artifactId}:${type ?? 'jar'}${classifier ? `:${classifier}` : ''}`;

/** The text values directly under an element (<properties>, <configuration>). */
function simpleValues(n: XmlNode | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (n && typeof n === 'object') for (const [k, v] of Object.entries(n)) if (!k.startsWith('@') && k !== '#text') out.set(k, textOf(v).trim());
  return out;
}

function plugin(p: XmlNode): Plugin | undefined {
  const artifactId = t(p, 'artifactId');
  if (!artifactId) return undefined;
  // Maven's default plugin group.
  const key = `${t(p, 'groupId') ?? 'org.apache.maven.plugins'}:${artifactId}`;
  const extensions = t(p, 'extensions');
  return {
    key, inherited: t(p, 'inherited') !== 'false', ...(extensions ? { extensions } : {}), config: simpleValues(child(p, 'configuration')),
    executions: list(child(child(p, 'executions'), 'execution')).map((e) => {
      const phase = t(e, 'phase');
      return { id: t(e, 'id') ?? 'default', ...(phase ? { phase } : {}), goals: list(child(child(e, 'goals'), 'goal')).map((g) => textOf(g).trim()), config: simpleValues(child(e, 'configuration')), inherited: t(e, 'inherited') !== 'false' };
    }),
  };
}

const plugins = (build: XmlNode | undefined, where: 'plugins' | 'pluginManagement') =>
  list(child(where === 'plugins' ? child(build, 'plugins') : child(child(build, 'pluginManagement'), 'plugins'), 'plugin')).flatMap((p) => plugin(p) ?? []);

export function readPom(text: string, file: string): Pom {
  const doc = parseXml(text, file, { arrays: new Set(['dependency', 'module', 'plugin', 'execution', 'goal', 'profile']) });
  const p = doc['project'] as XmlNode | undefined;
  if (!p) throw new InputError('not a Maven pom.xml (no <project>)', file, 1);
  const artifactId = t(p, 'artifactId');
  if (!artifactId) throw new InputError('pom.xml without an artifactId', file, 1);
  const managed = new Map<string, string>();
  const managedScope = new Map<string, string>();
  const imports: Coordinates[] = [];
  for (const d of list(child(child(p, 'dependencyManagement'), 'dependencies')?.['dependency'])) {
    const g = t(d, 'groupId'), a = t(d, 'artifactId'), v = t(d, 'version'), scope = t(d, 'scope');
    if (!g || !a) continue;
    // A BOM: its dependencyManagement is imported where this entry stands.
    if (scope === 'import') { imports.push({ groupId: g, artifactId: a, version: v }); continue; }
    const key = managementKey(g, a, t(d, 'type'), t(d, 'classifier'));
    if (v) managed.set(key, v);
    // Maven manages a scope too: a dependency that declares none takes it.
    if (scope) managedScope.set(key, scope);
  }
  const deps = depsOf(p);
  const parent = child(p, 'parent');
  const modulesOf = (n: XmlNode | undefined) => list(child(child(n, 'modules'), 'module')).map((m) => textOf(m).trim()).filter(Boolean);
  const build = child(p, 'build');
  return {
    groupId: t(p, 'groupId'), artifactId, version: t(p, 'version'), packaging: t(p, 'packaging') ?? 'jar',
    properties: simpleValues(child(p, 'properties')), managed, managedScope, imports, deps,
    ...(parent ? { parent: { groupId: t(parent, 'groupId'), artifactId: t(parent, 'artifactId'), version: t(parent, 'version'), relativePath: t(parent, 'relativePath') } } : {}),
    modules: modulesOf(p),
    plugins: plugins(build, 'plugins'), managedPlugins: plugins(build, 'pluginManagement'),
    profiles: defaultActivation(list(child(child(p, 'profiles'), 'profile')).map((pr) => {
      const activation = child(pr, 'activation');
      const pb = child(pr, 'build');
      return {
        id: t(pr, 'id') ?? 'default', activation: activation && typeof activation === 'object' && Object.keys(activation).some((k) => !k.startsWith('@') && k !== '#text' && !(k === 'activeByDefault' && t(activation, k) !== 'true')) ? 'conditional' : 'none',
        modules: modulesOf(pr), properties: simpleValues(child(pr, 'properties')), plugins: [...plugins(pb, 'plugins'), ...plugins(pb, 'pluginManagement')],
        ...conditions(activation), deps: depsOf(pr),
      };
    })),
  };
}

function depsOf(n: XmlNode | undefined): Dep[] {
  return list(child(child(n, 'dependencies'), 'dependency')).flatMap((d) => {
    const g = t(d, 'groupId'), a = t(d, 'artifactId');
    return g && a ? [{ groupId: g, artifactId: a, version: t(d, 'version'), scope: t(d, 'scope'), optional: t(d, 'optional') === 'true', type: t(d, 'type'), classifier: t(d, 'classifier') }] : [];
  });
}

/** Properties of a build's environment, not the pom's: set whatever the user passes, so unknown here. */
const ENVIRONMENT_PROPERTY = /^(?:env\.|java\.|os\.|user\.|file\.|line\.|path\.|sun\.|maven\.)/;

/**
 * A profile's own conditions on a default build (no -D, no -P), as Maven's activators decide: a property
 * condition is met when the property is set (none is) or, negated, when it is not; with a value, when it
 * equals (or, "!value", differs from) the property's. Conditions of the build machine (jdk, os, file, a
 * property of the environment) are unknown here. Since Maven 3.2.2 every condition must hold.
 */
function conditions(activation: XmlNode | undefined): { byDefault: Profile['byDefault']; condition: string; activeByDefault?: boolean } {
  const words: string[] = [];
  let state: Profile['byDefault'] | undefined;
  const and = (v: Profile['byDefault']) => { state = state === 'no' || v === 'no' ? 'no' : state === 'unknown' || v === 'unknown' ? 'unknown' : 'yes'; };
  const activeByDefault = t(activation, 'activeByDefault') === 'true';
  if (activeByDefault) words.push('activeByDefault');
  const property = child(activation, 'property');
  if (property) {
    const raw = t(property, 'name') ?? '';
    const negated = raw.startsWith('!');
    const name = negated ? raw.slice(1) : raw;
    const value = t(property, 'value');
    words.push(`property ${raw}${value ? `=${value}` : ''}`);
    if (ENVIRONMENT_PROPERTY.test(name)) and('unknown');
    else if (value) and(value.startsWith('!') ? 'yes' : 'no'); // unset: it equals no value, and differs from every one
    else and(negated ? 'yes' : 'no');
  }
  for (const k of ['jdk', 'os', 'file', 'packaging']) {
    if (activation && typeof activation === 'object' && activation[k] !== undefined) { words.push(k === 'jdk' ? `jdk ${t(activation, k) ?? ''}` : k); and('unknown'); }
  }
  return { byDefault: state ?? 'no', condition: words.join(', ') || 'only with -P', activeByDefault };
}

/**
 * Maven's activeByDefault: such a profile is active unless another profile of the same pom is active by its
 * conditions; when another one's conditions are unknown here, so is the default one.
 */
function defaultActivation(profiles: (Profile & { activeByDefault?: boolean })[]): Profile[] {
  const others = profiles.filter((p) => !p.activeByDefault || p.byDefault !== 'no');
  const any: Profile['byDefault'] = others.some((p) => p.byDefault === 'yes') ? 'yes' : others.some((p) => p.byDefault === 'unknown') ? 'unknown' : 'no';
  return profiles.map(({ activeByDefault, ...p }) => (activeByDefault && p.byDefault === 'no' ? { ...p, byDefault: any === 'yes' ? 'no' : any === 'unknown' ? 'unknown' : 'yes' } : p));
}
