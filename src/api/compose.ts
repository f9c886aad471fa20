// The product as several subsystems and hardware parts (marque.yaml `subsystems`, `hardware`): each
// subsystem read from its own source (a folder, a container image, an SBOM, a lockfile) and hung
// under a component of its own, so depth runs through it; each hardware part a device with its
// firmware (an HBOM, CycloneDX device and firmware components).
import { relative } from 'node:path';
import { makePurl } from '../model/purl.ts';
import type { Component, ComponentType, Problem } from '../model/inventory.ts';
import type { SubsystemKind } from '../manifest/manifest.ts';
import { FragmentBuilder } from '../sources/common/fragment.ts';
import type { InventoryFragment } from '../sources/extractor.ts';

export interface SubsystemRequest { id: string; name?: string; kind?: SubsystemKind; source: string; version?: string; supportEnd?: string }
export interface HardwarePart { id: string; name?: string; manufacturer: string; model: string; revision?: string; firmware?: { version: string; name?: string }; supportEnd?: string }

const TYPE: Record<SubsystemKind, ComponentType> = { 'linux-image': 'operating-system', firmware: 'firmware', 'ros-workspace': 'application', 'web-ui': 'application', 'cloud-connector': 'application', service: 'application', other: 'application' };
const slug = (s: string) => s.trim().toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'unnamed';

type Read = (source: string) => Promise<{ components: (Component & { depth?: unknown; kind?: unknown })[]; dependencies: InventoryFragment['dependencies']; notes: string[]; problems: Problem[] }>;

export async function subsystemFragments(subsystems: SubsystemRequest[], root: string, read: Read): Promise<{ parts: InventoryFragment[]; notes: string[]; problems: Problem[] }> {
  const parts: InventoryFragment[] = [];
  const notes: string[] = [];
  const problems: Problem[] = [];
  for (const s of subsystems) {
    const sub = await read(s.source);
    const b = new FragmentBuilder();
    const where = relative(root, s.source) || s.source;
    const top = b.component({
      purl: makePurl({ type: 'generic', name: s.id, ...(s.version ? { version: s.version } : {}) }), type: TYPE[s.kind ?? 'other'], name: s.name ?? s.id, version: s.version ?? '', ecosystem: 'generic', licenses: [], sourceFile: where, root: true, firstParty: true, dependenciesComplete: true,
      properties: { 'marque:subsystem': s.id, 'marque:subsystemRoot': s.id, 'marque:source': where, ...(s.kind ? { 'marque:subsystemKind': s.kind } : {}), ...(s.supportEnd ? { 'marque:supportEnd': s.supportEnd } : {}) },
    });
    for (const c of sub.components) {
      // An SBOM's subject read as a subsystem is a part of this product, not the product itself.
      const { depth: _d, kind: _k, subject: _s, ...plain } = c;
      const purl = b.component({ ...plain, root: false, sourceFile: c.sourceFile ? `${where}/${c.sourceFile}`.replace(/\/\.$/, '') : where, properties: { ...c.properties, 'marque:subsystem': s.id } });
      if (c.root) b.edge(top, purl, 'runtime');
    }
    for (const d of sub.dependencies) b.edge(d.from, d.to, d.kind, d);
    if (!sub.components.length) notes.push(`subsystem ${s.id}: nothing read from ${where}`);
    parts.push(b.build());
    for (const n of sub.notes) notes.push(`subsystem ${s.id}: ${n}`);
    for (const p of sub.problems) problems.push({ ...p, file: `${where}/${p.file}` });
  }
  return { parts, notes, problems };
}

export function hardwareFragment(parts: HardwarePart[]): InventoryFragment {
  const b = new FragmentBuilder();
  for (const h of parts) {
    const ns = slug(h.manufacturer);
    const device = b.component({
      purl: makePurl({ type: 'generic', namespace: ns, name: slug(h.model), ...(h.revision ? { version: h.revision } : {}) }), type: 'device', name: h.name ?? h.model, version: h.revision ?? '', ecosystem: 'generic', licenses: [],
      supplier: { name: h.manufacturer }, root: true, dependenciesComplete: true, properties: { 'marque:hardware': h.id, 'hardware:model': h.model, ...(h.supportEnd ? { 'marque:supportEnd': h.supportEnd } : {}) },
    });
    if (h.firmware) {
      const fw = b.component({ purl: makePurl({ type: 'generic', namespace: ns, name: `${slug(h.model)}-firmware`, version: h.firmware.version }), type: 'firmware', name: h.firmware.name ?? `${h.model} firmware`, version: h.firmware.version, ecosystem: 'generic', licenses: [], supplier: { name: h.manufacturer }, dependenciesComplete: false, properties: { 'marque:hardware': h.id } });
      b.edge(device, fw, 'runtime');
    }
  }
  return b.build();
}
