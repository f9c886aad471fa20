// The contact for reporting vulnerabilities (Annex I, Part II (6)) as a disclosure policy gives it:
// many projects name it only in SECURITY.md, as an address, GitHub's private vulnerability reporting
// or a bug bounty platform. Which addresses count is src/cra/rules/contact.ts; whether an address can
// receive a report at all is the one judgement security.txt and security.contact get (util/answers).
import { unreachableContact } from '../util/answers.ts';
import {
  GITHUB_PVR_DOCS, LINK_ASKS_FOR_REPORT, GITHUB_PVR_FORM, GITHUB_PVR_RELATIVE, OTHER_PURPOSE, PUBLIC_TRACKER,
  REPORTING_PLATFORMS, SECURITY_MAILBOX, SENTENCE_ASKS_FOR_REPORT, SPEAKS_OF_REPORTING,
} from './rules/contact.ts';

export interface PolicyContact {
  /** The address as written (an email address, or a URL). */
  address: string;
  /** What it is, said in the evidence. */
  what: string;
  line: number;
  /** How the policy wrote an address it spelled out against harvesting ("security at astral dot sh"). */
  written?: string;
  /** Why no report reaches it (a reserved domain, a no-reply mailbox), when that is so. */
  unreachable?: string;
}

export interface PolicyContacts { contacts: PolicyContact[]; notTaken: string[] }

interface Block { text: string; lines: number[]; listed: boolean; heading: string }

const EMAIL = /(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])/g;
/**
 * An address written out against harvesting: `security at astral dot sh`, `info[AT]doyensec.com`. A
 * plain " at " counts only with a " dot " after it ("report it at security.acme.org" is no address).
 */
const WRITTEN_OUT = /(?<![\w.%+-])([A-Za-z0-9._%+-]+)\s*(\[at\]|\(at\)|\{at\}|\s+at\s+)\s*([A-Za-z0-9-]+(?:(?:\.|\s*(?:\[dot\]|\(dot\)|\{dot\})\s*|\s+dot\s+)[A-Za-z0-9-]+)+)/gi;

function writtenOut(m: RegExpMatchArray): string | undefined {
  const [, mailbox, at, domain] = m as unknown as [string, string, string, string];
  const plainAt = /^\s+at\s+$/i.test(at);
  if (plainAt && !/\s+dot\s+|\[dot\]|\(dot\)|\{dot\}/i.test(domain)) return undefined;
  const host = domain.replace(/\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+)\s*/gi, '.').replace(/\s+/g, '');
  if (!/\.[A-Za-z]{2,24}$/.test(host)) return undefined;
  return `${mailbox}@${host}`.toLowerCase();
}

const LINK = /\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const BARE_URL = /https?:\/\/[^\s<>()[\]"'`]+/g;

/** Paragraphs, list items and table rows, each with the line every character came from and the heading above it. */
function blocks(markdown: string): Block[] {
  // Comments are no text a reporter reads; they are blanked so that line numbers stay.
  const text = markdown.replace(/<!--[\s\S]*?(?:-->|$)/g, (c) => c.replace(/[^\n]/g, ' '));
  const out: Block[] = [];
  let heading = '';
  let cur: Block | undefined;
  let fence = false;
  const end = () => { if (cur) out.push(cur); cur = undefined; };
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (/^(?:```|~~~)/.test(line)) { fence = !fence; end(); return; }
    if (fence) return;
    const h = /^#{1,6}\s+(.*)$/.exec(line);
    if (h) { end(); heading = h[1]!; return; }
    if (!line) { end(); return; }
    const item = /^(?:[-*+]|\d+[.)])\s+/.test(line);
    const row = /^\|.*\|$/.test(line);
    if (item || row || (cur?.listed && !/^\s/.test(raw))) end();
    if (!cur) cur = { text: '', lines: [], listed: item || row, heading };
    const piece = (cur.text ? ' ' : '') + line;
    cur.text += piece;
    for (let k = 0; k < piece.length; k++) cur.lines.push(i + 1);
    if (row) end();
  });
  end();
  return out;
}

/** The sentence of a block a position falls in. */
function sentenceAt(text: string, at: number): string {
  const before = text.slice(0, at);
  const start = Math.max(...[...before.matchAll(/[.!?]\s+/g)].map((m) => m.index + m[0].length), 0);
  const rest = /[.!?](?:\s|$)/.exec(text.slice(at));
  return text.slice(start, rest ? at + rest.index + 1 : text.length).trim();
}

const isEmail = (v: string) => !/^[a-z][a-z0-9+.-]*:/i.test(v) && v.includes('@');
const EMAIL_IN = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
const short = (s: string) => (s.length > 90 ? `${s.slice(0, 87)}...` : s);

/**
 * The reporting contacts a disclosure policy gives, in the order it gives them, and the addresses it
 * holds that are not the reporting contact, each with the reason.
 */
export function policyContacts(markdown: string, file: string, isPlaceholder: (line: string) => boolean): PolicyContacts {
  const contacts: PolicyContact[] = [];
  const notTaken: string[] = [];
  const seen = new Set<string>();
  for (const b of blocks(markdown)) {
    if (isPlaceholder(b.text.replace(/^(?:[-*+]|\d+[.)])\s+/, ''))) continue;
    const found: { at: number; value: string; linkText?: string; written?: string }[] = [];
    for (const m of b.text.matchAll(LINK)) if (!/^mailto:/i.test(m[2]!)) found.push({ at: m.index, value: m[2]!, linkText: m[1]! });
    for (const m of b.text.matchAll(BARE_URL)) {
      const value = m[0].replace(/[.,;:!?]+$/, '');
      if (!found.some((f) => f.value === value)) found.push({ at: m.index, value });
    }
    for (const m of b.text.matchAll(EMAIL)) {
      // An address inside a URL (https://user@host) is no mailbox.
      if (/\/\/[^\s]*$/.test(b.text.slice(0, m.index))) continue;
      found.push({ at: m.index, value: m[0] });
    }
    for (const m of b.text.matchAll(WRITTEN_OUT)) {
      const value = writtenOut(m);
      if (value) found.push({ at: m.index, value, written: m[0].trim() });
    }
    found.sort((x, y) => x.at - y.at);
    for (const f of found) {
      const key = f.value.toLowerCase().replace(/\/$/, '');
      if (seen.has(key)) continue;
      const sentence = sentenceAt(b.text, f.at);
      const line = b.lines[f.at] ?? 1;
      const where = `${file}:${line}`;
      const speaks = SPEAKS_OF_REPORTING.test(sentence) || (!b.listed && SPEAKS_OF_REPORTING.test(b.heading));
      const take = (what: string) => {
        seen.add(key);
        const why = unreachableContact(f.value);
        contacts.push({ address: f.value, what, line, ...(f.written ? { written: f.written } : {}), ...(why ? { unreachable: why } : {}) });
      };
      if (OTHER_PURPOSE.test(sentence)) {
        if (isEmail(f.value)) { seen.add(key); notTaken.push(`${where}: ${f.value} is given for something else ("${short(sentence)}"), not as the reporting contact`); }
        continue;
      }
      if (isEmail(f.value)) {
        const mailbox = f.value.split('@')[0]!;
        if (SECURITY_MAILBOX.test(mailbox) || (speaks && !b.listed) || (b.listed && SPEAKS_OF_REPORTING.test(b.text.replace(f.value, '')))) take('address');
        else if (b.listed) { seen.add(key); notTaken.push(`${where}: ${f.value} is a person's address in a list, not the reporting contact`); }
        continue;
      }
      let url: URL | undefined;
      try { url = new URL(f.value); } catch { /* relative */ }
      if (!url) { if (GITHUB_PVR_RELATIVE.test(f.value)) take('GitHub private vulnerability reporting of this repository'); continue; }
      if (PUBLIC_TRACKER.test(f.value)) continue;
      if (GITHUB_PVR_FORM.test(f.value)) { take('GitHub private vulnerability reporting'); continue; }
      if (GITHUB_PVR_DOCS.test(f.value) && (speaks || SPEAKS_OF_REPORTING.test(f.linkText ?? ''))) { take('GitHub private vulnerability reporting of this repository (the policy links GitHub\'s documentation of it)'); continue; }
      const platform = REPORTING_PLATFORMS.find((p) => p.host.test(url.hostname));
      if (platform) {
        // A link to one disclosed report (hackerone.com/reports/…) is no programme to report to.
        if (!/^\/(?:reports|hacktivity|blog|resources)\b/i.test(url.pathname) && url.pathname.length > 1 && (speaks || SPEAKS_OF_REPORTING.test(f.linkText ?? ''))) take(`${platform.name} programme`);
        continue;
      }
      // Any other page: its link text asks for the report, or the bare URL stands in a sentence that does.
      if (url.protocol !== 'https:') continue;
      if (f.linkText !== undefined ? LINK_ASKS_FOR_REPORT.test(f.linkText) : SENTENCE_ASKS_FOR_REPORT.test(sentence) && !EMAIL_IN.test(sentence)) take('reporting page');
    }
  }
  return { contacts, notTaken };
}
