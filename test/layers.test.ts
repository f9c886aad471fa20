// The layers of src/ point one way (docs/design.md, "Layers"): model/ and util/ import nothing above
// them, nothing below api/ imports api/, only cli/ imports server/ (and nothing cli/), and no two
// top-level folders of src/ import each other, directly or through others. Every import counts: static, `import type`, `export … from` and
// `import('…')`. TypeScript's own pre-processor finds them, so an import in a comment or a string
// is not one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { ROOT } from './helpers/paths.ts';

const SRC = join(ROOT, 'src');

/** Folders that sit at the bottom: they import only from each other (and node:, npm packages). */
const BOTTOM = new Set(['model', 'util']);
/** Folders above the library API: they, and api/ itself, are the only ones that may import api/. */
const ABOVE_API = new Set(['api', 'cli', 'server']);
/** The front ends over the library, top first: each is imported only by itself and those above it (`marque serve` starts the server). */
const TOP = ['cli', 'server'];

interface Import {
  file: string; // relative to the repository root
  line: number;
  from: string; // top-level folder of src/ the importing file is in
  to: string; // top-level folder of src/ the imported file is in
  target: string; // relative to the repository root
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.isFile() && e.name.endsWith('.ts') ? [path] : [];
  });
}

function folderOf(path: string): string | undefined {
  const rel = relative(SRC, path);
  if (rel.startsWith('..') || !rel.includes(sep)) return undefined;
  return rel.split(sep)[0];
}

/** Every relative import of every src/**\/*.ts into src/, with its line. */
function imports(): Import[] {
  const out: Import[] = [];
  for (const path of sources(SRC)) {
    const text = readFileSync(path, 'utf8');
    const from = folderOf(path)!;
    for (const { fileName, pos } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue; // node: and npm packages
      const target = resolve(dirname(path), fileName);
      const to = folderOf(target);
      if (to === undefined) continue; // outside src/ (web/views, package.json …)
      const line = text.slice(0, pos).split('\n').length;
      out.push({ file: relative(ROOT, path), line, from, to, target: relative(ROOT, target) });
    }
  }
  return out;
}

const say = (i: Import, rule: string): string => `${i.file}:${i.line} imports ${i.target} (${rule})`;

/** Strongly connected groups of folders (Tarjan), each of more than one folder: a cycle. */
function cycles(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return groups;
}

/** A shortest path of folder edges from `start` to `goal`, within one group. */
function path(start: string, goal: string, group: Set<string>, edges: Map<string, Set<string>>): string[] {
  const previous = new Map<string, string>([[start, start]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    if (v === goal) break;
    for (const w of [...(edges.get(v) ?? [])].sort()) {
      if (group.has(w) && !previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  const out = [goal];
  for (let at = goal; at !== start; at = previous.get(at)!) out.unshift(previous.get(at)!);
  return out;
}

/** One cycle through every folder edge of a group, each cycle once (written from its least folder). */
function loops(group: Set<string>, edges: Map<string, Set<string>>): string[][] {
  const seen = new Map<string, string[]>();
  for (const a of [...group].sort()) {
    for (const b of [...(edges.get(a) ?? [])].sort()) {
      if (!group.has(b)) continue;
      const ring = [a, ...path(b, a, group, edges)].slice(0, -1);
      const least = ring.indexOf([...ring].sort()[0]!);
      const key = [...ring.slice(least), ...ring.slice(0, least)];
      seen.set(key.join('>'), [...key, key[0]!]);
    }
  }
  return [...seen.values()];
}

const all = imports();

test('the checker reads imports: static, type-only, re-exports and import()', () => {
  // A floor, so a checker that silently finds nothing fails here rather than passing the rules.
  assert.ok(all.length > 500, `only ${all.length} imports found`);
  // src/cli/registry.ts loads each command with import() only; src/model/dossier.ts imports types only.
  assert.ok(all.some((i) => i.file === 'src/cli/registry.ts' && i.target === 'src/cli/commands/init.ts'), 'import() not seen');
  assert.ok(all.some((i) => i.file === 'src/model/dossier.ts' && i.target === 'src/model/cra.ts'), 'import type not seen');
});

test('the cycle finder names each cycle with its path', () => {
  // Passing on a clean tree proves nothing of the finder: a made-up graph with two cycles sharing a folder.
  const edges = new Map(Object.entries({ api: ['sources'], sources: ['catalogs', 'model'], catalogs: ['sources', 'api'], model: [] }).map(([k, v]) => [k, new Set(v)]));
  const groups = cycles(edges);
  assert.deepEqual(groups, [['api', 'catalogs', 'sources']]);
  assert.deepEqual(loops(new Set(groups[0]), edges), [['api', 'sources', 'catalogs', 'api'], ['catalogs', 'sources', 'catalogs']]);
});

test('model/ and util/ import only from model/ and util/', () => {
  const bad = all.filter((i) => BOTTOM.has(i.from) && !BOTTOM.has(i.to)).map((i) => say(i, 'model/ and util/ import only model/ and util/'));
  assert.deepEqual(bad, [], `\n${bad.join('\n')}`);
});

test('nothing below api/ imports api/', () => {
  const bad = all.filter((i) => i.to === 'api' && !ABOVE_API.has(i.from)).map((i) => say(i, `only ${[...ABOVE_API].join('/, ')}/ import api/`));
  assert.deepEqual(bad, [], `\n${bad.join('\n')}`);
});

test('only cli/ imports server/, and nothing imports cli/', () => {
  const above = (to: string): string[] => TOP.slice(0, TOP.indexOf(to) + 1);
  const bad = all.filter((i) => TOP.includes(i.to) && !above(i.to).includes(i.from)).map((i) => say(i, `${i.to}/ is a front end: only ${above(i.to).join('/, ')}/ import it`));
  assert.deepEqual(bad, [], `\n${bad.join('\n')}`);
});

test('no import cycle between the top-level folders of src/', () => {
  const edges = new Map<string, Set<string>>();
  const witness = new Map<string, Import>();
  for (const i of all) {
    if (i.from === i.to) continue;
    if (!edges.has(i.from)) edges.set(i.from, new Set());
    edges.get(i.from)!.add(i.to);
    if (!witness.has(`${i.from}>${i.to}`)) witness.set(`${i.from}>${i.to}`, i);
  }
  const bad: string[] = [];
  for (const group of cycles(edges)) {
    bad.push(`folders ${group.join(', ')} import each other:`);
    for (const ring of loops(new Set(group), edges)) {
      const rule = `cycle ${ring.join(' -> ')}`;
      bad.push(...ring.slice(1).map((to, n) => `  ${say(witness.get(`${ring[n]}>${to}`)!, rule)}`));
    }
  }
  assert.deepEqual(bad, [], `\n${bad.join('\n')}`);
});
