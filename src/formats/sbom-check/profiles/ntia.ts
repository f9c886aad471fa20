// NTIA, "The Minimum Elements For a Software Bill of Materials (SBOM)", U.S. Department of
// Commerce, 12 July 2021 (https://www.ntia.doc.gov/files/ntia/publications/sbom_minimum_elements_report.pdf):
// the seven data fields (§IV "Data Fields", pp. 8–10), automation support (pp. 10–11), and of the
// practices (pp. 11–13) the two an SBOM itself shows: depth and known unknowns.
import { met, missing, type SbomProfile, type SbomRequirement } from './profile.ts';

const NTIA = 'NTIA Minimum Elements for an SBOM (2021)';
const named = (p: { names: string[]; emails: string[]; urls: string[] }) => p.names.length + p.emails.length + p.urls.length > 0;

const REQUIREMENTS: SbomRequirement[] = [
  {
    id: 'automation/format', field: 'Automation support: a machine-readable, interoperable format (SPDX, CycloneDX, SWID)', level: 'required', scope: 'sbom', cite: `${NTIA}, IV "Automation Support" (pp. 10–11)`,
    sbom: () => met, // every format Marque reads is SPDX or CycloneDX
  },
  {
    id: 'data/author', field: 'Author of SBOM data', level: 'required', scope: 'sbom', key: 'creator', cite: `${NTIA}, IV "Data Fields" table (p. 9): "the entity that creates the SBOM data", which may be a tool (p. 10)`,
    sbom: (f) => (named(f.creator) || f.tools.length ? met : missing('no author of the SBOM data (person, organisation or tool)')),
  },
  {
    id: 'data/timestamp', field: 'Timestamp', level: 'required', scope: 'sbom', cite: `${NTIA}, IV "Data Fields" table (p. 9)`,
    sbom: (f) => (!f.timestamp ? missing('no timestamp') : Number.isNaN(Date.parse(f.timestamp)) ? missing(`timestamp "${f.timestamp}" is not a date and time`) : met),
  },
  {
    id: 'practice/depth', field: 'Depth: at least all top-level dependencies of the primary component are listed', level: 'required', scope: 'sbom', cite: `${NTIA}, IV "Practices and Processes", Depth (p. 12)`,
    sbom(f) {
      const primary = f.components.filter((c) => c.primary);
      if (!primary.length) return missing('the SBOM names no primary component (CycloneDX metadata.component, SPDX DESCRIBES or rootElement)');
      const empty = primary.find((c) => !c.dependsOn.length && !(c.dependenciesListed && c.completeness === 'complete'));
      return empty ? missing(`the primary component "${empty.name ?? empty.ref}" lists no dependencies`) : met;
    },
  },
  {
    id: 'data/supplier', field: 'Supplier name', level: 'required', scope: 'component', key: 'supplier', cite: `${NTIA}, IV "Data Fields" table (p. 9): "the originator or manufacturer" (p. 9)`,
    component: (c) => (c.supplier.names.length || c.creator.names.length || c.supplier.emails.length || c.creator.emails.length ? met : missing('no supplier or creator name')),
  },
  {
    id: 'data/name', field: 'Component name', level: 'required', scope: 'component', cite: `${NTIA}, IV "Data Fields" table (p. 9)`,
    component: (c) => (c.name ? met : missing('no name')),
  },
  {
    id: 'data/version', field: 'Version of the component', level: 'required', scope: 'component', key: 'version', cite: `${NTIA}, IV "Data Fields" table (p. 9)`,
    component: (c) => (c.version ? met : missing('no version')),
  },
  {
    id: 'data/identifiers', field: 'Other unique identifiers (CPE, SWID, purl)', level: 'required', scope: 'component', key: 'identifiers', cite: `${NTIA}, IV "Data Fields" table (p. 9); p. 10: "should be used if they exist"`,
    component: (c) => (c.identifiers.purl || c.identifiers.cpe || c.identifiers.swid ? met : missing('no purl, CPE or SWID tag')),
  },
  {
    id: 'data/dependencies', field: 'Dependency relationship', level: 'required', scope: 'component', key: 'dependencies', cite: `${NTIA}, IV "Data Fields" table (p. 9): "upstream component X is included in software Y"`,
    // Included in something: the primary component, or a dependency of another component.
    component(c, f) {
      if (c.primary) return c.dependenciesListed ? met : missing('the primary component has no dependency relationship');
      return f.components.some((o) => o.dependsOn.includes(c.ref)) ? met : missing('no relationship says what includes it');
    },
  },
  {
    id: 'practice/known-unknowns', field: 'Known unknowns: whether each component\'s dependencies are fully enumerated', level: 'practice', scope: 'component', key: 'dependencies', cite: `${NTIA}, IV "Practices and Processes", Known Unknowns (p. 12): without a statement the data is read as incomplete`,
    component: (c) => (c.completeness === 'complete' || c.completeness === 'incomplete' || c.completeness === 'unknown' ? met : missing('no statement: read as incomplete')),
  },
];

export const NTIA_MINIMUM: SbomProfile = {
  id: 'ntia',
  title: 'NTIA Minimum Elements for an SBOM (2021)',
  source: 'U.S. Department of Commerce, NTIA, The Minimum Elements For a Software Bill of Materials (SBOM), 12 July 2021, https://www.ntia.doc.gov/files/ntia/publications/sbom_minimum_elements_report.pdf',
  requirements: REQUIREMENTS,
};
