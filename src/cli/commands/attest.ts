
import { FileAccess, LIMITS } from '../../util/file-access.ts';

// Files named on the command line are roots in themselves: read as any input (regular files, bounded).
const readTextSync = (path: string, limit?: number) => FileAccess.within(path).readTextSync(path, limit);
import { oneLine, quote } from '../../util/text.ts';
import { resolve } from 'node:path';
import { applyAssessments, createStatement, signStatementFile, storeFor } from '../../api/attest.ts';
import { purlVersion, type Assessment } from '../../attest/assessment.ts';
import { generateKeys } from '../../attest/keys.ts';
import { ENVELOPE_LIMIT, fromBundle, toBundle } from '../../attest/store.ts';
import { trustPolicy } from '../../attest/trust.ts';
import { parseEnvelope, verifyAttestation, VerificationError } from '../../attest/verify.ts';
import { keyId, loadPublicKey } from '../../attest/dsse.ts';
import { loadManifest } from '../../manifest/manifest.ts';
import { parsePurl } from '../../model/purl.ts';
import { UsageError } from '../../util/errors.ts';
import { EXIT, type Command, LIST_OPTIONS, rowLimit } from '../command.ts';
import { writeFileAtomic } from '../io.ts';
import { table } from '../render.ts';

export const keysCommand: Command = {
  name: 'keys',
  usage: 'marque keys generate [--name NAME] [--out DIR] [--force] [--json]\n\n  The private key is written with mode 0600.',
  options: { name: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(positionals, flags, io) {
    if (positionals[0] !== 'generate') throw new UsageError('marque keys needs a sub-command: generate');
    const k = generateKeys(resolve((flags['out'] as string | undefined) ?? '.'), (flags['name'] as string | undefined) ?? 'marque', Boolean(flags['force']));
    io.out(flags['json'] ? JSON.stringify(k, null, 2) + '\n' : `private key ${k.privateKey} (mode 0600)\npublic key  ${k.publicKey}\nkey id      ${k.keyid}\n`);
    return EXIT.ok;
  },
};

function assessmentFromFlags(f: Record<string, unknown>): Assessment {
  const list = (k: string) => ((f[k] as string[] | undefined) ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
  const component = f['component'] as string | undefined;
  if (!component) throw new UsageError('--component PURL (without version) is required');
  const expires = (f['expires'] as string | undefined) ?? '+365';
  const now = new Date();
  const range: Assessment['range'] = {};
  for (const k of ['from', 'before', 'through'] as const) if (f[k]) range[k] = String(f[k]);
  if (list('version').length) range.versions = list('version');
  return {
    component: (() => { try { const p = parsePurl(component); if (p.version) throw new UsageError('--component takes a purl without version; give the range with --from/--before/--through/--version'); return component; } catch (e) { if (e instanceof UsageError) throw e; throw new UsageError(`--component: ${(e as Error).message}`); } })(),
    range,
    context: (f['context'] as string | undefined) ?? '',
    uses: list('use'),
    method: list('method'),
    checks: list('check').map((c) => {
      // name=result[:I.2.a+II.1]
      const m = /^([^=]+)=(pass|fail|not-applicable|partial)(?::(.+))?$/.exec(c);
      if (!m) throw new UsageError(`--check "${c}" must be NAME=pass|fail|not-applicable|partial[:ANNEX-ITEM+...]`);
      return { name: m[1]!.trim(), result: m[2]!, ...(m[3] ? { annexI: m[3].split('+') } : {}) };
    }),
    evidence: list('evidence').map((uri) => ({ uri })),
    assessor: { name: (f['assessor'] as string | undefined) ?? '', ...(f['email'] ? { email: String(f['email']) } : {}) },
    date: now.toISOString(),
    expires: (() => {
      const d = /^\+\d+$/.test(expires) ? new Date(now.getTime() + Number(expires.slice(1)) * 86_400_000) : new Date(expires);
      if ((expires.startsWith('+') && !/^\+\d+$/.test(expires)) || Number.isNaN(d.getTime())) throw new UsageError(`--expires takes a date (2027-12-31) or +DAYS, not ${expires}`);
      return d.toISOString();
    })(),
  };
}

export const attestCommand: Command = {
  name: 'attest',
  usage: `marque attest create --component PURL [--from V] [--before V] [--through V] [--version V]... --context TEXT
                      [--use TAG]... --method review|test|fuzzing|certification... [--check NAME=RESULT[:I.2.a+II.1]]...
                      [--evidence URL]... --assessor NAME [--email E] [--expires DATE|+DAYS] [--template FILE] [-o FILE]
       marque attest sign STATEMENT|ENVELOPE --key KEY.pem [-o FILE]
       marque attest verify ENVELOPE [--key PUB.pem]... [--manifest DIR] [--component PURL@VERSION] [--use TAG]
       marque attest apply [DIR] [--store DIR] [--limit N | --all] [--json]
       marque attest export [DIR] [--store DIR] -o BUNDLE      marque attest import BUNDLE [DIR] [--store DIR]`,
  options: {
    component: { type: 'string' }, from: { type: 'string' }, before: { type: 'string' }, through: { type: 'string' }, version: { type: 'string', multiple: true },
    context: { type: 'string' }, use: { type: 'string', multiple: true }, method: { type: 'string', multiple: true }, check: { type: 'string', multiple: true },
    evidence: { type: 'string', multiple: true }, assessor: { type: 'string' }, email: { type: 'string' }, expires: { type: 'string' }, template: { type: 'string' },
    key: { type: 'string', multiple: true }, manifest: { type: 'string' }, store: { type: 'string' }, output: { type: 'string', short: 'o' }, json: { type: 'boolean' },
    ...LIST_OPTIONS,
  },
  async run(positionals, flags, io) {
    const [sub, arg, arg2] = positionals;
    const out = (text: string) => { const o = flags['output'] as string | undefined; if (o) writeFileAtomic(resolve(o), text); else io.out(text); };
    switch (sub) {
      case 'create': {
        const a = flags['template'] ? { ...JSON.parse(readTextSync(String(flags['template']), LIMITS.manifest)), ...(flags['component'] ? assessmentFromFlags(flags) : {}) } : assessmentFromFlags(flags);
        out(JSON.stringify(createStatement(a as Assessment), null, 2) + '\n');
        return EXIT.ok;
      }
      case 'sign': {
        if (!arg || !flags['key']) throw new UsageError('marque attest sign needs a statement or envelope file and --key');
        out(JSON.stringify(signStatementFile(readTextSync(arg), (flags['key'] as string[])[0]!), null, 2) + '\n');
        return EXIT.ok;
      }
      case 'verify': {
        if (!arg) throw new UsageError('marque attest verify needs an envelope file');
        const manifest = await loadManifest(resolve((flags['manifest'] as string | undefined) ?? '.'));
        const policy = trustPolicy(manifest);
        // Keys given on the command line are trusted for any component (the user vouches for them here).
        for (const k of (flags['key'] as string[] | undefined) ?? []) {
          const key = loadPublicKey(readTextSync(k, LIMITS.small));
          policy.keys.push({ keyid: keyId(key), name: k, key, components: ['pkg:*'] });
        }
        const target = flags['component'] as string | undefined;
        const version = target ? (() => { try { return purlVersion(target); } catch { throw new UsageError(`--component: not a purl: ${target}`); } })() : undefined;
        try {
          // The use is --use, else the product's own (assessments.use), as "attest apply" and the dossier judge it.
          const use = (flags['use'] as string[] | undefined)?.[0] ?? manifest?.assessments?.use;
          const v = verifyAttestation(parseEnvelope(readTextSync(arg, ENVELOPE_LIMIT)), policy, { component: target, version, use });
          const a = v.statement.predicate;
          io.out(flags['json'] ? JSON.stringify({ valid: true, signers: v.signers, assessment: a }, null, 2) + '\n'
            : `valid: ${a.component} ${JSON.stringify(a.range)} for ${quote(a.context)}, by ${oneLine(a.assessor.name)}, signed by ${v.signers.map((s) => s.name).join(', ')}, expires ${a.expires}\n`);
          return EXIT.ok;
        } catch (e) {
          if (!(e instanceof VerificationError)) throw e;
          io.out(flags['json'] ? JSON.stringify({ valid: false, reason: e.message }, null, 2) + '\n' : '');
          io.err(`not valid: ${e.message}\n`);
          return EXIT.policy;
        }
      }
      case 'apply': {
        const r = await applyAssessments(arg ?? '.', { store: flags['store'] as string | undefined });
        if (flags['json']) { io.out(JSON.stringify(r, null, 2) + '\n'); return EXIT.ok; }
        const f = r.figures;
        const pc = (x: { percent: number | null }) => (x.percent === null ? 'none to count' : `${x.percent} %`);
        io.out(`Coverage by valid, trusted assessments (third-party components): ${f.overall.covered}/${f.overall.total} (${pc(f.overall)}) overall, ${f.runtime.covered}/${f.runtime.total} (${pc(f.runtime)}) of runtime components\n`);
        io.out(`By depth: ${Object.entries(f.byDepth).map(([d, x]) => `${d}: ${x.covered}/${x.total}`).join(', ')}\n\n`);
        if (r.covered.length) io.out(table(r.covered.map((c) => [c.component, c.attestation.slice(0, 19), c.signers.map((s) => s.name).join(', '), c.expires.slice(0, 10)]), ['COVERED', 'ATTESTATION', 'SIGNED BY', 'EXPIRES']) + '\n');
        for (const x of r.rejected) io.err(`rejected ${x.attestation}: ${x.reason}\n`);
        for (const u of r.unassessed) for (const w of u.why ?? []) io.err(`not covering ${u.component}: ${w.attestation}: ${w.reason}\n`);
        io.out(`To assess (${r.unassessed.length}), nearest and runtime first:\n`);
        const rows = rowLimit(flags, 40);
        io.out(table(r.unassessed.slice(0, rows).map((u) => [String(u.depth ?? '-'), u.kind ?? '-', u.component]), ['DEPTH', 'SCOPE', 'COMPONENT']));
        if (r.unassessed.length > rows) io.out(`… and ${r.unassessed.length - rows} more (--all, --limit N or --json)\n`);
        return EXIT.ok;
      }
      case 'export': {
        const manifest = await loadManifest(resolve(arg ?? '.'));
        const all = await storeFor(manifest, resolve(arg ?? '.'), flags['store'] as string | undefined).list();
        for (const x of all.filter((i) => i.unreadable)) io.err(`skipped ${x.file}: ${x.unreadable}\n`);
        const items = all.filter((i) => !i.unreadable);
        out(JSON.stringify(toBundle(items), null, 2) + '\n');
        if (flags['output']) io.err(`exported ${items.length} attestation(s)\n`);
        return EXIT.ok;
      }
      case 'import': {
        if (!arg) throw new UsageError('marque attest import needs a bundle file');
        const dir = resolve(arg2 ?? '.');
        const store = storeFor(await loadManifest(dir), dir, flags['store'] as string | undefined);
        const envelopes = fromBundle(readTextSync(arg));
        // Stored as they come; they are verified against the trust policy whenever they are used.
        for (const e of envelopes) await store.put(e);
        io.out(flags['json'] ? JSON.stringify({ imported: envelopes.length }) + '\n' : `imported ${envelopes.length} attestation(s); each is verified when used\n`);
        return EXIT.ok;
      }
      default:
        throw new UsageError('marque attest needs a sub-command: create, sign, verify, apply, export or import');
    }
  },
};
