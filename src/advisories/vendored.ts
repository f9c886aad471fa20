// What a vendor package carries: a ROS "*_vendor" package (or any component marque.yaml names in
// inventory.upstreams) builds an upstream project, whose vulnerabilities are the ones that matter.
// Matching and coverage read it from here, so that what is matched is what is said to be checked.
import type { Component, InventoryComponent } from '../model/inventory.ts';
import { ecosystemOfPurl, parsePurl } from '../model/purl.ts';
import { ROS_VENDOR_UPSTREAMS } from './data/ros-vendor.ts';

/** marque.yaml inventory.upstreams: the upstream a component builds, as a purl with version. */
export interface UpstreamDeclaration { component: string; upstream: string }

/** The ROS package a component is: its own name in a workspace, or the one a released deb was built from. */
function rosPackageOf(c: Component): string | undefined {
  return c.ecosystem === 'ros' ? c.name : c.properties?.['ros:package'];
}

/** The upstream a declared purl names, as a component to match, when it is a purl with a version. */
export function upstreamComponent(purl: string): InventoryComponent | undefined {
  try {
    const p = parsePurl(purl);
    if (!p.version) return undefined;
    const c: InventoryComponent = { purl, name: p.name, version: p.version, ecosystem: ecosystemOfPurl(purl), licenses: [], depth: null, kind: null };
    // A declared Debian/Ubuntu upstream names its source package.
    if (p.type === 'deb') c.properties = { 'deb:source': p.name };
    return c;
  } catch {
    return undefined;
  }
}

/**
 * The upstream a component vendors, when it is a known vendor package or marque.yaml declares one:
 * `upstream` its name, `declared` the purl marque.yaml gives (null when nobody said which version),
 * `target` that purl as a component to match (absent when it is no purl with a version).
 */
export function vendoredOf(c: Component, upstreams: readonly UpstreamDeclaration[] | undefined): { upstream: string; declared: string | null; target?: InventoryComponent } | undefined {
  const rosName = rosPackageOf(c);
  const declared = upstreams?.find((u) => u.component === c.purl || u.component === rosName || (u.component.startsWith('pkg:') && c.purl.startsWith(u.component)));
  const known = rosName ? ROS_VENDOR_UPSTREAMS[rosName] : undefined;
  if (!known && !declared) return undefined;
  const target = declared ? upstreamComponent(declared.upstream) : undefined;
  return { upstream: declared?.upstream ?? known!.upstream, declared: declared?.upstream ?? null, ...(target ? { target } : {}) };
}
