// Whether Maven deploys a module, decided as the CycloneDX Maven plugin decides it (BaseCycloneDxMojo's
// isDeployable, which leaves a module that is not deployed out of its SBOMs): the module is deployed when
// one execution of maven-deploy-plugin's deploy goal (bound by the lifecycle to every module), or of a
// publishing plugin the module declares (Sonatype's Nexus staging or Central publishing plugin, whose
// build extension adds its execution), is not skipped. A skip is the execution's <configuration>, else
// the plugin's (its <plugins> entry, then its <pluginManagement>, nearest pom first), else the property
// (maven.deploy.skip, skipNexusStagingDeployMojo, skipPublishing). Only the poms on disk are read:
// what a parent in a repository configures is not known.
import { dirname, posix, relative } from 'node:path';
import type { Effective } from './pom.ts';
import type { Plugin, Pom } from './pom-read.ts';

interface Publisher { key: string; name: string; param: string; property: string; goal: string; lifecycle: boolean }

const PUBLISHERS: readonly Publisher[] = [
  // The lifecycle binds deploy:deploy to every module, declared or not.
  { key: 'org.apache.maven.plugins:maven-deploy-plugin', name: 'maven-deploy-plugin', param: 'skip', property: 'maven.deploy.skip', goal: 'deploy', lifecycle: true },
  { key: 'org.sonatype.plugins:nexus-staging-maven-plugin', name: 'nexus-staging-maven-plugin', param: 'skipNexusStagingDeployMojo', property: 'skipNexusStagingDeployMojo', goal: 'deploy', lifecycle: false },
  { key: 'org.sonatype.central:central-publishing-maven-plugin', name: 'central-publishing-maven-plugin', param: 'skipPublishing', property: 'skipPublishing', goal: 'publish', lifecycle: false },
];

/** Deployed (by which plugin), or not and why; `profiles` names profiles that touch deployment, whose activation could change the answer. */
export type Deployment = { deployed: true; by: string } | { deployed: false; why: string; profiles: string[] };

/** A value as the pom says it, and where. */
interface Said { value: string; where: string }

const isTrue = (v: string | undefined) => v?.trim().toLowerCase() === 'true';

/** `file` is the pom relative to the scanned folder, `path` where it is: its parents are named relative to the folder too. */
export function deployment(e: Effective, file: string, path: string): Deployment {
  const rel = (p: string | undefined) => (p ? posix.normalize(posix.join(posix.dirname(file), relative(dirname(path), p).split('\\').join('/'))) : file);
  const chain = e.chain.map((c, i) => ({ pom: c.pom, file: i === 0 ? file : rel(c.path), own: i === 0 }));
  const reasons: string[] = [];
  const decisive = new Set<string>();
  for (const pub of PUBLISHERS) {
    // A plugin another pom declares reaches this one unless it says <inherited>false</inherited>.
    const entries = chain.flatMap((c) => c.pom.plugins.filter((p) => p.key === pub.key && (c.own || p.inherited)).map((p) => ({ p, file: c.file, own: c.own, where: 'plugins' })));
    const managed = chain.flatMap((c) => c.pom.managedPlugins.filter((p) => p.key === pub.key && (c.own || p.inherited)).map((p) => ({ p, file: c.file, own: c.own, where: 'pluginManagement' })));
    if (!pub.lifecycle && !entries.length) continue;
    const both = [...entries, ...managed];
    const pluginSays = (param: string): Said | undefined => {
      for (const x of both) { const v = x.p.config.get(param); if (v !== undefined) return { value: v, where: `<${param}> of ${pub.name} in ${x.file}'s ${x.where}` }; }
      return undefined;
    };
    const executions = new Map<string, { goals: string[]; phase?: string; config: Map<string, Said> }>();
    for (const x of both) for (const ex of x.p.executions) {
      if (!x.own && !ex.inherited) continue;
      const had = executions.get(ex.id) ?? { goals: [], config: new Map<string, Said>() };
      if (!had.goals.length) had.goals = ex.goals;
      if (had.phase === undefined && ex.phase !== undefined) had.phase = ex.phase;
      for (const [k, v] of ex.config) if (!had.config.has(k)) had.config.set(k, { value: v, where: `<${k}> of ${pub.name}'s execution ${ex.id} in ${x.file}` });
      executions.set(ex.id, had);
    }
    if (pub.lifecycle) {
      const d = executions.get(`default-${pub.goal}`) ?? { goals: [], config: new Map<string, Said>() };
      if (!d.goals.length) d.goals = [pub.goal];
      executions.set(`default-${pub.goal}`, d);
    }
    // A build extension adds its own execution (central-publishing's injected-central-publishing).
    const extensions = both.map((x) => x.p.extensions).find((v) => v !== undefined);
    if (isTrue(extensions) && ![...executions.values()].some((x) => x.goals.includes(pub.goal))) executions.set('injected', { goals: [pub.goal], config: new Map() });
    const property = e.expand(`\${${pub.property}}`);
    const propertySaid: Said | undefined = property !== `\${${pub.property}}` ? { value: property!, where: `the property ${pub.property}` } : undefined;
    let any = false;
    for (const [id, x] of executions) {
      if (!x.goals.includes(pub.goal)) continue;
      any = true;
      // <phase>none</phase> unbinds an execution: Maven never runs it.
      if (x.phase === 'none') { reasons.push(`${pub.name}'s execution ${id} is bound to phase none`); continue; }
      const said = x.config.get(pub.param) ?? pluginSays(pub.param) ?? propertySaid;
      const value = said ? e.expand(said.value) ?? said.value : undefined;
      if (!isTrue(value)) return { deployed: true, by: `${pub.name} (${id})` };
      reasons.push(`${pub.name}'s ${pub.param} is ${value}${said!.value !== value ? ` (${said!.value})` : ''}: ${said!.where}`);
      decisive.add(pub.property);
      for (const m of said!.value.matchAll(/\$\{([^}]+)\}/g)) decisive.add(m[1]!);
    }
    if (!any && !pub.lifecycle) reasons.push(`${pub.name} is declared with no ${pub.goal} execution`);
  }
  // A parent in a repository could declare a publishing plugin of its own: say that it was not read.
  const top = e.chain[e.chain.length - 1]!.pom.parent;
  const unread = e.complete || !top ? '' : `; as the poms on disk say (the parent ${top.groupId}:${top.artifactId}:${top.version} is not read)`;
  return { deployed: false, why: reasons.join('; ') + unread, profiles: profilesTouching(chain.map((c) => c.pom), decisive) };
}

/** Profiles of the pom or its parents on disk that set a property deciding the skip, or configure a publishing plugin. */
function profilesTouching(poms: Pom[], decisive: Set<string>): string[] {
  const out = new Set<string>();
  for (const pom of poms) for (const pr of pom.profiles) {
    const setsProperty = [...pr.properties].some(([k, v]) => decisive.has(k) && !isTrue(v));
    const configures = pr.plugins.some((p: Plugin) => { const pub = PUBLISHERS.find((x) => x.key === p.key); return !!pub && !isTrue(p.config.get(pub.param)); });
    if (setsProperty || configures) out.add(pr.id);
  }
  return [...out];
}
