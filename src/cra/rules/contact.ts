// Annex I, Part II (6) of Regulation (EU) 2024/2847 as data: what in a disclosure policy (SECURITY.md)
// Marque reads as "a contact address for the reporting of the vulnerabilities". The law asks for the
// address; these patterns are Marque's reading of how policies give one, each with what it means.

export const CONTACT_CITE = 'Annex I, Part II (6)';

/**
 * Platforms that receive vulnerability reports for a programme named in the link (bug bounty and
 * disclosure platforms): a link to one of them in the policy is a reporting channel.
 */
export const REPORTING_PLATFORMS: readonly { host: RegExp; name: string }[] = [
  { host: /(?:^|\.)hackerone\.com$/i, name: 'HackerOne' },
  { host: /(?:^|\.)bugcrowd\.com$/i, name: 'Bugcrowd' },
  { host: /(?:^|\.)intigriti\.com$/i, name: 'Intigriti' },
  { host: /(?:^|\.)yeswehack\.com$/i, name: 'YesWeHack' },
  { host: /(?:^|\.)immunefi\.com$/i, name: 'Immunefi' },
  { host: /(?:^|\.)huntr\.(?:com|dev)$/i, name: 'huntr' },
];

/** GitHub's private vulnerability reporting form of a repository: github.com/OWNER/REPO/security/advisories/new. */
export const GITHUB_PVR_FORM = /^https:\/\/github\.com\/[^/\s]+\/[^/\s]+\/security\/advisories\/new\/?(?:[?#]\S*)?$/i;
/** The same form linked relative to the repository (`../../security/advisories/new`): the repository is the one the file is read from. */
export const GITHUB_PVR_RELATIVE = /^(?:\.\.\/)+security\/advisories\/new\/?$/i;
/** GitHub's documentation of private vulnerability reporting, which a policy links to say "use it on this repository". */
export const GITHUB_PVR_DOCS = /^https:\/\/docs\.github\.com\/\S*privately-reporting-a-security-vulnerability/i;

/** Public trackers are no private reporting channel: a policy links them to say where not to report. */
export const PUBLIC_TRACKER = /^https?:\/\/(?:github\.com|gitlab\.com|codeberg\.org)\/[^/\s]+\/[^/\s]+\/(?:-\/)?(?:issues|discussions|pulls|merge_requests)\b/i;

/** A sentence, heading or link text that speaks of reporting a vulnerability. */
export const SPEAKS_OF_REPORTING = /\breport|\bvulnerab|\bsecurity (?:issues?|bugs?|problems?|contact|team|concerns?)\b|\bdisclos|\bbug bounty|\bpsirt\b|\bsecurity@/i;
/** Link text that asks for a report to be sent to the link (for a page that is no known platform). */
export const LINK_ASKS_FOR_REPORT = /\breport|\bsubmit|\bsecurity contact\b/i;
/**
 * A sentence that asks for a report to be sent somewhere ("Report vulnerabilities at https://…"): a bare
 * URL in it is the reporting page, unless the sentence gives an address of its own (then the URL is a
 * detail of it: a PGP key, the advisories page).
 */
export const SENTENCE_ASKS_FOR_REPORT = /\breport(?:s)?\s+(?:it|them|any|all|a|an|the|your|security|suspected|possible|potential|vulnerabilit)|\bsubmit\b|\breporting (?:form|page|portal)\b/i;
/** A mailbox whose name says it receives security reports (security@, psirt@, secalert@, …). */
export const SECURITY_MAILBOX = /^(?:[a-z0-9._-]*[._-])?(?:security|psirt|cert|csirt|secalert|secbugs|vulns?|vulnerabilit(?:y|ies)|disclosure)(?:[._+-][a-z0-9._-]*)?$/i;

/**
 * A sentence that gives an address for something else than reporting a vulnerability: it is not the
 * reporting contact, even when the sentence mentions reports ("contact … for permission or open a
 * HackerOne report").
 */
export const OTHER_PURPOSE = /\b(?:general|other|non-security|usage) (?:questions?|inquir|enquir|support)|\b(?:any|have) (?:other )?questions\b|\bquestions? (?:or|and) concerns\b|\bfor (?:permission|questions|support|help|press|media|sales|licensing|commercial|business|partnerships?|feedback)\b|\bcode of conduct\b|\bnon-security (?:problems?|issues?|bugs?)\b/i;

/** How an address found in the policy is judged, said in the evidence. */
export const POLICY_CONTACT_RULE = 'an address or link counts when its sentence, its section heading, its link text or its own mailbox name speaks of reporting a vulnerability and the sentence gives it for nothing else; an address in a list of people is a person, not the reporting contact';
