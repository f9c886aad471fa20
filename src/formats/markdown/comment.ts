// Markdown for pull-request comments: text from inputs is escaped so a component name cannot
// inject markup, HTML or terminal escapes, and a comment stays under GitHub's 65,536-character limit
// by summarising long lists and pointing to the full JSON.

/** GitHub rejects comment bodies over 65,536 characters; keep room for what a CI step adds. */
export const COMMENT_LIMIT = 60_000;

// C0/C1 controls and DEL; the escape character starts ANSI sequences.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Text in a table cell or a sentence: no markup, no HTML, no line breaks, no control characters. */
export function mdText(s: string): string {
  return s.replace(CONTROL, '').replace(/\r?\n/g, ' ').replace(/[\\`*_{}[\]<>|#!~]/g, (c) => `\\${c}`).replace(/&/g, '&amp;');
}

/** A code span that holds any text: the fence is longer than any run of backticks inside. */
export function mdCode(s: string): string {
  const clean = s.replace(CONTROL, '').replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const longest = (clean.match(/`+/g) ?? []).reduce((m, r) => Math.max(m, r.length), 0);
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

export interface Section { title: string; head: string[]; rows: string[]; more?: string }

/**
 * Sections in order, each row added while the comment stays under `limit`; a section cut short
 * says how many rows are left out and where the full list is.
 */
export function boundedComment(intro: string[], sections: Section[], outro: string[], limit = COMMENT_LIMIT): string {
  const lines = [...intro];
  let size = lines.reduce((n, l) => n + l.length + 1, 0) + outro.reduce((n, l) => n + l.length + 1, 0);
  // Each later section keeps room for its title and a one-line summary.
  const reserve = (from: number) => sections.slice(from).reduce((n, s) => n + s.title.length + 200, 0);
  sections.forEach((s, i) => {
    if (!s.rows.length) return;
    const head = [s.title, '', ...s.head];
    const headSize = head.reduce((n, l) => n + l.length + 1, 0);
    if (size + headSize + reserve(i + 1) > limit) {
      lines.push(s.title, '', `_${s.rows.length} not shown: the comment would exceed GitHub's size limit. ${s.more ?? ''}_`.trimEnd(), '');
      size += s.title.length + 120;
      return;
    }
    lines.push(...head);
    size += headSize;
    let shown = 0;
    for (const r of s.rows) {
      if (size + r.length + 1 + reserve(i + 1) + 200 > limit) break;
      lines.push(r);
      size += r.length + 1;
      shown++;
    }
    if (shown < s.rows.length) lines.push('', `_… and ${s.rows.length - shown} more. ${s.more ?? ''}_`.trimEnd());
    lines.push('');
  });
  return [...lines, ...outro].join('\n');
}
