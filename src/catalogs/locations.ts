// Where the distributions publish their catalogs: the rosdistro index names each distribution's
// cache (REP 153 "distribution_cache"). Marque fetches over HTTPS only, so the index's http:// is
// upgraded; repo.ros2.org serves the same file over TLS.
import { FileAccess, LIMITS } from '../util/file-access.ts';

import { join } from 'node:path';
import { BUNDLED_ROSDISTRO } from '../util/package.ts';
import { UsageError } from '../util/errors.ts';
import { isRecord, parseYaml } from '../util/yaml.ts';

export function rosdistroCacheUrl(distro: string, indexFile = join(BUNDLED_ROSDISTRO, 'index-v4.yaml')): string {
  const index = parseYaml(FileAccess.within(indexFile).readTextSync(indexFile, LIMITS.policy), indexFile);
  const dists = isRecord(index) && isRecord(index['distributions']) ? index['distributions'] : {};
  const entry = dists[distro];
  if (!isRecord(entry)) throw new UsageError(`unknown ROS distribution "${distro}"; the index knows ${Object.keys(dists).join(', ')}`);
  const url = entry['distribution_cache'];
  if (typeof url !== 'string') throw new UsageError(`the rosdistro index names no cache for ${distro}`);
  return url.replace(/^http:\/\//, 'https://');
}
