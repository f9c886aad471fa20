// vcstool `.repos` files (and the legacy rosinstall list): which repository and version each
// source folder of the workspace comes from.
import { InputError } from '../../util/errors.ts';
import { isRecord, parseYamlCached } from '../../util/yaml.ts';
import type { Problem, Provenance } from '../../model/inventory.ts';

export interface RepositoryEntry extends Provenance {
  /** Folder the repository is checked out into, relative to where `vcs import` ran. */
  path: string;
}

export function parseReposFile(text: string, file: string, problems: Problem[]): RepositoryEntry[] {
  const data = parseYamlCached(text, file); // a workspace's .repos rarely changes: parsed once per content
  const out: RepositoryEntry[] = [];
  const add = (path: string, e: Record<string, unknown>) => {
    const type = typeof e['type'] === 'string' ? e['type'] : undefined;
    const url = typeof e['url'] === 'string' ? e['url'] : typeof e['uri'] === 'string' ? e['uri'] : undefined;
    if (!type || !url) {
      // vcstool skips such entries with a warning; so do we, visibly.
      problems.push({ file, message: `repository "${path}" lacks type or url; skipped`, severity: 'warning' });
      return;
    }
    const entry: RepositoryEntry = { path: path.replace(/\/+$/, ''), type, url };
    if (e['version'] !== undefined && e['version'] !== null) entry.version = String(e['version']);
    out.push(entry);
  };
  // `repositories:` left empty (or with every entry commented out), or an empty file: vcstool
  // imports nothing and reports no error (e.g. ros2_control's *-not-released.*.repos).
  if (data === null || data === undefined || (isRecord(data) && 'repositories' in data && data['repositories'] === null)) return out;
  if (isRecord(data) && isRecord(data['repositories'])) {
    for (const [path, e] of Object.entries(data['repositories'])) {
      if (isRecord(e)) add(path, e);
    }
  } else if (Array.isArray(data)) {
    // rosinstall: - git: {local-name: path, uri: url, version: v}
    for (const item of data) {
      if (!isRecord(item)) continue;
      for (const [type, e] of Object.entries(item)) {
        if (isRecord(e) && typeof e['local-name'] === 'string') add(e['local-name'], { ...e, type });
      }
    }
  } else {
    throw new InputError('not a .repos file (expected a "repositories" mapping)', file, 1);
  }
  return out;
}
