// The package.json files beside a yarn or pnpm lock: the project and its workspaces. The locks name
// what was installed; these say what the product itself depends on, and which of it is dev-only.
import { dirname, join, posix } from 'node:path';
import { expandFolders, insideRoot } from '../common/folders.ts';
import type { ExtractContext } from '../extractor.ts';
import { parseJsonText } from '../../util/json.ts';
import { problemOf } from '../../util/errors.ts';
import type { Problem } from '../../model/inventory.ts';
import type { ProjectManifest, YarnSettings } from './yarn-lock.ts';
import { isRecord, parseYaml } from '../../util/yaml.ts';

const strMap = (v: unknown): Record<string, string> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<string, string> : undefined);

/** package.json at `folder` (relative to the lock's folder), or undefined when there is none. */
export function readProject(ctx: Pick<ExtractContext, 'beside'>, lockDir: string, folder: string, rel: string, problems: Problem[]): ProjectManifest | undefined {
  const text = ctx.beside(join(lockDir, folder, 'package.json'));
  if (text === undefined) return undefined;
  try {
    const j = parseJsonText(text, posix.join(posix.dirname(rel), folder, 'package.json')) as Record<string, unknown>;
    return {
      path: folder, name: typeof j['name'] === 'string' ? j['name'] : undefined, version: typeof j['version'] === 'string' ? j['version'] : undefined,
      dependencies: strMap(j['dependencies']), devDependencies: strMap(j['devDependencies']), optionalDependencies: strMap(j['optionalDependencies']), peerDependencies: strMap(j['peerDependencies']),
      workspaces: j['workspaces'], resolutions: strMap(j['resolutions']),
    };
  } catch (e) {
    problems.push(problemOf(e, posix.join(posix.dirname(rel), folder, 'package.json')));
    return undefined;
  }
}

/**
 * The project and the workspaces its package.json lists ("packages/*", "apps/web"; "**" is not followed and said).
 * A pattern that points outside the scanned folder ("../shared/*") is said once and not listed or read.
 */
export function yarnProjects(ctx: Pick<ExtractContext, 'beside' | 'files' | 'root'>, lockPath: string, rel: string, problems: Problem[]): ProjectManifest[] {
  const dir = dirname(lockPath);
  const root = readProject(ctx, dir, '.', rel, problems);
  if (!root) return [];
  const patterns = root.workspaces;
  const list = Array.isArray(patterns) ? patterns : patterns && typeof patterns === 'object' ? (patterns as Record<string, unknown>)['packages'] : [];
  const out = [root];
  for (const pattern of Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : []) {
    const clean = pattern.replace(/^\.\//, '').replace(/\/$/, '');
    if (clean.includes('**') || clean.startsWith('!')) { problems.push({ file: rel, message: `workspace pattern "${pattern}" is not expanded; its packages' own dependencies are read from the lock only`, severity: 'warning' }); continue; }
    if (!insideRoot(ctx.root, join(dir, clean))) {
      problems.push({ file: posix.join(posix.dirname(rel), 'package.json'), message: `workspace pattern "${pattern}" points outside the scanned folder; those workspaces' package.json files are not read (their versions and dev dependencies come from the lock alone): scan the folder that holds them all to include them`, severity: 'warning' });
      continue;
    }
    const folders = expandFolders(dir, clean);
    for (const f of folders) { const p = readProject(ctx, dir, f, rel, problems); if (p) out.push(p); }
  }
  return out;
}

/** .yarnrc.yml beside a Berry lock: the packageExtensions Yarn applies to the locked packages, and the catalogs its workspaces name. */
export function yarnSettings(ctx: Pick<ExtractContext, 'beside'>, lockPath: string, rel: string, problems: Problem[]): YarnSettings {
  const text = ctx.beside(join(dirname(lockPath), '.yarnrc.yml'));
  if (text === undefined) return {};
  try {
    const doc = parseYaml(text, posix.join(posix.dirname(rel), '.yarnrc.yml'));
    if (!isRecord(doc)) return {};
    const out: YarnSettings = {};
    if (isRecord(doc['packageExtensions'])) out.packageExtensions = doc['packageExtensions'] as YarnSettings['packageExtensions'];
    if (isRecord(doc['catalog'])) out.catalog = doc['catalog'];
    if (isRecord(doc['catalogs'])) out.catalogs = doc['catalogs'];
    return out;
  } catch (e) {
    problems.push({ ...problemOf(e, posix.join(posix.dirname(rel), '.yarnrc.yml')), severity: 'warning' });
    return {};
  }
}

/**
 * The patch files pnpm's patchedDependencies name ("nitropack@2.13.4": "patches/nitropack@2.13.4.patch"), from
 * pnpm-workspace.yaml (pnpm 10 and later) and package.json's "pnpm" field: a lock from pnpm 10 on keeps only
 * each patch's hash, the file that says what was changed is named here.
 */
export function pnpmPatchFiles(ctx: Pick<ExtractContext, 'beside'>, lockPath: string, rel: string, problems: Problem[]): Record<string, string> {
  const out: Record<string, string> = {};
  const pkg = ctx.beside(join(dirname(lockPath), 'package.json'));
  if (pkg !== undefined) {
    try {
      const pnpm = (parseJsonText(pkg, posix.join(posix.dirname(rel), 'package.json')) as Record<string, unknown> | null)?.['pnpm'];
      Object.assign(out, strMap(isRecord(pnpm) ? pnpm['patchedDependencies'] : undefined));
    } catch { /* the package.json's own problem is said where it is read as the project */ }
  }
  const text = ctx.beside(join(dirname(lockPath), 'pnpm-workspace.yaml'));
  if (text === undefined) return out;
  try {
    const doc = parseYaml(text, posix.join(posix.dirname(rel), 'pnpm-workspace.yaml'));
    if (isRecord(doc)) Object.assign(out, strMap(doc['patchedDependencies']));
  } catch (e) {
    problems.push({ ...problemOf(e, posix.join(posix.dirname(rel), 'pnpm-workspace.yaml')), severity: 'warning' });
  }
  return out;
}
