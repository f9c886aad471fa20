// Whether what a manufacturer wrote answers a requirement: a contact that can receive vulnerability
// reports (Annex I, Part II (6); Art. 13(17)), a disclosure policy with something in it (Part II (5)),
// a value that is not a way of saying "none". What only looks like an answer is said, never counted.

/**
 * Domains no report can reach: reserved for documentation examples, tests and invalid names
 * (RFC 2606 §2–3: .example, .invalid, .test, .localhost and example.com/net/org; RFC 6761 §6).
 */
const RESERVED_DOMAIN = /(?:^|\.)(?:example\.(?:com|net|org)|example|invalid|test|localhost)\.?$/i;
/** A mailbox that by its name does not read what it receives. */
const NO_REPLY = /^(?:no-?reply|do-?not-?reply|donotreply|no_reply)(?:[+.-].*)?$/i;

/**
 * Why this contact (an email address, a mailto:, https: or other URI) cannot receive a report, or
 * undefined when nothing says it cannot.
 */
export function unreachableContact(value: string): string | undefined {
  const v = value.trim();
  let host: string | undefined;
  let mailbox: string | undefined;
  const email = /^(?:mailto:)?([^@\s/?]+)@([^@\s/?>]+)/i.exec(v);
  if (email) {
    try { mailbox = decodeURIComponent(email[1]!); } catch { mailbox = email[1]; }
    host = email[2];
  } else {
    try { host = new URL(v).hostname || undefined; } catch { /* not a URL: nothing to say about its host */ }
  }
  if (host && RESERVED_DOMAIN.test(host)) return `${host} is a domain reserved for examples, tests or invalid names (RFC 2606, RFC 6761): nothing sent there reaches anyone`;
  if (mailbox && NO_REPLY.test(mailbox)) return `${mailbox}@${host} is a no-reply mailbox`;
  return undefined;
}

/** A value that says there is none ("N/A", "none", "-"), which answers no requirement. */
export function saysNone(value: string): boolean {
  return /^\s*(?:n\/?a|none|no|nothing|nil|null|unknown|not applicable|-+|\?+)\s*\.?\s*$/i.test(value);
}

/**
 * GitHub's default SECURITY.md ("Create a security policy"): its sentences tell the author what to
 * write, and say nothing to a reporter.
 */
const GITHUB_TEMPLATE = [
  /Use this section to tell people about which versions of your project are\s+currently being supported with security updates\./gi,
  /Use this section to tell people how to report a vulnerability\./gi,
  /Tell them where to go, how often they can expect to get an update on a\s+reported vulnerability, what to expect if the vulnerability is accepted or\s+declined, etc\.?/gi,
];

/**
 * The text of a disclosure policy once headings, tables, comments, placeholders and GitHub's template
 * sentences are set aside: empty when the file states no policy.
 */
export function policyText(markdown: string, isPlaceholder: (line: string) => boolean): string {
  let text = markdown.replace(/<!--[\s\S]*?(?:-->|$)/g, ' ');
  for (const t of GITHUB_TEMPLATE) text = text.replace(t, ' ');
  return text.split(/\r?\n/).map((l) => l.trim())
    .filter((l) => l && !/^#{1,6}(?:\s|$)/.test(l) && !/^\|.*\|$/.test(l) && !/^(?:[-*_=]\s*){3,}$/.test(l) && !isPlaceholder(l.replace(/^(?:[-*+]|\d+\.)\s+/, '')))
    .join('\n').trim();
}
