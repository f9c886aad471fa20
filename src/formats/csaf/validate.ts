// CSAF 2.0 documents checked as a provider must before publishing them (CSAF 2.0 §7.1.1 "valid CSAF
// document", conformance clause 1): the JSON schema and the mandatory tests (§6.1), through BSI's
// @secvisogram/csaf-validator-lib (the library Secvisogram and the BSI validator service use);
// the recommended tests (§6.2) on request.
export interface CsafValidation { valid: boolean; errors: string[]; warnings: string[] }

type Test = (doc: unknown) => unknown;
interface Lib { validate: (tests: Test[], doc: unknown) => Promise<{ isValid: boolean; tests: { name: string; isValid: boolean; errors: { instancePath: string; message: string }[]; warnings: { instancePath: string; message: string }[] }[] }>; schema: Test[]; mandatory: Test[]; optional: Test[] }
let lib: Promise<Lib> | undefined;

function load(): Promise<Lib> {
  // The library ships JavaScript with JSDoc types only: loaded as values, typed here.
  const at = (m: string) => import(`@secvisogram/csaf-validator-lib/${m}`) as Promise<Record<string, unknown>>;
  return (lib ??= Promise.all([at('validate.js'), at('schemaTests.js'), at('mandatoryTests.js'), at('optionalTests.js')]).then(([v, s, m, o]) => ({
    validate: v['default'] as Lib['validate'], schema: Object.values(s) as Test[], mandatory: Object.values(m) as Test[], optional: Object.values(o) as Test[],
  })));
}

export async function validateCsaf(doc: unknown, opts: { recommended?: boolean } = {}): Promise<CsafValidation> {
  const l = await load();
  const r = await l.validate([...l.schema, ...l.mandatory, ...(opts.recommended ? l.optional : [])], doc);
  const errors = r.tests.flatMap((t) => t.errors.map((e) => `${t.name}: ${e.instancePath || '/'} ${e.message}`));
  const warnings = r.tests.flatMap((t) => t.warnings.map((e) => `${t.name}: ${e.instancePath || '/'} ${e.message}`));
  return { valid: r.isValid, errors, warnings };
}
