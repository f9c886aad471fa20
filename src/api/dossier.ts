// Library entry point: the release dossier of a product folder, gathered from the same functions as
// "check", "vulns", "perimeter" and "attest apply". A part that cannot be computed says why.
import { dataAsOf } from '../model/advisory.ts';
import { createHash } from 'node:crypto';
import { relative, resolve } from 'node:path';
import { FileAccess } from '../util/file-access.ts';

import { AdvisoryDb } from '../advisories/store.ts';
import { awarenessStoreFor, dbPath, DEFAULT_MAX_AGE_DAYS } from './advisories.ts';
import { ensureManifest } from './cra.ts';
import { buildInventory } from './inventory.ts';
import type { ProductInventory } from '../model/inventory.ts';
import { inventoryEvidence } from './sbom-check.ts';
import { productRequest } from './request.ts';
import { findVulnerabilities } from './vulns.ts';
import { why } from './sbom.ts';
import { dotToSvg } from '../util/graphviz.ts';
import { hasPerimeter, perimeterDot, perimeterEvidenceOf, perimeterReport } from './perimeter.ts';
import { storeFor } from './attest.ts';
import { VERSION } from './defaults.ts';
import { checkProduct, findContact, supportedPlatforms, type CheckInput } from '../cra/check.ts';
import { classify } from '../cra/classify.ts';
import { coverage as assessmentCoverage } from '../attest/coverage.ts';
import { trustPolicy } from '../attest/trust.ts';
import { manifestStatements } from '../vex/statements.ts';
import type { Dossier, DossierAssessments, DossierFindings, DossierPerimeter, DossierSbom, Missing } from '../model/dossier.ts';
import { sbomSummary } from '../report/sbom-summary.ts';
import type { Manifest } from '../manifest/manifest.ts';

export interface DossierRequest { dir: string; db?: string; today?: Date; store?: string }

const sha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');
const why_ = (e: unknown) => (e as Error).message.split('\n')[0]!;

export async function buildDossier(req: DossierRequest): Promise<Dossier> {
  const today = req.today ?? new Date();
  const { request, product, manifest: found } = await productRequest(req.dir, { db: req.db });
  const manifest = ensureManifest(found, req.dir);
  const profile = classify(manifest, today);
  const inputs: Dossier['inputs'] = [];
  if (manifest.files.exists(manifest.file)) inputs.push({ name: 'marque.yaml', sha256: sha256(manifest.files.readBytesSync(manifest.file)) });

  let inv: ProductInventory | undefined;
  let sbom: DossierSbom | Missing;
  try {
    inv = await buildInventory(request);
    const built = inv;
    sbom = sbomSummary(inv.components, {
      notAnalysed: inv.notAnalysed.map((f) => ({ file: f.file, format: f.format })), inputErrors: inv.problems.filter((p) => p.severity === 'error').length,
      path: (purl) => why(built, purl, 1).paths[0] ?? [],
    });
    // The inventory as Marque read it: every component and edge, in a stable order.
    inputs.push({ name: `inventory (${inv.components.length} components, ${inv.dependencies.length} edges)`, sha256: sha256(JSON.stringify([inv.components.map((c) => c.purl).sort(), inv.dependencies.map((d) => `${d.from} ${d.kind} ${d.to}`).sort()])) });
    // Every lockfile, manifest, package.xml and SBOM the inventory rests on, as read.
    for (const f of inv.inputs ?? []) inputs.push({ name: `read for the inventory: ${f.file}`, sha256: f.sha256 });
    // Catalogs named by marque.yaml or flags (the bundled rosdep and rosdistro data are Marque's own, named by its version).
    for (const file of [...(request.rosdistroCaches ?? []), ...(request.aptIndexes ?? []), ...(request.distributions ?? []), ...(request.rosdepRules ?? [])]) {
      const bytes = readQuietly(file);
      if (bytes) inputs.push({ name: `catalog: ${relative(manifest.dir, file) || file}`, sha256: sha256(bytes) });
    }
  } catch (e) {
    sbom = { missing: `the inventory could not be made: ${why_(e)}` };
  }

  const path = dbPath(req.db);
  const db = AdvisoryDb.openForRead(path);
  let findings: DossierFindings | Missing = { missing: `no advisory database at ${path} ("marque db update" or "marque db import")` };
  let perimeter: DossierPerimeter | Missing = { missing: 'marque.yaml has no architecture section ("marque perimeter" explains it)' };
  let check: Parameters<typeof checkProduct>[0] = { dir: manifest.dir, manifest, today };
  try {
    if (inv) {
      check.inventory = inventoryEvidence(inv, product);
      if (db) {
        const awareness = awarenessStoreFor(path);
        try {
          const vex = manifestStatements(manifest);
          const r = findVulnerabilities({
            components: inv.components, unlisted: inv, db, product, vex, awareness, now: today, upstreams: manifest.inventory?.upstreams,
            maxAgeDays: manifest.advisories?.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS,
          });
          const sources = db.sources();
          // "Data as of" is the oldest source's date: the findings are only as current as the stalest data they
          // rest on (a KEV catalogue of last week does not make PyPI advisories of 2021 current). Undated: unknown.
          const dataDate = dataAsOf(sources);
          findings = { items: r.findings, coverage: r.coverage, dataDate, decisions: vex.length };
          check = { ...check, findings: r.findings, coverage: r.coverage };
          // One entry per advisory source, with its date: the coverage figures rest on each.
          for (const s of sources) inputs.push({ name: `advisory source ${s.name} (${s.records} records, data as of ${s.dataDate ?? 'an unknown date'}, imported ${s.importedAt})`, sha256: sha256(JSON.stringify([s.name, s.kind, s.origin, s.records, s.dataDate, s.importedAt])) });
        } finally {
          awareness?.close();
        }
      }
    }
    // Without an architecture section, a ROS workspace still gets what "marque perimeter" says of it
    // (its launch files to declare, what is counted in); other products keep the gap.
    if (hasPerimeter(req.dir, manifest)) [perimeter, check.perimeter] = await perimeterPart(req.dir, db, manifest.file, inputs);
    else check.perimeter = { missing: perimeter.missing };
  } finally {
    db?.close();
  }

  const assessments = inv ? await assessmentPart(manifest, req, inv, today, inputs) : { missing: 'no inventory to assess' };
  const platforms = supportedPlatforms(manifest, check.inventory)
    .map((p) => ({ ...p, beforeSupportEnd: Boolean(manifest.support?.periodEnd && p.end < manifest.support.periodEnd) }));
  const digest = sha256(inputs.map((i) => `${i.sha256}  ${i.name}`).join('\n'));
  return {
    generatedAt: today.toISOString(), generator: `Marque ${VERSION}`, product, contact: declaredContact(manifest, today), profile,
    support: { periodEnd: manifest.support?.periodEnd ?? null, placedOnMarket: manifest.support?.placedOnMarket ?? null, platforms },
    sbom, findings, checklist: checkProduct(check), perimeter, assessments, inputs, digest,
  };
}

/**
 * The contact check and docs find (cra/check.ts findContact: security.txt, security.contact, product.securityTxt,
 * then the disclosure policy): the first that can receive a report, else the first found (the checklist says why
 * it cannot); null when there is none.
 */
function declaredContact(m: Manifest, today: Date): Dossier['contact'] {
  const found = findContact({ dir: m.dir, manifest: m, today });
  const c = found.reaching[0] ?? found.unreachable[0];
  return c ? { address: c.address, source: c.source } : null;
}

/** A file's bytes for the digest, or undefined when it cannot be read now (it is then not listed). */
function readQuietly(path: string): Buffer | undefined {
  try { return FileAccess.within(path).readBytesSync(path); } catch { return undefined; }
}

/** The dossier's perimeter part, and what the checklist's (2)(j) shows of it (perimeterEvidenceOf, as "check"). */
async function perimeterPart(dir: string, db: AdvisoryDb | undefined, manifestFile: string, inputs: Dossier['inputs']): Promise<[DossierPerimeter | Missing, CheckInput['perimeter']]> {
  try {
    const r = await perimeterReport(dir, db);
    // Launch files (with those they include), compose files and SROS2 policies the model was read from.
    for (const source of r.model.sources) {
      const path = resolve(dir, source);
      if (path === resolve(manifestFile)) continue;
      const bytes = readQuietly(path);
      if (bytes) inputs.push({ name: `read for the perimeter: ${relative(dir, path) || path}`, sha256: sha256(bytes) });
    }
    return [{
      svg: await drawSvg(perimeterDot(r)),
      compartments: r.model.compartments.map((c) => ({
        id: c.id, kind: c.kind, parent: c.parent ?? null, isolation: c.isolation ?? null, isolationAssessed: Boolean(c.isolationAssessed), reached: r.reachedCompartments.includes(c.id),
        components: r.perimeter.filter((p) => p.compartment === c.id).length + r.outside.filter((o) => o.compartment === c.id).length,
      })),
      perimeter: r.perimeter.map((p) => ({ component: p.component, compartment: p.compartment, reason: p.reason, basis: p.basis })),
      outside: r.outside, properties: r.sevenProperties, counts: r.counts, launch: r.model.launch ?? null,
      interfaces: r.model.interfaces.map((i) => ({ id: i.id, kind: i.kind, into: i.into, port: i.port ?? null, probable: Boolean(i.probable), description: i.description ?? null })),
      dds: r.model.dds ? { exposed: r.model.dds.exposed, basis: r.model.dds.basis, reason: r.model.dds.reason } : null,
      notes: [...r.model.notes, ...r.notes],
    }, perimeterEvidenceOf(r)];
  } catch (e) {
    const missing = { missing: `the perimeter could not be computed: ${why_(e)}` };
    return [missing, missing];
  }
}

/** Graphviz (WebAssembly) draws the picture; should it refuse, the dossier says so and keeps the lists. */
async function drawSvg(dot: string): Promise<string | Missing> {
  try {
    const svg = await dotToSvg(dot);
    // The XML prologue and DOCTYPE are dropped: the SVG is inlined into HTML.
    return svg.slice(svg.indexOf('<svg'));
  } catch (e) {
    return { missing: `the picture could not be drawn: ${(e as Error).message.slice(0, 200)}` };
  }
}

async function assessmentPart(manifest: Manifest, req: DossierRequest, inv: ProductInventory, today: Date, inputs: Dossier['inputs']): Promise<DossierAssessments | Missing> {
  try {
    const stored = await storeFor(manifest, req.dir, req.store).list();
    if (stored.length) inputs.push({ name: `signed assessments (${stored.length})`, sha256: sha256(stored.map((s) => s.digest).sort().join('\n')) });
    const c = assessmentCoverage(inv.components, stored, trustPolicy(manifest), { now: today, use: manifest.assessments?.use });
    return {
      covered: c.covered.map((x) => ({ component: x.component, attestation: x.attestation, assessor: x.assessor, context: x.context, signers: x.signers.map((s) => `${s.name} (${s.keyid.slice(0, 16)})`), expires: x.expires })),
      // A valid assessment that does not cover the product's component says why (another version, qualifier or source).
      rejected: [...c.rejected, ...c.unassessed.flatMap((u) => (u.why ?? []).map((w) => ({ attestation: w.attestation, reason: `does not cover ${u.component}: ${w.reason}` })))],
      figures: { covered: c.figures.overall.covered, total: c.figures.overall.total, runtimeCovered: c.figures.runtime.covered, runtimeTotal: c.figures.runtime.total },
      unassessedRuntime: c.unassessed.filter((u) => u.kind === 'runtime').map((u) => ({ component: u.component, depth: u.depth })),
    };
  } catch (e) {
    return { missing: `signed assessments could not be read: ${why_(e)}` };
  }
}

