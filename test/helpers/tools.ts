// A test that needs a tool this machine lacks says so: a "# SKIP" line naming the tool and how to
// get it, and a skipped test. Under CI=true a missing tool fails the run instead: CI installs every
// tool (.ci/run), so a skip there would hide a test that never ran.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';

export function missingTool(t: TestContext | undefined, tool: string, howToGet: string): void {
  const why = `${tool} not installed (${howToGet})`;
  if (process.env['CI'] === 'true') assert.fail(`${why}; CI must have it`);
  console.log(`# SKIP ${why}`);
  t?.skip(why);
}
