// The Annex I checklist for a product: each requirement met (Marque verified it), declared (the
// manifest states it, Marque cannot verify it), not met, or needing evidence from a person.
import { FileAccess, LIMITS } from '../util/file-access.ts';
import { plural } from '../util/text.ts';
import { join } from 'node:path';
import type { Manifest } from '../manifest/manifest.ts';
import type { Coverage, Finding } from '../model/advisory.ts';
import type { CheckItem } from '../model/cra.ts';
import { OS_EOL, ROS_DISTRO_EOL, type PlatformEol } from '../model/platform-eol.ts';
import { ANNEX_I, SUPPORT_PERIOD, type Requirement } from './rules/annex-i.ts';
import { coverageSentence, gapSummary, restsOnText } from '../advisories/coverage.ts';
import { countVulnerabilities, COUNTED, vulnerabilitiesText } from '../model/counting.ts';
import { isPlaceholder } from '../manifest/manifest.ts';
import { policyText, saysNone, unreachableContact } from '../util/answers.ts';
import { policyContacts } from './policy-contact.ts';
import { POLICY_CONTACT_RULE } from './rules/contact.ts';

/** The product's SBOM against a profile's mandatory requirements (marque sbom check). */
export interface SbomConformance { profile: string; failed: string[]; failedUnexplained: string[] }

export interface CheckInput {
  dir: string;
  manifest: Manifest;
  today: Date;
  /** Present when the inventory could be built. */
  inventory?: {
    components: number; errors: number; notAnalysed?: string[]; sbomProfile?: SbomConformance;
    /** Components whose own dependencies the SBOM marks "unknown" (CycloneDX compositions). */
    unknownComposition?: string[];
    /** Dependencies named but not resolved to a component. */
    unresolved?: string[];
    /** For a ROS workspace: the distribution and platform ("ubuntu:jammy") the inventory was resolved for, declared or assumed. */
    rosdistro?: string;
    platform?: string;
  };
  /** What the perimeter found (marque perimeter), when the product declares an architecture or has launch files. */
  perimeter?: { interfaces: { id: string; kind: string; probable: boolean }[]; reached: number; countedIn: number; notes: number } | { missing: string };
  /** Present when an advisory database was available. */
  findings?: Finding[];
  /** What those findings cover, over the shipped components. */
  coverage?: Coverage;
}

/** What the manifest left as a placeholder at these paths, said as evidence (a placeholder is never an answer). */
function placeholderAt(m: Manifest, ...paths: string[]): string[] {
  return m.placeholders.filter((p) => paths.includes(p.path)).map((p) => `${m.file}:${p.line}: ${p.path} is a placeholder ("${p.value.length > 60 ? `${p.value.slice(0, 57)}...` : p.value}"), not an answer`);
}

/** RFC 9116 security.txt: Contact is required, Expires is required and must not have passed. */

/** What keeps a figure whose every listed component was checked from being the whole product. */
function notListed(cov: Coverage, unread: number): string {
  const why = [
    cov.closure?.length ? 'the dependency closure was not followed everywhere' : '',
    cov.unlisted?.unresolved ? `${cov.unlisted.unresolved} dependenc${cov.unlisted.unresolved === 1 ? 'y' : 'ies'} that would ship could not be resolved to a version` : '',
    unread ? `${unread} lockfile(s) could not be read` : '',
  ].filter(Boolean);
  return why.length ? why.join(', and ') : 'not everything the product ships is listed';
}

export function readSecurityTxt(dir: string, today: Date): { file: string; contacts: string[]; problems: string[] } | undefined {
  const files = FileAccess.within(dir);
  for (const rel of ['.well-known/security.txt', 'security.txt']) {
    const file = join(dir, rel);
    if (!files.exists(file)) continue;
    // RFC 9116 files are a few lines; a link to /dev/zero or out of the product, or a FIFO, is refused unread.
    let text: string;
    try { text = files.readTextSync(file, LIMITS.small); } catch (e) { return { file: rel, contacts: [], problems: [(e as Error).message] }; }
    const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    const field = (n: string) => lines.filter((l) => l.toLowerCase().startsWith(`${n.toLowerCase()}:`)).map((l) => l.slice(n.length + 1).trim());
    const problems: string[] = [];
    const contacts = field('Contact');
    if (!contacts.length) problems.push('no Contact field (RFC 9116 §2.5.3)');
    // Each Contact is a URI, and a web URI is https (RFC 9116 §2.5.3); one at least must reach someone.
    const notUris = contacts.filter((c) => !/^[a-z][a-z0-9+.-]*:\S+$/i.test(c) || /^http:/i.test(c));
    if (notUris.length) problems.push(`Contact ${notUris.map((c) => `"${c}"`).join(', ')} is not a URI (mailto:, tel:, https://) (RFC 9116 §2.5.3)`);
    const unreachable = contacts.map((c) => unreachableContact(c)).filter((x): x is string => Boolean(x));
    if (contacts.length && contacts.length === notUris.length + unreachable.length && unreachable.length) problems.push(`no Contact can receive a report: ${unreachable.join('; ')}`);
    const expires = field('Expires');
    if (expires.length !== 1) problems.push('exactly one Expires field is required (RFC 9116 §2.5.5)');
    else if (Number.isNaN(Date.parse(expires[0]!)) || new Date(expires[0]!) < today) problems.push(`Expires ${expires[0]} has passed or is not a date (RFC 9116 §2.5.5)`);
    return { file: rel, contacts, problems };
  }
  return undefined;
}

/**
 * The disclosure policy of Annex I, Part II (5): the first of the file security.disclosurePolicy names,
 * SECURITY.md, .github/SECURITY.md and docs/SECURITY.md (the name in any case) that states a policy, or why none does.
 */
function findPolicy(input: Pick<CheckInput, 'dir' | 'manifest'>): { file?: string; text?: string; refused: string[] } {
  const declared = input.manifest.security?.disclosurePolicy;
  const refused: string[] = [];
  if (declared && /^https?:\/\//.test(declared)) {
    const why = unreachableContact(declared);
    if (why) refused.push(`security.disclosurePolicy ${declared}: ${why}`);
  } else if (declared && saysNone(declared)) refused.push(`security.disclosurePolicy says "${declared}": no policy`);
  const files = FileAccess.within(input.dir);
  // GitHub finds the policy whatever the case of its name (sindresorhus's packages keep .github/security.md).
  const named = (folder: string): string[] => {
    let names: string[] = [];
    try { names = files.list(join(input.dir, folder)).map((e) => e.name).filter((n) => n.toLowerCase() === 'security.md'); } catch { /* no such folder */ }
    return names.sort((a, b) => Number(b === 'SECURITY.md') - Number(a === 'SECURITY.md')).map((n) => (folder ? `${folder}/${n}` : n));
  };
  for (const f of [declared, ...named(''), ...named('.github'), ...named('docs')].filter((x): x is string => !!x && !/^https?:\/\//.test(x) && !saysNone(x))) {
    if (!files.exists(join(input.dir, f))) continue;
    // Only a regular file of the product counts: a FIFO, or a link out of the product, is said and not read.
    let text: string;
    try { files.regularFile(join(input.dir, f)); text = files.readTextSync(join(input.dir, f), LIMITS.manifest); } catch (e) { refused.push(`${f}: ${(e as Error).message}`); continue; }
    // A file that exists is not yet a policy: an empty one, or GitHub's unedited template, tells a reporter nothing.
    if (policyText(text, isPlaceholder)) return { file: f, text, refused };
    refused.push(`${f} states no policy: it holds ${text.trim() ? 'only headings, placeholders or GitHub\'s template text' : 'nothing'}`);
  }
  return { refused };
}

/** A contact for vulnerability reports as read: the address, where it was read (a file:line or a marque.yaml field), and why no report reaches it, when that is so. */
export interface ContactSeen { address: string; source: string; what?: string; written?: string; why?: string }

/**
 * The contact for reporting vulnerabilities (Annex I, Part II (6)), found once for every view: check
 * judges it, docs draws it as Annex II (2)'s single point of contact. A product's security.txt with no
 * problem is `met`; else security.contact, product.securityTxt, or the contacts the disclosure policy
 * (5) gives (src/cra/rules/contact.ts says which count) are `declared`; else `not-met`. `reaching` are
 * the contacts that can receive a report, in order; `unreachable` those that cannot (a reserved domain,
 * a no-reply mailbox, "N/A"), each with why; `evidence` is what check says.
 */
export interface ContactFinding {
  status: 'met' | 'declared' | 'not-met';
  /** Where the answer was read: the security.txt file, the marque.yaml field, or the policy's file:line. */
  source?: string;
  reaching: ContactSeen[];
  unreachable: ContactSeen[];
  evidence: string[];
}

export function findContact(input: Pick<CheckInput, 'dir' | 'manifest' | 'today'>): ContactFinding {
  const m = input.manifest;
  const evidence: string[] = [];
  const unreachable: ContactSeen[] = [];
  const txt = readSecurityTxt(input.dir, input.today);
  if (txt) {
    const seen = txt.contacts.map((c) => ({ address: c, source: txt.file, why: unreachableContact(c) }));
    if (!txt.problems.length) return { status: 'met', source: txt.file, reaching: seen.filter((c) => !c.why).map(({ address, source }) => ({ address, source })), unreachable: seen.filter((c) => c.why), evidence: [`${txt.file}: Contact ${txt.contacts.join(', ')}`] };
    unreachable.push(...seen.filter((c) => c.why));
    evidence.push(`${txt.file}: ${txt.problems.join('; ')}`);
  }
  // A declared contact is taken at its word, unless it says itself that no report reaches it.
  const contact = m.security?.contact;
  const contactWhy = contact ? (saysNone(contact) ? `says "${contact}"` : unreachableContact(contact)) : undefined;
  const yaml = (field: string) => `marque.yaml: ${field}`;
  if (contact && !contactWhy) return { status: 'declared', source: yaml('security.contact'), reaching: [{ address: contact, source: yaml('security.contact') }], unreachable, evidence: [...evidence, `contact ${contact}`] };
  if (contact && contactWhy) {
    evidence.push(`security.contact ${contact}: ${contactWhy}`);
    unreachable.push({ address: contact, source: yaml('security.contact'), why: saysNone(contact) ? `it says "${contact}"` : contactWhy });
  }
  const published = m.product.securityTxt;
  const publishedWhy = published ? unreachableContact(published) : undefined;
  if (published && !publishedWhy) return { status: 'declared', source: yaml('product.securityTxt'), reaching: [{ address: published, source: yaml('product.securityTxt') }], unreachable, evidence: [...evidence, `security.txt published at ${published}`] };
  if (published && publishedWhy) {
    evidence.push(`product.securityTxt ${published}: ${publishedWhy}`);
    unreachable.push({ address: published, source: yaml('product.securityTxt'), why: publishedWhy });
  }
  // The disclosure policy (5) found: the contact it gives for reports, written by the manufacturer
  // and not verified by Marque, is declared as security.contact is (rules/contact.ts says which count).
  const policy = findPolicy(input);
  if (policy.file && policy.text !== undefined) {
    const file = policy.file;
    const { contacts, notTaken } = policyContacts(policy.text, file, isPlaceholder);
    const seen = contacts.map((c) => ({ address: c.address, source: `${file}:${c.line}`, what: c.what, ...(c.written ? { written: c.written } : {}), ...(c.unreachable ? { why: c.unreachable } : {}) }));
    const reaching = seen.filter((c) => !c.why);
    unreachable.push(...seen.filter((c) => c.why));
    const said = [...seen.filter((c) => c.why).map((c) => `${c.source}: ${c.address}: ${c.why}`), ...notTaken];
    if (reaching.length) {
      return {
        status: 'declared', source: reaching[0]!.source, reaching, unreachable,
        evidence: [...evidence, ...reaching.map((c) => `${c.source}: ${c.what} ${c.address}${c.written ? ` (written "${c.written}")` : ''}, given for reporting vulnerabilities (written in the policy; Marque did not check that it receives reports)`), ...said],
      };
    }
    evidence.push(...said);
    if (!contacts.length) evidence.push(`${file} gives no address or link for reporting vulnerabilities (${POLICY_CONTACT_RULE})`);
  }
  return { status: 'not-met', reaching: [], unreachable, evidence };
}

function monthsBetween(from: Date, ym: string): number {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return (y - from.getUTCFullYear()) * 12 + (m - (from.getUTCMonth() + 1));
}

function evaluate(req: Requirement, input: CheckInput): Omit<CheckItem, 'id' | 'text' | 'cite'> {
  const m = input.manifest;
  switch (req.evidence) {
    case 'sbom': {
      if (!input.inventory) return { status: 'needs-evidence', evidence: ['the inventory could not be built'], guidance: req.guidance };
      if (input.inventory.errors) return { status: 'not-met', evidence: [`${input.inventory.components} components, but ${input.inventory.errors} input error(s) leave the SBOM incomplete (marque inventory lists them)`] };
      const unread = input.inventory.notAnalysed ?? [];
      if (unread.length) return { status: 'needs-evidence', evidence: [`${input.inventory.components} components, but ${unread.length} lockfile(s) or manifest(s) Marque cannot read yet are not in the SBOM: ${unread.slice(0, 5).join(', ')}${unread.length > 5 ? ', …' : ''}`], guidance: 'Add an SBOM of those parts from a tool that reads them (marque reads CycloneDX and SPDX JSON), or exclude them with --exclude when they are not shipped' };
      // Met only when the composition is complete (every component's dependencies known, every one
      // resolved: the full graph, not only the top level Annex I Part II (1) asks at least) and the SBOM
      // meets the mandatory requirements of the SBOM guideline (BSI TR-03183-2).
      const tr = input.inventory.sbomProfile;
      const unknown = input.inventory.unknownComposition ?? [];
      const unresolved = input.inventory.unresolved ?? [];
      const evidence: string[] = [];
      const guidance: string[] = [];
      if (tr?.failed.length) {
        evidence.push(`${input.inventory.components} components, but the SBOM does not meet ${tr.failed.length} mandatory requirement(s) of ${tr.profile}: ${tr.failed.join('; ')}`,
          tr.failedUnexplained.length ? `for ${tr.failedUnexplained.join(', ')} the SBOM gives no reason` : 'each miss is data the inputs do not hold; the SBOM says which (marque sbom check DIR --profile tr-03183-2)');
        guidance.push('Give Marque the inputs that hold the missing data (an apt index or the image for OS packages, lockfiles with hashes, the package files that ship with --artefacts DIR, the build\'s output), or add the fields to the SBOM before it is delivered');
      }
      if (unknown.length || unresolved.length) {
        const few = (xs: string[]) => `${xs.slice(0, 5).join(', ')}${xs.length > 5 ? ', …' : ''}`;
        evidence.push(`${input.inventory.components} components, but the composition is not complete`);
        if (unknown.length) evidence.push(`the SBOM marks the dependencies of ${unknown.length} of ${input.inventory.components} components "unknown" (compositions): ${few(unknown)}`);
        if (unresolved.length) evidence.push(`${plural(unresolved.length, 'dependency', 'dependencies')} could not be resolved: ${few(unresolved)}`);
        guidance.push('Give Marque what follows the closure (the rosdistro cache of the distribution: marque db update --rosdistro-cache DISTRO; an apt index or the image\'s dpkg status for OS packages; lockfiles), or add an SBOM of those parts');
      }
      if (evidence.length) return { status: 'needs-evidence', evidence, guidance: guidance.join('. ') };
      return { status: 'met', evidence: [`marque sbom can produce CycloneDX 1.6 / SPDX 2.3 for ${input.inventory.components} components, with the full dependency graph${tr ? `, meeting every mandatory requirement of ${tr.profile}` : ''}`] };
    }
    case 'no-known-exploitable': {
      if (!input.findings) return { status: 'needs-evidence', evidence: ['no advisory database; run marque db update or marque db import'], guidance: req.guidance };
      const open = input.findings.filter((f) => f.status === 'affected' || f.status === 'under_investigation');
      const cov = input.coverage;
      // "No known vulnerability" holds only for what was looked at: every shipped component checked against fresh data.
      const unread = input.inventory?.notAnalysed ?? [];
      if (!open.length && cov?.complete && !unread.length) {
        return { status: 'met', evidence: [`${vulnerabilitiesText(countVulnerabilities(input.findings))}, all decided not_affected or fixed`, coverageSentence(cov)] };
      }
      if (!open.length) {
        const gaps = cov ? gapSummary(cov) : [];
        const checked = cov && cov.coveredFresh === cov.components
          ? `no open finding, and all ${cov.components} ${COUNTED} listed were checked against fresh advisory data${restsOnText(cov)}, but ${notListed(cov, unread.length)}`
          : `no open finding, but only ${cov?.coveredFresh ?? 0} of ${cov?.components ?? '?'} ${COUNTED} were checked against fresh advisory data${cov ? restsOnText(cov) : ''}`;
        return {
          status: 'needs-evidence',
          evidence: [
            checked,
            ...gaps.map((g) => `not checked: ${g}`),
            ...(unread.length ? [`not checked: the components locked by ${unread.length} file(s) Marque cannot read yet`] : []),
            ...(cov?.unlisted?.unresolved ? [`not checked: ${cov.unlisted.unresolved} dependenc${cov.unlisted.unresolved === 1 ? 'y' : 'ies'} that would ship, which could not be resolved to a version (${cov.unlisted.examples.filter((e) => !e.endsWith(', not read)')).join(', ')})`] : []),
          ],
          guidance: req.guidance,
        };
      }
      return { status: 'not-met', evidence: [`open (not decided not_affected or fixed): ${vulnerabilitiesText(countVulnerabilities(open))} (marque vulns)`], guidance: req.guidance };
    }
    case 'cvd-policy': {
      const declared = m.security?.disclosurePolicy;
      if (declared && /^https?:\/\//.test(declared) && !unreachableContact(declared)) return { status: 'declared', evidence: [`policy published at ${declared}`], source: 'marque.yaml: security.disclosurePolicy' };
      const policy = findPolicy(input);
      if (policy.file) return { status: 'met', evidence: [`${policy.file} states a disclosure policy`], source: policy.file };
      return { status: 'not-met', evidence: [...policy.refused, ...(policy.refused.length ? [] : ['no SECURITY.md and no security.disclosurePolicy URL']), ...placeholderAt(m, 'security.disclosurePolicy')], guidance: req.guidance };
    }
    case 'contact': {
      const c = findContact(input);
      if (c.status !== 'not-met') return { status: c.status, evidence: c.evidence, source: c.source! };
      return { status: 'not-met', evidence: [...c.evidence, 'no contact address that can receive vulnerability reports', ...placeholderAt(m, 'security.contact', 'product.securityTxt')], guidance: req.guidance };
    }
    case 'update-mechanism': {
      const mechanism = m.support?.updates?.mechanism;
      if (mechanism && saysNone(mechanism)) return { status: 'needs-evidence', evidence: [`support.updates.mechanism says "${mechanism}": no update mechanism is declared`], guidance: req.guidance };
      return !mechanism
        ? { status: 'needs-evidence', evidence: ['no update mechanism declared', ...placeholderAt(m, 'support.updates.mechanism')], guidance: req.guidance }
        : { status: 'declared', evidence: [mechanism], source: 'marque.yaml: support.updates.mechanism' };
    }
    case 'automatic-updates':
      if (m.support?.updates?.automatic === undefined) return { status: 'needs-evidence', evidence: ['not declared'], guidance: req.guidance };
      return m.support.updates.automatic
        ? { status: 'declared', evidence: ['automatic security updates, on by default'], source: 'marque.yaml: support.updates.automatic' }
        : { status: 'needs-evidence', evidence: ['automatic updates are off: justify under recital 56 (users would not expect them, e.g. industrial settings) in the technical documentation'], source: 'marque.yaml: support.updates.automatic', guidance: req.guidance };
    case 'separate-security-updates':
      return m.support?.updates?.separateFromFeatures
        ? { status: 'declared', evidence: ['security updates are released separately from functionality updates'], source: 'marque.yaml: support.updates.separateFromFeatures' }
        : { status: 'needs-evidence', evidence: ['not declared'], guidance: req.guidance };
    case 'support-period': {
      const end = m.support?.periodEnd;
      if (!end) return { status: 'not-met', evidence: ['no support period end declared', ...placeholderAt(m, 'support.periodEnd')], guidance: req.guidance };
      const from = m.support?.placedOnMarket ? new Date(m.support.placedOnMarket) : input.today;
      const months = monthsBetween(from, end);
      const evidence = [`support until ${end}: ${months < 0 ? `${yearsAndMonths(-months)} before` : `${yearsAndMonths(months)} from`} ${from.toISOString().slice(0, 10)}`];
      // Platforms that end before the support period does: the manufacturer must cover the gap.
      for (const p of supportedPlatforms(m, input.inventory)) if (p.end < end) evidence.push(`warning: ${p.platform} reaches end of life in ${p.end}${p.note ? ` (${p.note})` : ''}, before the support period ends; plan how updates continue (Art. 13(8) names the operating environment and core components)${p.assumed ? `; ${p.assumed}` : ''}`);
      // Each subsystem and hardware part has its own end of support; one that ends first is a gap to cover.
      for (const [what, list] of [['subsystem', m.subsystems ?? []], ['hardware part', m.hardware ?? []]] as const) {
        for (const x of list) {
          if (!x.supportEnd) evidence.push(`${what} ${x.id}: no end of support declared (supportEnd); whether it lasts the support period is not known`);
          else if (x.supportEnd < end) evidence.push(`warning: ${what} ${x.id} is supported until ${x.supportEnd}, before the support period ends (${end}); plan its updates or replacement (Art. 13(8))`);
        }
      }
      // A period that has ended covers no unit made available now: its vulnerabilities are no longer handled (Art. 13(8)).
      const thisMonth = input.today.toISOString().slice(0, 7);
      const ended = end < thisMonth ? { status: 'needs-evidence' as const, evidence: [...evidence, `the support period ended in ${end}, before this month (${thisMonth}): vulnerabilities are no longer handled (Art. 13(8)); a product still made available needs a support period that has not ended, stated at purchase (Art. 13(19))`], source: 'marque.yaml: support.periodEnd', guidance: req.guidance } : undefined;
      if (months >= 60) return ended ?? { status: 'met', evidence, source: 'marque.yaml: support.periodEnd' };
      if (m.support?.expectedUseYears !== undefined && m.support.expectedUseYears < 5 && months >= m.support.expectedUseYears * 12) {
        return ended ?? { status: 'declared', evidence: [...evidence, `expected use time ${m.support.expectedUseYears} years${m.support.justification ? `: ${m.support.justification}` : ''}`], source: 'marque.yaml: support.expectedUseYears' };
      }
      return { status: 'not-met', evidence: [...evidence, 'shorter than five years without a shorter expected use time'], guidance: req.guidance };
    }
    case 'attack-surface': {
      // Marque lists what faces the attacker; whether that surface is limited enough is a judgement it cannot make.
      const p = input.perimeter;
      if (!p) return { status: 'needs-evidence', evidence: ['no architecture in marque.yaml and no launch files: the external interfaces are not modelled'], guidance: req.guidance };
      if ('missing' in p) return { status: 'needs-evidence', evidence: [p.missing], guidance: req.guidance };
      const declared = p.interfaces.filter((i) => !i.probable);
      const probable = p.interfaces.filter((i) => i.probable);
      const list = (xs: typeof declared) => xs.slice(0, 8).map((i) => `${i.id} (${i.kind})`).join(', ') + (xs.length > 8 ? `, … (${xs.length - 8} more)` : '');
      return {
        status: 'needs-evidence',
        evidence: [
          p.interfaces.length ? `${p.interfaces.length} external interface(s) in the model${declared.length ? `; declared: ${list(declared)}` : ''}${probable.length ? `; probable, from what the launch files start: ${list(probable)}` : ''}` : 'no external interface in the model',
          `${p.reached} component(s) reached from an external interface, ${p.countedIn} counted in to be safe (marque perimeter)`,
          ...(p.notes ? [`${p.notes} note(s) on what the model could not read or decide (marque perimeter lists them)`] : []),
        ],
        guidance: 'Justify each external interface the product keeps open and how what it reaches is confined (marque perimeter --format svg draws it)',
      };
    }
    case 'manual':
      return { status: 'needs-evidence', evidence: [], guidance: req.guidance };
  }
}

/** "5 years", "5 years 1 month", "11 months", "0 months". */
function yearsAndMonths(months: number): string {
  const y = Math.floor(months / 12), m = months % 12;
  return [y ? plural(y, 'year') : '', m || !y ? plural(m, 'month') : ''].filter(Boolean).join(' ');
}

/**
 * The ROS distribution and operating system the product runs on, with their end of life: as marque.yaml declares
 * them (inventory.rosdistro, inventory.platform), else, for a ROS workspace, the ones its inventory was resolved for.
 */
export function supportedPlatforms(m: Manifest, inv?: CheckInput['inventory']): (PlatformEol & { assumed?: string })[] {
  const out: (PlatformEol & { assumed?: string })[] = [];
  const add = (table: Readonly<Record<string, PlatformEol>>, declared: string | undefined, used: string | undefined, key: string) => {
    const p = table[declared ?? used ?? ''];
    if (p) out.push(declared ? p : { ...p, assumed: `not declared: the inventory was resolved for it (declare ${key} in marque.yaml)` });
  };
  add(ROS_DISTRO_EOL, m.inventory?.rosdistro, inv?.rosdistro, 'inventory.rosdistro');
  add(OS_EOL, m.inventory?.platform, inv?.platform, 'inventory.platform');
  return out;
}

export function checkProduct(input: CheckInput): CheckItem[] {
  return [...ANNEX_I, SUPPORT_PERIOD].map((req) => ({ id: req.id, text: req.text, cite: req.cite, ...evaluate(req, input) }));
}
