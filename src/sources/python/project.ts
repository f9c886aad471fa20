// The Python project a lockfile belongs to: pyproject.toml ([project] of PEP 621, or
// [tool.poetry]) in the project's folder (the lockfile's, or the one holding a requirements/ folder),
// else that folder's name.

import { mapLicenses } from '../../util/license.ts';
import { dirname, join, posix } from 'node:path';
import { tomlModule } from '../../util/lazy.ts';
import { makePurl } from '../../model/purl.ts';
import type { Component, Problem } from '../../model/inventory.ts';
import type { FoundFile, ReadBeside } from '../extractor.ts';
import { pep503Name } from '../../model/package-names.ts';

export interface PythonProject {
  component: Component;
  /** Direct dependency names by group ("main" is the runtime group). */
  groups: Map<string, string[]>;
  /** The extras the project asks of its direct dependencies (`cachecontrol[filecache]`), by group; absent when none. */
  extras?: { group: string; name: string; extras: string[] }[];
  /** A pyproject.toml that exists but cannot be read: the project's name and groups are then unknown. */
  problem?: Problem;
  /** `[project] requires-python`: the Python versions the project runs on (markers are decided for them). */
  requiresPython?: string;
}

/** PEP 508 requirement → its distribution name. */
export function requirementName(req: string): string | undefined {
  return /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(req)?.[1];
}

/** PEP 508 requirement → the extras it asks for: "pbs-installer[download,install] (>=2025)" → ["download", "install"]. */
export function requirementExtras(req: string): string[] {
  const m = /^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*\[([^\]]*)\]/.exec(req);
  return m ? m[1]!.split(',').map((x) => normaliseName(x.trim())).filter(Boolean) : [];
}

export function normaliseName(name: string): string {
  return pep503Name(name);
}

/** A TOML table, or an empty one for anything else (a missing key, a string where a table belongs). */
function table(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** `dir`: the project's folder relative to the scanned one, when not the file's own (requirements/dev.txt is its parent's). */
export async function pythonProject(file: FoundFile, beside: ReadBeside, dir = posix.dirname(file.rel)): Promise<PythonProject> {
  const folder = posix.basename(dir) === '.' || posix.basename(dir) === '' ? 'project' : posix.basename(dir);
  let data: Record<string, unknown> | undefined;
  let problem: Problem | undefined;
  const rel = posix.join(dir, 'pyproject.toml');
  const path = join(dirname(file.path), posix.relative(posix.dirname(file.rel), dir), 'pyproject.toml');
  const text = beside(path); // no pyproject: the folder names the project
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
  // An application's pyproject may name nothing (PDM wrote `name = ""` for projects that are not packages): the folder names it then.
  const given = [project['name'], poetry['name']].find((n) => typeof n === 'string' && n.trim() !== '') as string | undefined;
  const name = given ?? folder;
  const version = String(project['version'] ?? poetry['version'] ?? '');
  const groups = new Map<string, string[]>();
  const add = (group: string, names: (string | undefined)[]) => {
    const clean = names.filter((n): n is string => !!n && n.toLowerCase() !== 'python').map(normaliseName);
    if (clean.length) groups.set(group, [...(groups.get(group) ?? []), ...clean]);
  };
  const extras: { group: string; name: string; extras: string[] }[] = [];
  const asked = (group: string, reqs: unknown[]) => {
    for (const r of reqs) {
      const name = typeof r === 'string' ? requirementName(r) : undefined;
      const x = typeof r === 'string' ? requirementExtras(r) : [];
      if (name && x.length) extras.push({ group, name: normaliseName(name), extras: x });
    }
  };
  /** [tool.poetry] tables: "name" = "^1" or { version, extras = [...] }, or a list of those. */
  const poetryAsked = (group: string, deps: object) => {
    for (const [name, spec] of Object.entries(deps)) {
      for (const one of Array.isArray(spec) ? spec : [spec]) {
        const x = typeof one === 'object' && one !== null && Array.isArray((one as { extras?: unknown }).extras) ? (one as { extras: unknown[] }).extras.map((e) => normaliseName(String(e))) : [];
        if (x.length) extras.push({ group, name: normaliseName(name), extras: x });
      }
    }
  };
  const optional = table(project['optional-dependencies']);
  const own = given !== undefined ? normaliseName(given) : undefined;
  /**
   * PEP 508 requirements of one group. The project asking for its own extras (PDM's `pdm[pytest]` in its test
   * group, BentoML's `bentoml[io]` in its `all` extra) asks for what those extras list, in that group: no locker
   * locks the project itself, so the request is met by the extras' requirements.
   */
  const require = (group: string, reqs: unknown[], seen = new Set<string>()) => {
    const direct: string[] = [];
    for (const r of reqs) {
      if (typeof r !== 'string') continue;
      const n = requirementName(r);
      if (own !== undefined && n !== undefined && normaliseName(n) === own) {
        for (const x of requirementExtras(r)) {
          const key = Object.keys(optional).find((k) => normaliseName(k) === x);
          const listed = key === undefined ? undefined : optional[key];
          if (key !== undefined && !seen.has(key) && Array.isArray(listed)) { seen.add(key); require(group, listed, seen); }
        }
        continue;
      }
      direct.push(r);
    }
    add(group, direct.map((r) => requirementName(r)));
    asked(group, direct);
  };
  if (Array.isArray(project['dependencies'])) require('main', project['dependencies']);
  for (const [g, reqs] of Object.entries(optional)) if (Array.isArray(reqs)) require(`extra:${g}`, reqs);
  // Development groups: PEP 735's [dependency-groups] and PDM's [tool.pdm.dev-dependencies], which came before it
  // with the same shape.
  for (const groupsTable of [table(data?.['dependency-groups']), table(table(table(data?.['tool'])['pdm'])['dev-dependencies'])]) {
    for (const [g, reqs] of Object.entries(groupsTable)) if (Array.isArray(reqs)) require(g === 'dev' ? 'dev' : `group:${g}`, reqs);
  }
  if (poetry['dependencies']) {
    // `optional = true` makes a dependency an extra's (named in [tool.poetry.extras]), installed only when asked for.
    const extrasTable = (poetry['extras'] ?? {}) as Record<string, unknown>;
    const extraOf = (n: string) => Object.entries(extrasTable).find(([, list]) => Array.isArray(list) && list.some((x) => normaliseName(String(x)) === normaliseName(n)))?.[0] ?? 'optional';
    const optional = (spec: unknown) => (Array.isArray(spec) ? spec : [spec]).every((one) => typeof one === 'object' && one !== null && (one as { optional?: unknown }).optional === true);
    for (const [n, spec] of Object.entries(poetry['dependencies'] as object)) {
      const g = optional(spec) ? `extra:${extraOf(n)}` : 'main';
      add(g, [n]);
      poetryAsked(g, { [n]: spec });
    }
  }
  if (poetry['dev-dependencies']) { add('dev', Object.keys(poetry['dev-dependencies'] as object)); poetryAsked('dev', poetry['dev-dependencies'] as object); }
  for (const [g, spec] of Object.entries((poetry['group'] ?? {}) as Record<string, { dependencies?: object }>)) {
    if (spec?.dependencies) { add(g === 'main' ? 'main' : 'dev', Object.keys(spec.dependencies)); poetryAsked(g === 'main' ? 'main' : 'dev', spec.dependencies); }
  }
  const known = data !== undefined && given !== undefined;
  const purl = known ? makePurl({ type: 'pypi', name, version }) : makePurl({ type: 'generic', name, version });
  // The project's licence: PEP 639's SPDX expression (license = "BSD-3-Clause"), PEP 621's { text }, or Poetry's string.
  // (A { text } that holds the whole licence text, not a name, is left out.)
  const declared = [project['license'], poetry['license']].flatMap((l) => (typeof l === 'string' ? [l] : l && typeof l === 'object' && typeof (l as { text?: unknown }).text === 'string' ? [(l as { text: string }).text] : []))
    .filter((l) => l.trim() !== '' && l.length <= 200 && !l.includes('\n'));
  const lic = mapLicenses(declared.slice(0, 1));
  const component: Component = {
    purl, name, version, ecosystem: known ? 'pypi' : 'generic', licenses: [...lic.spdx, ...lic.raw], root: true, firstParty: true,
    sourceFile: data ? rel : file.rel, dependenciesComplete: true,
    ...(declared.length ? { licensesDeclared: declared.slice(0, 1) } : {}),
  };
  const requiresPython = typeof project['requires-python'] === 'string' ? project['requires-python'] : undefined;
  return { component, groups, ...(extras.length ? { extras } : {}), ...(problem ? { problem } : {}), ...(requiresPython ? { requiresPython } : {}) };
}
