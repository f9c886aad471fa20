// Elixir and Erlang projects built with Mix: mix.lock, with the mix.exs beside it for the project's own
// dependencies and their scope, and an umbrella's apps/*/mix.exs.
import { basename, dirname, join, posix } from 'node:path';
import type { ExtractContext, Extractor } from '../extractor.ts';
import { problemOf } from '../../util/errors.ts';
import { parseLockfiles } from '../common/lockfiles.ts';
import { parseMixLock } from './mix-lock.ts';
import { parseMixExs, type MixProject } from './mix-exs.ts';

const MAX_APPS = 1000;

/** mix.exs as far as it can be read as written; one that cannot (a string left open) is a warning, and the lock is read alone. */
function readExs(ctx: ExtractContext, path: string, rel: string): MixProject | undefined {
  const text = ctx.beside(path);
  if (text === undefined) return undefined;
  try { return parseMixExs(text, rel); } catch (e) {
    ctx.problem({ ...problemOf(e, rel), severity: 'warning' });
    return undefined;
  }
}

function readProject(ctx: ExtractContext, lockPath: string, lockRel: string): MixProject | undefined {
  const dir = dirname(lockPath);
  const relDir = posix.dirname(lockRel);
  const project = readExs(ctx, join(dir, 'mix.exs'), posix.join(relDir, 'mix.exs'));
  if (!project) return undefined;
  if (project.appsPath === undefined) return project;
  // An umbrella: each folder of apps_path with a mix.exs is one of its apps (Mix's own rule).
  const appsDir = join(dir, project.appsPath);
  let entries;
  try { entries = ctx.files.list(appsDir); } catch {
    project.notes.push(`${project.file}: its apps_path "${project.appsPath}" cannot be listed: its apps' dependencies are not in this inventory`);
    return { ...project, unknown: [...project.unknown, `the apps of ${project.appsPath} are not read`] };
  }
  project.apps = [];
  for (const e of entries.filter((x) => x.isDirectory()).map((x) => x.name).sort().slice(0, MAX_APPS)) {
    const app = readExs(ctx, join(appsDir, e, 'mix.exs'), posix.join(relDir, project.appsPath, e, 'mix.exs'));
    if (app) project.apps.push(app);
  }
  return project;
}

export const hexExtractor: Extractor = {
  id: 'hex',
  claims: (_rel, name) => name === 'mix.lock',
  extract: (files, ctx) => parseLockfiles(files, ctx, (text, f) =>
    parseMixLock(text, f.rel, readProject(ctx, f.path, f.rel), basename(dirname(f.path)))),
};
