// Run by "npm ci" (the prepare script): parses the bundled rosdistro and rosdep YAML once and
// writes the result beside each file with the SHA-256 of the text it came from, so that a first
// run of Marque reads JSON instead of parsing megabytes of YAML (parseYamlCached checks the hash).
import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseYaml, PARSED_SUFFIX } from '../src/util/yaml.ts';
import { writeFileAtomic } from '../src/util/fs.ts';
import { BUNDLED_ROSDISTRO } from '../src/api/defaults.ts';

let n = 0;
for (const e of readdirSync(BUNDLED_ROSDISTRO, { recursive: true, withFileTypes: true })) {
  if (!e.isFile() || !/\.ya?ml$/.test(e.name)) continue;
  const file = join(e.parentPath, e.name);
  const text = readFileSync(file, 'utf8');
  const sha256 = createHash('sha256').update(text).digest('hex');
  writeFileAtomic(`${file}${PARSED_SUFFIX}`, JSON.stringify({ sha256, data: parseYaml(text, file) }));
  n++;
}
process.stderr.write(`prepare-data: ${n} bundled YAML files parsed\n`);
