// Go's standard library, compiled into every Go binary: a component `pkg:golang/stdlib@<version>`,
// named as the Go vulnerability database names it in OSV (package "stdlib", ecosystem "Go", SEMVER
// ranges over versions without the "go" prefix: "1.22.5", "1.22.0-0") and as osv-scanner reports it.
// Its version is the toolchain's that built the binary: known from a binary's build information, or
// from the product's own declaration (marque.yaml inventory.toolchains.go); go.mod's `go` and
// `toolchain` lines give only a minimum.
import { makePurl } from '../../model/purl.ts';
import type { Component } from '../../model/inventory.ts';

export const STDLIB = 'stdlib';
/** The versionless purl: Go's standard library at a version nobody knows. */
export const STDLIB_PURL = makePurl({ type: 'golang', name: STDLIB });
/** Where the product declares the toolchain that builds it. */
export const DECLARE_GO = 'inventory.toolchains.go in marque.yaml';

/**
 * A Go release as OSV's stdlib ranges write it, as the Go vulnerability database converts tags:
 * "go1.22.4" → "1.22.4", "go1.20" → "1.20.0" (a major release before 1.21 had no ".0"),
 * "go1.21rc2" → "1.21.0-rc.2", "go1.19beta1" → "1.19.0-beta.1". A build's suffix ("go1.23.8
 * X:boringcrypto") is dropped. Undefined for what is not a Go release ("devel go1.24-abc…").
 */
export function goReleaseSemver(text: string): string | undefined {
  const m = /^(?:go)?(\d+)\.(\d+)(?:\.(\d+))?(?:(rc|beta)(\d+))?$/.exec(text.trim().split(/\s+/)[0] ?? '');
  if (!m) return undefined;
  return `${m[1]}.${m[2]}.${m[3] ?? '0'}${m[4] ? `-${m[4]}.${m[5]}` : ''}`;
}

/** The standard library at a known version (a binary's, or declared), or at none (marque:version says why). */
export function stdlibComponent(version: string | undefined, sourceFile: string, properties: Record<string, string>): Component {
  return {
    purl: makePurl({ type: 'golang', name: STDLIB, ...(version ? { version } : {}) }), name: STDLIB, version: version ?? '', ecosystem: 'golang', licenses: [], sourceFile,
    dependenciesComplete: true, properties,
  };
}
