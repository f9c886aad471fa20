// The documentation a newcomer reads holds: every relative link in README.md and docs/*.md leads to
// a file (and heading) that exists, the README's tour runs as written on the example robot, and
// the JSON shapes the docs show are the ones the commands print.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { EXAMPLE, ROOT } from './helpers/paths.ts';
import { runTour, tourExcerpts, tourSteps } from './helpers/tour.ts';

const pages = [join(ROOT, 'README.md'), ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(ROOT, 'docs', f))];

/** Markdown outside fenced blocks and code spans: links in code are examples, not links. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.*)$/gm)) {
    const text = m[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

test('every relative link in README.md and docs/*.md leads to a file, and every #anchor to a heading', () => {
  const broken: string[] = [];
  let checked = 0;
  for (const page of pages) {
    const text = readFileSync(page, 'utf8');
    for (const m of prose(text).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …
      checked++;
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const file = path ? join(dirname(page), decodeURIComponent(path)) : page;
      const where = `${relative(ROOT, page)}: ${target}`;
      if (!existsSync(file)) { broken.push(`${where} (no such file)`); continue; }
      if (anchor !== undefined) {
        if (!statSync(file).isFile() || !file.endsWith('.md')) { broken.push(`${where} (an anchor into a file that is not Markdown)`); continue; }
        if (!anchors(readFileSync(file, 'utf8')).has(anchor)) broken.push(`${where} (no heading with that anchor)`);
      }
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(checked > 30, `only ${checked} links found: is the link pattern still right?`);
});

test('the anchor rule is GitHub\'s', () => {
  assert.deepEqual([...anchors('## `marque sbom [DIR|FILE] --format cyclonedx|spdx [-o FILE]`\n## Team server\n## Team server\n## Data sources — offline')],
    ['marque-sbom-dirfile---format-cyclonedxspdx--o-file', 'team-server', 'team-server-1', 'data-sources--offline']);
});

test('the README is a newcomer\'s page: under 15 KB, with the reference in docs/', () => {
  const size = statSync(join(ROOT, 'README.md')).size;
  assert.ok(size < 15 * 1024, `README.md is ${size} bytes`);
  for (const page of ['cli', 'cra', 'inventory', 'vulnerabilities', 'diff', 'attest', 'perimeter', 'server', 'data-sources', 'formats', 'security', 'benchmarks', 'design', 'testing']) {
    assert.ok(readFileSync(join(ROOT, 'README.md'), 'utf8').includes(`(docs/${page}.md)`), `the README points to docs/${page}.md`);
  }
});

test('the README\'s tour runs as written on the example robot: inventory, vulns, check, report, serve', async () => {
  const steps = tourSteps();
  for (const command of ['inventory', 'vulns', 'check', 'report', 'serve', 'push']) {
    assert.ok(steps.some((s) => s.args[0] === command), `the tour shows marque ${command}`);
  }
  const results = await runTour([process.execPath, join(ROOT, 'bin/marque.js')]);
  for (const r of results) assert.equal(r.code, r.step.exit, `${r.step.line}\n${r.err}`);
  const text = (command: string) => results.find((r) => r.step.args[0] === command)!.out;
  // What the tour's excerpts show is what the commands print.
  assert.match(text('inventory'), /225 components \(npm 172, pypi 11, ros 6, deb 36\), 369 dependencies, max depth 7\./);
  assert.match(text('vulns'), /PYSEC-2024-60\s+pkg:pypi\/idna@3\.6/);
  assert.match(text('check'), /open \(not decided not_affected or fixed\): 1 known vulnerability matched in 1 component/);
  assert.match(text('check'), /support until 2032-12: 5 years 9 months from 2027-03-01/);
  assert.match(results.find((r) => r.step.args[0] === 'push')!.err + text('push'), /pushed courier-robot 1\.4\.0/);
  // Every line of every output excerpt is a line the commands above it print (a line cut by "…", its beginning):
  // the check summary once read "4 met … 15 need evidence" after the counts had changed.
  const excerpts = tourExcerpts();
  assert.ok(excerpts.length >= 3, 'the tour shows what inventory, vulns and check print');
  for (const { commands, lines } of excerpts) {
    const printed = results.filter((r) => commands.includes(r.step.line)).flatMap((r) => `${r.out}\n${r.err}`.split('\n').map((l) => l.trimEnd()));
    assert.ok(printed.length, `no output for ${commands.join('; ')}`);
    for (const line of lines) {
      if (line === '…') continue;
      const cut = line.endsWith('…') ? line.slice(0, -1).trimEnd() : undefined;
      assert.ok(printed.some((p) => (cut !== undefined ? p.startsWith(cut) : p === line)), `the README shows a line ${commands.join('; ')} does not print:\n${line}`);
    }
  }
});

test('the perimeter JSON keys docs/perimeter.md shows are the top-level keys of the real output', () => {
  const doc = readFileSync(join(ROOT, 'docs/perimeter.md'), 'utf8');
  const block = /Output \(`--json`[^\n]*\n\n```json\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(block, 'docs/perimeter.md shows the output\'s shape');
  // Keys at the outermost level of the sketch: count brackets, keep strings seen at depth 1.
  const documented: string[] = [];
  let depth = 0;
  for (const m of block.matchAll(/"([A-Za-z]+)"|[{[]|[}\]]/g)) {
    if (m[0] === '{' || m[0] === '[') depth++;
    else if (m[0] === '}' || m[0] === ']') depth--;
    else if (depth === 1) documented.push(m[1]!);
  }
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/marque.js'), 'perimeter', EXAMPLE, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(documented.sort(), Object.keys(JSON.parse(r.stdout)).sort());
});
