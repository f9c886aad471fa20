// Reference implementations used as oracles: Debian's python3-catkin-pkg, colcon and
// python3-rosdep2. .ci/run installs them; where they are missing the tests say so and skip.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PYTHON = '/usr/bin/python3';

function has(module: string): boolean {
  if (!existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ['-c', `import ${module}`]).status === 0;
}

export const oracles = {
  catkinPkg: has('catkin_pkg'),
  rosdistro: has('rosdistro'),
  apt: spawnSync('apt-get', ['--version']).status === 0,
  rosdep: has('rosdep2'),
  colcon: spawnSync('colcon', ['--help']).status === 0,
};

export function skipReason(name: keyof typeof oracles): string | false {
  if (oracles[name]) return false;
  const why = `${name} oracle not installed (apt-get install colcon python3-colcon-ros python3-catkin-pkg python3-rosdep2 python3-rosdistro); run .ci/run`;
  if (process.env['CI'] === 'true') throw new Error(`${why}; CI must have it`);
  console.log(`# SKIP ${why}`);
  return why;
}

export function python(script: string, input?: string): string {
  const r = spawnSync(PYTHON, ['-c', script], { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`python oracle failed: ${r.stderr}`);
  return r.stdout;
}
