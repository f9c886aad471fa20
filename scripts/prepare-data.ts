// Parses the bundled rosdistro and rosdep YAML once and writes the result beside each file with the
// SHA-256 of the text it came from, so that a first run of Marque reads JSON instead of parsing
// megabytes of YAML (parseYamlCached checks the hash). A step of scripts/build.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseYaml, PARSED_SUFFIX } from '../src/util/yaml.ts';
import { writeFileAtomic } from '../src/util/fs.ts';
import { BUNDLED_ROSDISTRO } from '../src/api/defaults.ts';

export function prepareData(): string {
  let n = 0;
  for (const e of readdirSync(BUNDLED_ROSDISTRO, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !/\.ya?ml$/.test(e.name)) continue;
    const file = join(e.parentPath, e.name);
    const text = readFileSync(file, 'utf8');
    const sha256 = createHash('sha256').update(text).digest('hex');
    writeFileAtomic(`${file}${PARSED_SUFFIX}`, JSON.stringify({ sha256, data: parseYaml(text, file) }));
    n++;
  }
  return `${n} bundled YAML files parsed`;
}

if (import.meta.main) process.stderr.write(`data: ${prepareData()}\n`);
