// Maven itself as the oracle of which modules are deployed, offline. Maven reads the reactor with a core
// extension (maven-oracle/DeployOracle.java, compiled here against Maven's own jars) that prints each
// project's deployment. What Maven would download to read the projects — a parent or an imported BOM in a
// repository, a build extension, a plugin version only a remote parent names — is stubbed in a scratch local
// repository (an empty pom, a version given to what is left without one) and named in `stubs`: what a remote
// parent says about deploying is then not known to the oracle either, as it is not to Marque.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, readdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';

/** A project as Maven's reactor reads it: its deployment, and its direct dependencies (inherited ones too) as "g:a version scope optional type". */
export interface OracleRow { path: string; gav: string; packaging: string; deployed: boolean; dependencies: string[] }

const run = (cmd: string, args: string[], cwd?: string) => spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const runAsync = async (cmd: string, args: string[], cwd: string) => {
  try { const r = await promisify(execFile)(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }); return r.stdout + r.stderr; } catch (e) { const x = e as { stdout?: string; stderr?: string }; return (x.stdout ?? '') + (x.stderr ?? ''); }
};

/** Maven's home (its lib/ holds the jars the extension compiles against), or undefined without mvn and a JDK. */
export function mavenHome(): string | undefined {
  if (run('javac', ['-version']).status !== 0 || run('jar', ['--version']).status !== 0) return undefined;
  const v = run('mvn', ['-v']);
  return v.status === 0 ? /Maven home: (.+)/.exec(v.stdout.replace(/\x1b\[[0-9;]*m/g, ''))?.[1]?.trim() : undefined;
}

/** Compile the extension into `work`; its jar's path. */
export function buildOracle(home: string, work: string): string {
  const classes = join(work, 'classes');
  mkdirSync(join(classes, 'META-INF', 'plexus'), { recursive: true });
  const cp = readdirSync(join(home, 'lib')).filter((f) => f.endsWith('.jar')).map((f) => join(home, 'lib', f)).join(':');
  const c = run('javac', ['-d', classes, '-cp', cp, join(import.meta.dirname, 'maven-oracle', 'DeployOracle.java')]);
  if (c.status !== 0) throw new Error(`javac: ${c.stderr}`);
  copyFileSync(join(import.meta.dirname, 'maven-oracle', 'components.xml'), join(classes, 'META-INF', 'plexus', 'components.xml'));
  const jar = join(work, 'oracle.jar');
  const j = run('jar', ['cf', jar, '-C', classes, '.']);
  if (j.status !== 0) throw new Error(`jar: ${j.stderr}`);
  return jar;
}

const xmlName = (s: string) => s.replace(/[^\w.-]/g, '_');

/** Run Maven's reactor on `project` (a copy: Maven may write in it) with the oracle; `repo` is the scratch local repository, `work` a folder of this run's own. */
export async function runOracle(jar: string, project: string, repo: string, work: string): Promise<{ rows: OracleRow[]; stubs: string[]; output: string }> {
  const stubs = new Set<string>();
  const managed = new Set<string>(); // g:a that stubbed BOMs manage (at 0-stub)
  const properties = new Set<string>(); // properties stubbed parents define (as 0-stub)
  const packagings = new Set<string>(); // packagings only a stubbed build extension defines
  const empty = join(work, 'empty');
  mkdirSync(empty, { recursive: true });
  const stub = (g: string, a: string, v: string) => {
    const dir = join(repo, ...g.split('.'), a, v);
    mkdirSync(dir, { recursive: true });
    const props = [...properties].sort().map((p) => `<${xmlName(p)}>0-stub</${xmlName(p)}>`).join('');
    const deps = [...managed].sort().map((x) => { const [mg, ma] = x.split(':'); return `<dependency><groupId>${mg}</groupId><artifactId>${ma}</artifactId><version>0-stub</version></dependency>`; }).join('');
    writeFileSync(join(dir, `${a}-${v}.pom`), `<project><modelVersion>4.0.0</modelVersion><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version><packaging>pom</packaging><properties>${props}</properties><dependencyManagement><dependencies>${deps}</dependencies></dependencyManagement></project>`);
    if (!existsSync(join(dir, `${a}-${v}.jar`))) run('jar', ['cf', join(dir, `${a}-${v}.jar`), '-C', empty, '.']);
  };
  const packagingJar = () => {
    // A packaging a stubbed extension would define (maven-jlink-plugin's jlink, Karaf's feature): the jar lifecycle, deploy:deploy included.
    const dir = join(work, 'packagings', 'META-INF', 'plexus');
    mkdirSync(dir, { recursive: true });
    const phases = '<process-resources>org.apache.maven.plugins:maven-resources-plugin:resources</process-resources><compile>org.apache.maven.plugins:maven-compiler-plugin:compile</compile><package>org.apache.maven.plugins:maven-jar-plugin:jar</package><install>org.apache.maven.plugins:maven-install-plugin:install</install><deploy>org.apache.maven.plugins:maven-deploy-plugin:deploy</deploy>';
    writeFileSync(join(dir, 'components.xml'), `<component-set><components>${[...packagings].map((p) => `<component><role>org.apache.maven.lifecycle.mapping.LifecycleMapping</role><role-hint>${p}</role-hint><implementation>org.apache.maven.lifecycle.mapping.DefaultLifecycleMapping</implementation><configuration><lifecycles><lifecycle><id>default</id><phases>${phases}</phases></lifecycle></lifecycles></configuration></component>`).join('')}</components></component-set>`);
    const jar2 = join(work, 'packagings.jar');
    run('jar', ['cf', jar2, '-C', join(work, 'packagings'), '.']);
    return jar2;
  };
  let output = '';
  for (let i = 0; i < 40; i++) {
    const ext = packagings.size ? `${jar}:${packagingJar()}` : jar;
    output = (await runAsync('mvn', ['-o', '-B', '-fae', `-Dmaven.ext.class.path=${ext}`, `-Dmaven.repo.local=${repo}`, 'validate'], project)).replace(/\x1b\[[0-9;]*m/g, '');
    const lines = output.split('\n');
    const rows = lines.filter((l) => l.startsWith('MARQUE-ORACLE\t')).map((l) => {
      const [, path, gav, packaging, deployed] = l.split('\t');
      const dependencies = lines.filter((x) => x.startsWith(`MARQUE-DEPENDENCY\t${path}\t`)).map((x) => x.split('\t').slice(2).join(' '));
      return { path: path!, gav: gav!, packaging: packaging!, deployed: deployed === 'true', dependencies };
    });
    if (rows.length) return { rows, stubs: [...stubs], output };
    const before = stubs.size + managed.size + properties.size + packagings.size;
    const gav = (g: string, a: string, v: string) => { if (!/^[\w.-]+$/.test(v) || v === 'pom' || v === 'jar') return; const k = `${g}:${a}:${v}`; if (!stubs.has(k)) { stubs.add(k); stub(g, a, v); } };
    for (const m of output.matchAll(/(?:Plugin|artifact) ([\w.-]+):([\w.-]+):(?:jar:|pom:)?([\w.-]+) (?:or one of its dependencies could not be resolved|has not been downloaded)/g)) gav(m[1]!, m[2]!, m[3]!);
    for (const m of output.matchAll(/Non-resolvable (?:import|parent) POM[^\n]*?([\w.-]+):([\w.-]+):(?:pom:)?([\w.-]+) has not been downloaded/g)) gav(m[1]!, m[2]!, m[3]!);
    for (const m of output.matchAll(/Error resolving version for plugin '([\w.-]+):([\w.-]+)'/g)) {
      // A plugin with no version takes the repository's latest: give the stub one.
      gav(m[1]!, m[2]!, '0-stub');
      writeFileSync(join(repo, ...m[1]!.split('.'), m[2]!, 'maven-metadata-local.xml'), `<metadata><groupId>${m[1]}</groupId><artifactId>${m[2]}</artifactId><versioning><latest>0-stub</latest><release>0-stub</release><versions><version>0-stub</version></versions></versioning></metadata>`);
    }
    for (const l of output.split('\n').filter((x) => x.includes('ERROR'))) for (const m of l.matchAll(/\$\{([\w.-]+)\}/g)) properties.add(m[1]!);
    for (const m of output.matchAll(/'(?:dependencyManagement\.)?dependencies\.dependency\.version' for ([\w.-]+):([\w.-]+):/g)) managed.add(`${m[1]}:${m[2]}`);
    for (const m of output.matchAll(/Unknown packaging: ([\w.-]+)/g)) packagings.add(m[1]!);
    if (stubs.size + managed.size + properties.size + packagings.size === before) break;
    // Every stub manages what is missing a version and defines what is missing a property.
    for (const k of stubs) { const [g, a, v] = k.split(':'); stub(g!, a!, v!); }
  }
  throw new Error(`Maven could not read the reactor of ${project} offline:\n${output.slice(-3000)}`);
}
