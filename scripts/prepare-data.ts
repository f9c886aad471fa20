// Parses the bundled rosdistro and rosdep YAML once and writes the result beside each file with the
// SHA-256 of the text it came from, so that a first run of Marque reads JSON instead of parsing
// megabytes of YAML (parseYamlCached checks the hash); and, for rosdep rule files and distribution
// files, the lookup form an installed package reads (bundledIndex). A step of scripts/build.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { bundledIndexText, INDEX_SUFFIX, isRecord, parseYaml, PARSED_SUFFIX } from '../src/util/yaml.ts';
import { distributionIndex } from '../src/sources/ros/rosdistro.ts';
import { writeFileAtomic } from '../src/util/fs.ts';
import { BUNDLED_ROSDISTRO } from '../src/util/package.ts';

export function prepareData(): string {
  let n = 0;
  for (const e of readdirSync(BUNDLED_ROSDISTRO, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !/\.ya?ml$/.test(e.name)) continue;
    const file = join(e.parentPath, e.name);
    const text = readFileSync(file, 'utf8');
    const sha256 = createHash('sha256').update(text).digest('hex');
    const data = parseYaml(text, file);
    writeFileAtomic(`${file}${PARSED_SUFFIX}`, JSON.stringify({ sha256, data }));
    // The lookup forms an installed package reads instead (src/util/yaml.ts, bundledIndex).
    if (e.parentPath.endsWith('rosdep') && isRecord(data)) {
      writeFileAtomic(`${file}${INDEX_SUFFIX}`, bundledIndexText({}, Object.entries(data).map(([k, v]) => [k, JSON.stringify(v)])));
    } else if (e.name === 'distribution.yaml') {
      writeFileAtomic(`${file}${INDEX_SUFFIX}`, distributionIndex(text, file));
    }
    n++;
  }
  return `${n} bundled YAML files parsed`;
}

if (import.meta.main) process.stderr.write(`data: ${prepareData()}\n`);
