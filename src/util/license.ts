// Mapping of declared licence strings to SPDX expressions (spdx-expression-parse validates,
// spdx-correct fixes common spellings). Bare family names such as "BSD" or "GPL" name no single
// licence: they are kept as declared rather than guessed (BSI TR-03183-2 §6.1 wants SPDX or a
// LicenseRef, never a wrong identifier).
import parse from 'spdx-expression-parse';
import correct from 'spdx-correct';

const AMBIGUOUS = /^(?:the\s+)?(?:bsd|gpl|lgpl|agpl|mpl|cc|creative commons|gnu|apache|bsd[- ]?like|bsd[- ]?style|public domain)(?:\s+licen[cs]e)?$/i;

const cache = new Map<string, string | undefined>();

/** The SPDX expression for a declared licence, or undefined when it cannot be named safely. */
export function toSpdx(declared: string): string | undefined {
  const text = declared.trim();
  if (cache.has(text)) return cache.get(text);
  let result: string | undefined;
  if (text !== '' && !AMBIGUOUS.test(text)) {
    try {
      parse(text);
      result = text;
    } catch {
      result = correct(text, { upgrade: true }) ?? undefined;
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
