// The release dossier: everything an auditor reads about one product version, gathered once and
// rendered by the same views as a file ("marque report") and in the dashboard. Each part that
// could not be computed says why (`missing`), so that no view shows a gap as an answer.
import type { CheckItem, CraProfile } from './cra.ts';
import type { Coverage as AdvisoryCoverage, Finding } from './advisory.ts';
import type { ProductInfo } from './product.ts';

export interface Missing { missing: string }

export interface DossierSbom {
  total: number;
  byEcosystem: { ecosystem: string; count: number }[];
  /** Components per depth ("degrees of separation"), runtime apart from the rest; depth null = no path from a root. */
  byDepth: { depth: number | null; runtime: number; other: number }[];
  /** null where the licences are not known (the team server keeps purls, not licences). */
  licences: { licence: string; count: number }[] | null;
  withoutLicence: number | null;
  /** Files Marque found and could not read: the SBOM is incomplete by these. */
  notAnalysed: { file: string; format: string }[];
  inputErrors: number;
  /** The deepest runtime components, each with the shortest path that brings it in. */
  deepest: { component: string; depth: number; path: string[] | null }[];
}

export interface DossierFindings {
  items: Finding[];
  coverage: AdvisoryCoverage;
  /** Newest record date of each advisory source used. */
  dataDate: string | null;
  decisions: number;
}

export interface DossierPerimeter {
  /** The architecture picture as SVG (Graphviz), or why it was not drawn. */
  svg: string | Missing;
  compartments: { id: string; kind: string; parent: string | null; isolation: string | null; isolationAssessed: boolean; reached: boolean; components: number }[];
  /** `basis` (absent in dossiers kept before it was recorded): reached from an interface, or counted in because no compartment places it. */
  perimeter: { component: string; compartment: string | null; reason: string; basis?: 'reached' | 'counted-in' }[];
  outside: { component: string; compartment: string | null; reason: string }[];
  /** The perimeter's two numbers, each with its own definition (absent in older dossiers: derived from `perimeter`). */
  counts?: { reached: number; countedIn: number; outside: number; interfaces: number };
  /** The launch files declared; with none, those found in the workspace. */
  launch?: { declared: string[]; found?: string[] } | null;
  properties: { property: string; status: string; evidence: string }[];
  /** Absent in dossiers kept before they were recorded. `probable`: inferred (a launched bridge), not declared. */
  interfaces?: { id: string; kind: string; into: string; port: number | null; probable: boolean; description: string | null }[];
  dds?: { exposed: boolean; basis: string; reason: string } | null;
  /** What the model could not read or decide (launch files, policies), each with its file and line. */
  notes?: string[];
}

export interface DossierAssessments {
  covered: { component: string; attestation: string; assessor: string; context: string; signers: string[]; expires: string }[];
  rejected: { attestation: string; reason: string }[];
  figures: { covered: number; total: number; runtimeCovered: number; runtimeTotal: number };
  /** Runtime components without a valid assessment, nearest to the product first: the auditor's to-do list (absent in older dossiers). */
  unassessedRuntime?: { component: string; depth: number | null }[];
}

export interface Dossier {
  generatedAt: string;
  generator: string;
  product: ProductInfo;
  /**
   * The contact for vulnerability reports (Annex II (2)) as check finds it (security.txt, marque.yaml, the disclosure policy), and where;
   * null when it declares none. Absent in dossiers kept before it was recorded.
   */
  contact?: { address: string; source: string } | null;
  profile: CraProfile;
  support: {
    periodEnd: string | null; placedOnMarket: string | null;
    /** The platforms the product runs on, with their end of life as far as Marque knows. */
    /** `assumed`: not declared in marque.yaml; the platform the ROS workspace's inventory was resolved for. */
    platforms: { platform: string; end: string; note?: string; source: string; beforeSupportEnd: boolean; assumed?: string }[];
  };
  sbom: DossierSbom | Missing;
  findings: DossierFindings | Missing;
  checklist: CheckItem[];
  perimeter: DossierPerimeter | Missing;
  assessments: DossierAssessments | Missing;
  /** What the dossier was made from, each with its SHA-256; `digest` covers them all. */
  inputs: { name: string; sha256: string }[];
  digest: string;
}

export const isMissing = (x: unknown): x is Missing => Boolean(x && typeof x === 'object' && 'missing' in x);
