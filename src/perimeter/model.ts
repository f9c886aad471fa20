// The architecture model of a product: compartments (nesting, isolation), external interfaces,
// data flows, trust anchors, and which inventory components live where.
import type { DomainExposure } from './dds.ts';
// "bus": a shared medium, not a place code runs (the DDS domain, a DDS topic): every participant
// writes to it and reads from it, which models n participants with 2n flows instead of n².
export type CompartmentKind = 'host' | 'process' | 'container' | 'vm' | 'microcontroller' | 'tee' | 'bus';
export type InterfaceKind = 'network' | 'dds' | 'bridge' | 'cloud' | 'usb' | 'bluetooth' | 'serial' | 'physical';

export interface Compartment {
  id: string;
  kind: CompartmentKind;
  parent?: string;
  /** The mechanism that isolates this compartment from its parent and siblings. */
  isolation?: string;
  isolationAssessed?: boolean;
  /** purl patterns ("*" wildcard) or "ros:<package>" names of the components it runs. */
  components?: string[];
}

/** `probable`: inferred (a bridge package launched without a declared interface), not declared. */
export interface ExternalInterface { id: string; kind: InterfaceKind; description?: string; port?: number; into: string; probable?: boolean }

export interface Flow {
  from: string;
  to: string;
  protocol?: string;
  authenticated?: boolean;
  encrypted?: boolean;
  /** The mechanism that authenticates and encrypts (TLS termination, SROS2 DDS-Security, …). */
  mechanism?: string;
  mechanismAssessed?: boolean;
}

export interface TrustAnchor { kind: 'secure-boot' | 'hardware-root-of-trust' | 'tpm' | 'secure-element' | 'measured-boot'; description?: string }

/** A process the launch files start, as its compartment id, and the nodes in it with where each is launched. */
export interface LaunchedProcess {
  id: string;
  nodes: { name: string; kind: 'node' | 'lifecycle' | 'container' | 'composable'; package: string; executable?: string; plugin?: string; file: string; line: number; conditional?: string }[];
}

export interface ArchitectureModel {
  compartments: Compartment[];
  interfaces: ExternalInterface[];
  flows: Flow[];
  trustAnchors: TrustAnchor[];
  /** Where the model's facts came from (marque.yaml, launch files, compose files, SROS2 policies). */
  sources: string[];
  notes: string[];
  /** Whether the DDS domain reaches the network, and on what basis (configuration, declaration, ROS 2's default). */
  dds?: DomainExposure;
  /** The launch files marque.yaml declares; with none declared, those found in the workspace (bringup packages first). */
  launch?: { declared: string[]; found?: string[] };
  /** What the declared launch files start, each process with the nodes it holds (a container, its components). */
  processes?: LaunchedProcess[];
}
