// Which files are pip requirements files, the project each belongs to, and the scope its name gives.
//
// pip gives a requirements file no role: `pip install -r requirements-dev.txt` installs what it lists like any
// other. The role is in the name, by a convention the tools agree on only in part: Syft, cdxgen and OSV-Scalibr
// read any `*requirements*.txt`, cdxgen also `requirements/*.txt` and Dependabot every `.txt` of a `requirements/`
// folder; Dependabot alone gives a scope, "dev" for a file whose path holds "dev". Marque reads the same files and
// takes the scope from the words of the name (below), so development, test and documentation pins do not read as
// shipping. A file that names no such word ships: an unknown name is never taken for a tool's.
import { posix } from 'node:path';
import { SCOPE_ORDER, type Scope } from '../../model/inventory.ts';

/**
 * Words of a requirements file's name (and of its folders under `requirements/`) that say what it installs for.
 * Extras (Celery's `requirements/extras/redis.txt`) are a user's choice: optional, as an extra is in a lockfile.
 */
const SCOPE_WORDS: ReadonlyMap<string, Scope> = new Map(Object.entries({
  dev: 'dev', devel: 'dev', develop: 'dev', development: 'dev', lint: 'dev', linting: 'dev', linters: 'dev', typing: 'dev',
  mypy: 'dev', style: 'dev', tools: 'dev', tooling: 'dev', debug: 'dev',
  test: 'test', tests: 'test', testing: 'test', tox: 'test', ci: 'test', cov: 'test', coverage: 'test',
  doc: 'doc', docs: 'doc', documentation: 'doc', sphinx: 'doc', mkdocs: 'doc',
  build: 'build',
  extra: 'optional', extras: 'optional', optional: 'optional',
} satisfies Record<string, Scope>));

/** A constraints file installs nothing (pip reads it only through -c): its pins are never requirements of their own. */
const CONSTRAINT_WORDS = new Set(['constraint', 'constraints']);

/** `dev-requirements_3.txt` → ["dev", "requirements"]: lower case, split at - _ . /, trailing digits cut (test3, py3k stays). */
function words(path: string): string[] {
  return path.toLowerCase().replace(/\.txt$/, '').split(/[-_./]+/).map((w) => w.replace(/\d+$/, '')).filter(Boolean);
}

/** The part of the path from its outermost `requirements/` folder on (`requirements/test/cuda.txt`), if any. */
function underRequirementsFolder(rel: string): { projectDir: string; inside: string } | undefined {
  const parts = rel.split('/');
  const at = parts.slice(0, -1).indexOf('requirements');
  if (at < 0) return undefined;
  return { projectDir: parts.slice(0, at).join('/') || '.', inside: parts.slice(at + 1).join('/') };
}

/**
 * Whether the walk claims this file as a requirements file: a `.txt` whose name holds "requirements"
 * (requirements.txt, requirements-dev.txt, dev-requirements.txt, test_requirements.txt), or any `.txt`
 * under a folder named `requirements` (Warehouse's requirements/main.txt, vLLM's requirements/test/cuda.txt).
 * Constraints files (aiohttp's requirements/constraints.txt, vLLM's requirements/constraints/) are not:
 * they are read when a requirements file names them with -c.
 */
export function isRequirementsFile(rel: string, name: string): boolean {
  if (!name.endsWith('.txt')) return false;
  const folder = underRequirementsFolder(rel);
  if (words(folder ? folder.inside : name).some((w) => CONSTRAINT_WORDS.has(w))) return false;
  return name.includes('requirements') || folder !== undefined;
}

/**
 * The scope a requirements file's name gives what it lists: the words of its name and of its folders under
 * `requirements/`, the one nearest to shipping when several match (`docs-lint` is doc and dev: dev), runtime
 * when none does (requirements.txt, requirements/main.txt, requirements-prod.txt, requirements/cuda.txt).
 */
export function requirementsScope(rel: string): Scope {
  const folder = underRequirementsFolder(rel);
  const found = words(folder ? folder.inside : posix.basename(rel)).map((w) => SCOPE_WORDS.get(w)).filter((s): s is Scope => s !== undefined);
  if (!found.length) return 'runtime';
  return SCOPE_ORDER[Math.min(...found.map((s) => SCOPE_ORDER.indexOf(s)))]!;
}

/**
 * The folder of the project a requirements file belongs to, relative to the scanned folder: the one holding
 * its `requirements/` folder (the project's pyproject.toml is there), else its own.
 */
export function requirementsProjectDir(rel: string): string {
  return underRequirementsFolder(rel)?.projectDir ?? (posix.dirname(rel) || '.');
}
