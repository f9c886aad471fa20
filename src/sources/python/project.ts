// The Python project a lockfile belongs to: pyproject.toml ([project] of PEP 621, or
// [tool.poetry]) beside the lockfile, else the folder's name.

import { dirname, join, posix } from 'node:path';
import { tomlModule } from '../../util/lazy.ts';
import { makePurl } from '../../model/purl.ts';
import type { Component, Problem } from '../../model/inventory.ts';
import type { FoundFile, ReadBeside } from '../extractor.ts';

export interface PythonProject {
  component: Component;
  /** Direct dependency names by group ("main" is the runtime group). */
  groups: Map<string, string[]>;
  /** A pyproject.toml that exists but cannot be read: the project's name and groups are then unknown. */
  problem?: Problem;
}

/** PEP 508 requirement → its distribution name. */
export function requirementName(req: string): string | undefined {
  return /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(req)?.[1];
}

export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-'); // PEP 503
}

export async function pythonProject(file: FoundFile, beside: ReadBeside): Promise<PythonProject> {
  const folder = posix.basename(posix.dirname(file.rel)) === '.' ? 'project' : posix.basename(posix.dirname(file.rel));
  let data: Record<string, unknown> | undefined;
  let problem: Problem | undefined;
  const rel = posix.join(posix.dirname(file.rel), 'pyproject.toml');
  const text = beside(join(dirname(file.path), 'pyproject.toml')); // no pyproject: the folder names the project
  if (text !== undefined) {
    try {
      data = tomlModule().parse(text) as Record<string, unknown>;
    } catch (e) {
      const te = e as { message: string; line?: number; column?: number };
      problem = { file: rel, line: te.line, column: te.column, message: `malformed TOML: ${te.message.split('\n')[0]}; the project's name and dependency groups are unknown`, severity: 'error' };
    }
  }
  const project = (data?.['project'] ?? {}) as Record<string, unknown>;
  const poetry = ((data?.['tool'] as Record<string, unknown> | undefined)?.['poetry'] ?? {}) as Record<string, unknown>;
  const name = String(project['name'] ?? poetry['name'] ?? folder);
  const version = String(project['version'] ?? poetry['version'] ?? '');
  const groups = new Map<string, string[]>();
  const add = (group: string, names: (string | undefined)[]) => {
    const clean = names.filter((n): n is string => !!n && n.toLowerCase() !== 'python').map(normaliseName);
    if (clean.length) groups.set(group, [...(groups.get(group) ?? []), ...clean]);
  };
  if (Array.isArray(project['dependencies'])) add('main', project['dependencies'].map((r) => requirementName(String(r))));
  for (const [g, reqs] of Object.entries((project['optional-dependencies'] ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(reqs)) add(`extra:${g}`, reqs.map((r) => requirementName(String(r))));
  }
  for (const [g, reqs] of Object.entries((data?.['dependency-groups'] ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(reqs)) add(g === 'dev' ? 'dev' : `group:${g}`, reqs.map((r) => (typeof r === 'string' ? requirementName(r) : undefined)));
  }
  if (poetry['dependencies']) add('main', Object.keys(poetry['dependencies'] as object));
  if (poetry['dev-dependencies']) add('dev', Object.keys(poetry['dev-dependencies'] as object));
  for (const [g, spec] of Object.entries((poetry['group'] ?? {}) as Record<string, { dependencies?: object }>)) {
    if (spec?.dependencies) add(g === 'main' ? 'main' : 'dev', Object.keys(spec.dependencies));
  }
  const known = data !== undefined && (project['name'] !== undefined || poetry['name'] !== undefined);
  const purl = known ? makePurl({ type: 'pypi', name, version }) : makePurl({ type: 'generic', name, version });
  const component: Component = {
    purl, name, version, ecosystem: known ? 'pypi' : 'generic', licenses: [], root: true, firstParty: true,
    sourceFile: data ? posix.join(posix.dirname(file.rel), 'pyproject.toml') : file.rel, dependenciesComplete: true,
  };
  return problem ? { component, groups, problem } : { component, groups };
}
