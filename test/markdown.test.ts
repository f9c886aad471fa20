// Pull-request comments: hostile names stay text, and a huge change stays under GitHub's limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffMarkdown } from '../src/diff/markdown.ts';
import { mdCode, mdText } from '../src/formats/markdown/comment.ts';
import type { DiffResult } from '../src/diff/diff.ts';

test('names cannot inject markup, HTML, table cells or terminal escapes', () => {
  assert.equal(mdText('a|b <img src=x> **bold** \u001b[31mred\n# h'), 'a\\|b \\<img src=x\\> \\*\\*bold\\*\\* \\[31mred \\# h');
  assert.equal(mdCode('pkg:npm/x`y|z'), '``pkg:npm/x`y\\|z``');
  assert.equal(mdCode('`tick'), '`` `tick ``');
});

test('a diff of 20,000 added components stays under 65,536 characters and says what it left out', () => {
  const added = Array.from({ length: 20_000 }, (_, i) => ({ purl: `pkg:npm/${'x'.repeat(40)}-${i}@1.0.0`, depth: 3, kind: 'runtime', paths: [['pkg:npm/app@1.0.0', `pkg:npm/${'x'.repeat(40)}-${i}@1.0.0`]] }));
  const d = { old: 'v1', new: 'v2', verdict: '20000 components added', components: { added, removed: [], changed: [] }, notRead: [], reassess: added.map((a) => ({ purl: a.purl, reason: 'added', depth: 3, kind: 'runtime' })) } as unknown as DiffResult;
  const md = diffMarkdown(d);
  assert.ok(md.length < 65_536, `${md.length} characters`);
  assert.match(md, /_… and \d+ more\. The full list: `marque diff OLD NEW --json`\._/);
  assert.match(md, /#### To re-assess \(20000\)/, 'a later section is still announced');
});
