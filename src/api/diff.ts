// Library entry point: what changed between two versions of a product, and what that means for
// its security and its assessment.
import { statSync } from 'node:fs';
import { AdvisoryDb } from '../advisories/store.ts';
import { AwarenessStore } from '../advisories/awareness.ts';
import { classify } from '../cra/classify.ts';
import { diffComponents, type ClassificationDelta, type DiffResult } from '../diff/diff.ts';
import { openSide } from '../diff/side.ts';
import { loadManifest } from '../manifest/manifest.ts';
import { UsageError } from '../util/errors.ts';
import type { Finding } from '../model/advisory.ts';
import type { InventoryComponent, ProductInventory } from '../model/inventory.ts';
import { purlIdentity } from '../model/purl.ts';
import { ships } from '../model/counting.ts';
import { manifestStatements } from '../vex/statements.ts';
import { coverage } from '../attest/coverage.ts';
import { trustPolicy } from '../attest/trust.ts';
import { storeFor } from './attest.ts';
import { buildInventory } from './inventory.ts';
import { productRequest, type SourceFlags } from './request.ts';
import { findVulnerabilities, maxScore } from './vulns.ts';
import { awarenessStoreFor } from './advisories.ts';

export interface DiffRequest { old: string; new: string; flags?: SourceFlags; db?: AdvisoryDb; awareness?: AwarenessStore; now?: Date; cwd?: string }

async function load(spec: string, req: DiffRequest) {
  const side = openSide(spec, req.cwd);
  try {
    const { request, product } = await productRequest(side.path, req.flags ?? {});
    const inventory = await buildInventory(request);
    const isDir = statSync(side.path).isDirectory();
    // An SBOM or lockfile given alone that cannot be read would be an empty side: everything "added".
    const errors = inventory.problems.filter((p) => p.severity === 'error');
    if (!isDir && errors.length && !inventory.components.length) {
      const e = errors[0]!;
      throw new UsageError(`${spec}: cannot be read (${e.file}${e.line ? `:${e.line}` : ''}: ${e.message})`);
    }
    const manifest = isDir ? await loadManifest(side.path) : undefined;
    return { side, inventory, product, manifest };
  } catch (e) {
    side.cleanup();
    throw e;
  }
}

/**
 * The inventory without the components of files the other side could not read (and this side could),
 * unless the other side has them from another file (a ROS package whose duplicate was refused there).
 */
function comparable(inv: ProductInventory, other: ProductInventory, notRead: DiffResult['notRead'], side: 'old' | 'new'): ProductInventory {
  const own = new Set(notRead.filter((n) => n.side === side).map((n) => n.file));
  const unread = new Set(notRead.filter((n) => n.side !== side && !own.has(n.file)).map((n) => n.file));
  if (!unread.size) return inv;
  const there = new Set(other.components.map(identity));
  const skip = (c: InventoryComponent) => c.sourceFile !== undefined && unread.has(c.sourceFile) && !there.has(identity(c));
  const components = inv.components.filter((c) => !skip(c));
  if (components.length === inv.components.length) return inv;
  const kept = new Set(components.map((c) => c.purl));
  const dropped = new Set(inv.components.filter((c) => skip(c) && !kept.has(c.purl)).map((c) => c.purl));
  return { ...inv, components, dependencies: inv.dependencies.filter((d) => !dropped.has(d.from) && !dropped.has(d.to)) };
}

/** What changed in the CRA profile, each part only when it did (a role change keeps the class). */
function profileChanges(c: ClassificationDelta): string {
  const { from, to } = c;
  return [
    ...(from.class !== to.class ? [`class ${from.class} → ${to.class}`] : []),
    ...(from.role !== to.role ? [`role ${from.role} → ${to.role}`] : []),
    ...(from.routes.join() !== to.routes.join() ? [`conformity routes ${from.routes.join(', ') || 'none'} → ${to.routes.join(', ') || 'none'}`] : []),
    ...(c.obligationsAdded.length || c.obligationsRemoved.length ? [`obligations ${c.obligationsAdded.length} added, ${c.obligationsRemoved.length} removed`] : []),
  ].join(', ') || `class ${to.class}`;
}

const identity = (c: { purl: string }) => { try { return purlIdentity(c.purl); } catch { return c.purl; } };

const key = (f: Finding) => `${(() => { try { return purlIdentity(f.component); } catch { return f.component; } })()}\0${f.advisory}`;

export async function diffProducts(req: DiffRequest): Promise<DiffResult> {
  const a = await load(req.old, req);
  let b;
  try {
    b = await load(req.new, req);
  } catch (e) {
    a.side.cleanup();
    throw e;
  }
  try {
    const notRead = ([['old', a], ['new', b]] as const).flatMap(([side, x]) => [
      ...x.inventory.problems.filter((p) => p.severity === 'error').map((p) => ({ side, file: p.file, reason: `${p.line ? `line ${p.line}: ` : ''}${p.message}` })),
      ...(x.inventory.notAnalysed ?? []).map((n) => ({ side, file: n.file, reason: n.reason })),
    ]);
    // A file read on one side only (a lockfile of a format Marque cannot read yet on one side, a broken one) holds
    // what cannot be compared: its components are neither added nor removed, nor their findings new or fixed.
    const found = { old: a.inventory.components.length, new: b.inventory.components.length };
    const [ca, cb] = [comparable(a.inventory, b.inventory, notRead, 'old'), comparable(b.inventory, a.inventory, notRead, 'new')];
    a.inventory = ca;
    b.inventory = cb;
    const setAside = found.old - a.inventory.components.length + found.new - b.inventory.components.length;
    const components = diffComponents(a.inventory, b.inventory);
    let findings: DiffResult['findings'] = null;
    if (req.db) {
      const f = (x: typeof a, awareness?: AwarenessStore) => findVulnerabilities({
        components: x.inventory.components, unlisted: x.inventory, db: req.db!, product: x.product, vex: manifestStatements(x.manifest),
        upstreams: x.manifest?.inventory?.upstreams, awareness, now: req.now,
      }).findings.filter((y) => y.status !== 'not_affected' && y.status !== 'fixed');
      const before = f(a);
      const after = f(b, req.awareness);
      const beforeKeys = new Set(before.map(key));
      const afterKeys = new Set(after.map(key));
      // A finding that ships now and did not before (its component moved from test or dev to runtime) is new to the product.
      const shippedBefore = new Set(before.filter((x) => ships({ kind: x.scope })).map(key));
      findings = {
        introduced: after.filter((x) => !beforeKeys.has(key(x)) || (ships({ kind: x.scope }) && !shippedBefore.has(key(x)))),
        fixed: before.filter((x) => !afterKeys.has(key(x))),
      };
    }
    // Signed assessments of NEW (its store, its trust policy) that still cover a changed component spare it.
    const cov = coverage(b.inventory.components, await storeFor(b.manifest, b.side.path).list(), trustPolicy(b.manifest), { now: req.now, use: b.manifest?.assessments?.use });
    const coveredBy = new Map(cov.covered.map((c) => [c.component, c.attestation]));
    const newVersion = (c: (typeof components.changed)[number]) => c.changes.some((x) => (x.type === 'version' && x.direction !== 'equal') || x.type === 'renamed');
    const candidates = [
      ...components.added.map((c) => ({ purl: c.purl, depth: c.depth, kind: c.kind, reason: 'added' as const })),
      ...components.changed.filter(newVersion).map((c) => ({ purl: c.to, depth: c.depth, kind: c.kind, reason: 'version-changed' as const })),
      // The same version that starts to ship (a test or dev dependency now at runtime): what it brings was not the product's before.
      ...components.changed.filter((c) => !newVersion(c) && c.changes.some((x) => x.type === 'kind' && !ships({ kind: x.from }) && ships({ kind: x.to })))
        .map((c) => ({ purl: c.to, depth: c.depth, kind: c.kind, reason: 'now-ships' as const })),
    ];
    const stillCovered = candidates.filter((c) => coveredBy.has(c.purl)).map((c) => ({ purl: c.purl, attestation: coveredBy.get(c.purl)! }));
    const reassess = candidates.filter((c) => !coveredBy.has(c.purl)).sort((x, y) => (x.depth ?? 1e9) - (y.depth ?? 1e9) || (x.purl < y.purl ? -1 : 1));
    let classification: ClassificationDelta | null = null;
    if (a.manifest && b.manifest) {
      const pa = classify(a.manifest, req.now);
      const pb = classify(b.manifest, req.now);
      const ids = (p: typeof pa) => p.obligations.map((o) => o.id);
      const routes = (p: typeof pa) => p.conformityRoutes.map((r) => `${r.module} (${r.cite})`);
      classification = {
        changed: pa.class !== pb.class || pa.role !== pb.role || routes(pa).join() !== routes(pb).join() || ids(pa).join() !== ids(pb).join(),
        from: { class: pa.class, role: pa.role, routes: routes(pa) },
        to: { class: pb.class, role: pb.role, routes: routes(pb) },
        obligationsAdded: ids(pb).filter((i) => !ids(pa).includes(i)),
        obligationsRemoved: ids(pa).filter((i) => !ids(pb).includes(i)),
      };
    }
    const exploited = findings?.introduced.filter((x) => x.exploited).length ?? 0;
    const critical = findings?.introduced.filter((x) => maxScore(x) >= 9 || x.severity.some((s) => s.rating === 'critical')).length ?? 0;
    const parts = [
      `${components.added.length} added, ${components.removed.length} removed, ${components.changed.length} changed`,
      findings ? `${findings.introduced.length} findings introduced${exploited ? ` (${exploited} actively exploited${critical ? `, ${critical} critical` : ''})` : critical ? ` (${critical} critical)` : ''}, ${findings.fixed.length} fixed` : 'no advisory database: security delta not computed',
      `${reassess.length} component(s) to re-assess (${reassess.filter((r) => r.kind === 'runtime').length} at runtime)${stillCovered.length ? `, ${stillCovered.length} still covered by signed assessments` : ''}`,
      ...(classification?.changed ? [`CRA profile changed: ${profileChanges(classification)}`] : []),
      ...(notRead.length ? [`${notRead.length} file(s) not read, what they hold not compared${setAside ? ` (${setAside} component(s) read from the other side's copy set aside)` : ''}`] : []),
      // A side where Marque found nothing (a mistyped folder, a checkout without its lockfiles) makes every component added or removed.
      ...([['old', b], ['new', a]] as const).filter(([side]) => !found[side]).map(([side, other]) => `warning: the ${side} side has no components (nothing Marque reads was found there)${other.inventory.components.length ? `: every component of the other side is listed as ${side === 'old' ? 'added' : 'removed'}` : ''}`),
    ];
    return { old: a.side.label, new: b.side.label, components, findings, reassess, stillCovered, classification, notRead, verdict: parts.join('; ') };
  } finally {
    a.side.cleanup();
    b.side.cleanup();
  }
}

export function openDbForDiff(path: string): { db?: AdvisoryDb; awareness?: AwarenessStore } {
  const db = AdvisoryDb.openForRead(path);
  return db ? { db, awareness: awarenessStoreFor(path) } : {};
}

