// Checks that moving documentation lost nothing: every sentence, table row and code line of a
// Markdown file at an earlier git revision must still appear, whitespace aside, in README.md or
// docs/*.md of the working tree. Prints those that do not, and exits 1 if there are any.
//
//   node scripts/docs-sentences.ts [REV] [FILE]      (default: HEAD README.md)
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [rev = 'HEAD', file = 'README.md'] = process.argv.slice(2);
const root = join(import.meta.dirname, '..');
const old = execFileSync('git', ['show', `${rev}:${file}`], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });

// Link targets move with the page (docs/screenshots/x.png is screenshots/x.png from docs/), and
// heading levels and list markers change: compare the words only.
const norm = (s: string) => s.replace(/\]\((?:\.\.\/)?docs\//g, '](').replace(/\s+/g, ' ').trim();

function pieces(markdown: string): string[] {
  const out: string[] = [];
  let prose: string[] = [];
  let fenced = false;
  const flush = () => {
    const text = prose.join(' ');
    prose = [];
    // A sentence ends at . ; : ! ? followed by a space and something that starts a sentence.
    for (const s of text.split(/(?<=[.;!?:])\s+(?=[A-Z`*(_"])/)) if (norm(s)) out.push(norm(s));
  };
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) { flush(); fenced = !fenced; continue; }
    const text = line.replace(/^#+\s+/, '').replace(/^\s*[-*]\s+/, '');
    if (fenced || line.startsWith('|') || /^#/.test(line)) { flush(); if (norm(text)) out.push(norm(text)); continue; }
    if (!text.trim() || /^\s*[-*]\s/.test(line)) flush();
    if (text.trim()) prose.push(text);
  }
  flush();
  return out;
}

const corpus = [join(root, 'README.md'), ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(root, 'docs', f))]
  .map((f) => norm(readFileSync(f, 'utf8').split('\n').map((l) => l.replace(/^#+\s+/, '').replace(/^\s*[-*]\s+/, '')).join('\n')))
  .join('\n');
const missing = pieces(old).filter((p) => !corpus.includes(p));
for (const m of missing) process.stdout.write(`missing: ${m}\n`);
process.stdout.write(`${pieces(old).length - missing.length} of ${pieces(old).length} pieces of ${rev}:${file} found in README.md and docs/*.md\n`);
process.exitCode = missing.length ? 1 : 0;
