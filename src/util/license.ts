// Mapping of declared licence strings to SPDX expressions (spdx-expression-parse validates,
// spdx-correct fixes common spellings). Bare family names such as "BSD" or "GPL" name no single
// licence: they are kept as declared rather than guessed (BSI TR-03183-2 §6.1 wants SPDX or a
// LicenseRef, never a wrong identifier).
import parse from 'spdx-expression-parse';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { loadKept, saveKept } from './kept.ts';
import { spdxCorrect } from './lazy.ts';
import { BUILD_ID } from './package.ts';
import { cacheDir } from './yaml.ts';

const AMBIGUOUS = /^(?:the\s+)?(?:bsd|gpl|lgpl|agpl|mpl|cc|creative commons|gnu|apache|bsd[- ]?like|bsd[- ]?style|public domain)(?:\s+licen[cs]e)?$/i;

/**
 * npm's words for "no licence granted" and "the licence is in a file" (package.json "license"):
 * not SPDX expressions and nothing to correct (spdx-correct would try every transformation first).
 */
const NPM_NOT_SPDX = /^(?:unlicensed|see licen[cs]e in .*)$/i;

const cache = new Map<string, string | undefined>();

const numbers = (s: string) => s.match(/\d+(?:\.\d+)*/g) ?? [];
const LATER = /\+|later|>=|≥|newer|greater/i;
const FILLER = new Set(['license', 'licence', 'licensed', 'version', 'v', 'the', 'only', 'or', 'later', 'any', 'public']);

/**
 * spdx-correct fixes spellings but also guesses: "GPL (>= 2)" becomes GPL-3.0-or-later, "MIT-ish"
 * becomes MIT. A correction is kept only when it adds nothing: every version number in it is in
 * the text (2 and 2.0 alike), "or later" only where the text says so, and the text's own words are
 * the identifier's, give or take "licence", "version" and case (so "Apache 2" is Apache-2.0 and
 * "MIT License" is MIT, but "MIT-ish" stays as declared).
 */
function faithful(text: string, fixed: string): boolean {
  const have = numbers(text).map((n) => n.replace(/(\.0)+$/, ''));
  if (!numbers(fixed).every((n) => have.includes(n.replace(/(\.0)+$/, '')))) return false;
  if (/-or-later|\+$/.test(fixed) !== LATER.test(text)) return false;
  // What is left of the text once the identifier's words are taken out must be filler words only.
  const words = new Set(fixed.toLowerCase().split(/[^a-z]+/).filter(Boolean));
  return text.toLowerCase().replace(/\bgnu\b/g, ' ').replace(/v(?=\d)/g, ' ').split(/[^a-z]+/).filter(Boolean).every((w) => words.has(w) || FILLER.has(w));
}

/**
 * spdx-correct's answer, kept only when faithful. Loading spdx-correct builds large tables (~20 ms,
 * more than all of a small product's other licences), so an installed build keeps each answer by
 * build and text under $MARQUE_CACHE_DIR/licences/: a later run that meets the same spelling
 * ("Apache License 2.0", common in package.xml files) does not load it.
 */
function corrected(text: string): string | undefined {
  const kept = BUILD_ID ? join(cacheDir(), 'licences', `${createHash('sha256').update(BUILD_ID).update('\0').update(text).digest('hex')}.json`) : undefined;
  const header = { format: 1, build: BUILD_ID ?? '', key: 'licence' };
  // Not kept yet, or unreadable: corrected below.
  const known = kept ? (loadKept(kept, header) as { spdx?: string } | undefined) : undefined;
  if (known) return known.spdx;
  const fixed = spdxCorrect()(text, { upgrade: true }) ?? undefined;
  const result = fixed && faithful(text, fixed) ? fixed : undefined;
  if (kept) saveKept(kept, header, { spdx: result });
  return result;
}

/** The SPDX expression for a declared licence, or undefined when it cannot be named safely. */
export function toSpdx(declared: string): string | undefined {
  const text = declared.trim();
  if (cache.has(text)) return cache.get(text);
  let result: string | undefined;
  if (text !== '' && !AMBIGUOUS.test(text) && !NPM_NOT_SPDX.test(text)) {
    try {
      parse(text);
      result = text;
    } catch {
      // "ISC License", "The MIT License": an exact identifier wrapped in filler words.
      const bare = text.replace(/^the\s+/i, '').replace(/\s+licen[cs]e$/i, '').trim();
      if (bare !== text && isSpdxExpression(bare)) { cache.set(text, bare); return bare; }
      result = corrected(text);
    }
  }
  cache.set(text, result);
  return result;
}

/** Several licence tags mean the package is under all of them (REP 149: one tag per licence). */
export function mapLicenses(declared: readonly string[]): { spdx: string[]; raw: string[] } {
  const spdx: string[] = [];
  const raw: string[] = [];
  for (const d of declared) {
    const t = d.trim();
    if (!t) continue;
    const s = toSpdx(t);
    if (s) spdx.push(s); else raw.push(t);
  }
  return { spdx, raw };
}

export function isSpdxExpression(text: string): boolean {
  try {
    parse(text);
    return true;
  } catch {
    return false;
  }
}
