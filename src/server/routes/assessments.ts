// The assessment registry: signed component assessments a team keeps and reuses, and the public
// keys the team trusts. An upload must carry a valid signature by one of the team's keys (so the
// registry holds nothing forged or damaged); whether a signer counts for a component and a use is
// the team's policy, applied when assessments are listed, and each reader's own when it applies them.
import type { FastifyPluginAsync } from 'fastify';
import { envelopeDigest } from '../../attest/store.ts';
import { keyId, loadPublicKey, verifiedKeyIds, type Envelope } from '../../attest/dsse.ts';
import { parseEnvelope, statementOf, strictTime, verifyAttestation, type TrustPolicy } from '../../attest/verify.ts';
import { assessedIdentity, coverageGap, covers, purlVersion, type Assessment } from '../../attest/assessment.ts';
import { parsePurl, purlIdentity } from '../../model/purl.ts';
import type { SigningKey } from '../../model/portfolio.ts';
import { HttpProblem } from '../problem.ts';
import { ref } from '../schemas.ts';
import type { PortfolioStore } from '../store/store.ts';

const errors = { 400: ref('Problem'), 401: ref('Problem'), 403: ref('Problem') };
const keyOut = { type: 'object', properties: { keyid: { type: 'string' }, name: { type: 'string' }, publicKey: { type: 'string' }, components: { type: 'array', items: { type: 'string' } }, uses: { type: 'array', items: { type: 'string' } }, until: { type: ['string', 'null'] }, createdAt: { type: 'string' } } };

function policyOf(keys: SigningKey[]): TrustPolicy {
  return { revoked: [], keys: keys.map((k) => ({ keyid: k.keyid, name: k.name, key: loadPublicKey(k.publicKey), components: k.components, uses: k.uses, ...(k.until ? { until: k.until } : {}) })) };
}

/** Whether a key counts now: no "until", or one still ahead (as a local trust policy reads it). */
const inForce = (k: SigningKey, now = new Date()) => !k.until || strictTime(k.until, 'until') > now;

export function assessmentRoutes(store: PortfolioStore): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: { name: string; publicKey: string; components?: string[]; uses?: string[]; until?: string } }>('/keys', {
      config: { admin: true },
      schema: {
        summary: 'Trust a public key (admin; PEM or JWK, Ed25519 or ECDSA) to sign assessments of the components (purl globs) and uses given, until a time if given (RFC 3339)',
        body: { type: 'object', required: ['name', 'publicKey'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, publicKey: { type: 'string', maxLength: 16384 }, components: { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 1000 } }, uses: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 200 } }, until: { type: 'string', maxLength: 64 } } },
        response: { 201: keyOut, ...errors },
      },
    }, async (req, reply) => {
      let keyid: string;
      try { keyid = keyId(loadPublicKey(req.body.publicKey)); } catch (e) { throw new HttpProblem(400, `not a public key: ${(e as Error).message}`); }
      const components = req.body.components?.length ? req.body.components : ['pkg:*'];
      if (req.body.until !== undefined) try { strictTime(req.body.until, 'until'); } catch (e) { throw new HttpProblem(400, (e as Error).message); }
      const k: SigningKey = { keyid, name: req.body.name, publicKey: req.body.publicKey, components, uses: req.body.uses ?? [], until: req.body.until ?? null, createdAt: new Date().toISOString() };
      await store.putSigningKey(req.auth!.teamId, k);
      return reply.code(201).send(k);
    });

    app.get('/keys', { schema: { summary: 'Public keys the team trusts for assessments', response: { 200: { type: 'array', items: keyOut }, ...errors } } },
      async (req) => store.signingKeys(req.auth!.teamId));

    app.delete<{ Params: { keyid: string } }>('/keys/:keyid', {
      config: { admin: true },
      schema: { summary: 'Stop trusting a key (admin; assessments it signed stay, and are no longer trusted)', params: { type: 'object', properties: { keyid: { type: 'string' } } }, response: { 204: { type: 'null' }, 404: ref('Problem'), ...errors } },
    }, async (req, reply) => {
      if (!(await store.deleteSigningKey(req.auth!.teamId, req.params.keyid))) throw new HttpProblem(404, `no key ${req.params.keyid}`);
      return reply.code(204).send();
    });

    app.post('/assessments', {
      config: { write: true },
      schema: { summary: 'Keep a signed assessment (a DSSE envelope) in the team\'s registry; it must be signed by a key the team trusts', body: { type: 'object' }, response: { 201: { type: 'object', properties: { digest: { type: 'string' }, component: { type: 'string' }, signers: { type: 'array', items: { type: 'string' } } } }, ...errors } },
    }, async (req, reply) => {
      let env: Envelope;
      let component: string;
      try { env = parseEnvelope(JSON.stringify(req.body)); } catch (e) { throw new HttpProblem(400, `not a usable assessment: ${(e as Error).message}`); }
      // Keys past their "until" no longer let an envelope in.
      const keys = (await store.signingKeys(req.auth!.teamId)).filter((k) => inForce(k));
      const byId = new Map(keys.map((k) => [k.keyid, loadPublicKey(k.publicKey)]));
      let signed: string[];
      try { signed = verifiedKeyIds(env, byId); } catch (e) { throw new HttpProblem(400, `not a usable assessment: ${(e as Error).message}`); }
      // A signature by a known key that does not verify means the envelope was altered: refused, not kept.
      const broken = env.signatures.filter((s) => byId.has(s.keyid) && !signed.includes(s.keyid));
      if (broken.length) throw new HttpProblem(400, `the signature by ${broken.map((s) => keyName(keys, s.keyid)).join(', ')} does not verify: the envelope was altered or signed over other content`);
      if (!signed.length) throw new HttpProblem(400, `not signed by a key this team trusts (keyids ${env.signatures.map((s) => s.keyid.slice(0, 16)).join(', ')}); add the signer's public key with POST /api/v1/keys`);
      // The signatures first: an altered payload is named as such, whatever else it breaks.
      try {
        component = purlIdentity(statementOf(env).predicate.component); // kept under its identity; qualifiers it names narrow it when read
      } catch (e) {
        throw new HttpProblem(400, `not a usable assessment: ${(e as Error).message}`);
      }
      const digest = envelopeDigest(env);
      await store.putAssessment(req.auth!.teamId, digest, component, env);
      return reply.code(201).send({ digest, component, signers: signed.map((id) => keyName(keys, id)) });
    });

    app.get<{ Querystring: { component?: string } }>('/assessments', {
      schema: {
        summary: 'Signed assessments of the team, optionally those that cover one component (purl, with a version to check the assessed range, read as "attest verify --component" reads it); each says whether it is valid (else why not) and whether the team\'s keys make it trusted now',
        querystring: { type: 'object', properties: { component: { type: 'string' } } },
        response: { 200: { type: 'array', items: { type: 'object', additionalProperties: true } }, ...errors },
      },
    }, async (req) => {
      const q = req.query.component;
      let identity: string | undefined;
      let version: string | undefined;
      // The version as "attest verify --component" reads it (purlVersion: the epoch qualifier in front), and one
      // rule for what covers it (coverageGap: identity, qualifiers the assessment names, the range in the ecosystem's order).
      if (q) try { identity = purlIdentity(q); version = purlVersion(q); } catch { throw new HttpProblem(400, `not a purl: ${q}`); }
      const keys = await store.signingKeys(req.auth!.teamId);
      const policy = policyOf(keys);
      const out = [];
      // Rows are kept under the purl's identity as written; PyPI names are one project however spelt (PEP 503,
      // as the library matches them), so a PyPI query reads the team's rows and keeps those of that project.
      const rows = q && parsePurl(q).type === 'pypi'
        ? (await store.assessments(req.auth!.teamId)).filter((a) => { try { return assessedIdentity(a.component) === assessedIdentity(q); } catch { return false; } })
        : await store.assessments(req.auth!.teamId, identity);
      for (const a of rows) {
        // A row kept under older, looser rules (a key written twice, bytes that are not UTF-8, base64 that is not
        // canonical) is listed as not valid, with the reason: it neither fails the request nor hides the other rows.
        let env: Envelope;
        let predicate: Assessment;
        try {
          env = parseEnvelope(JSON.stringify(a.envelope));
          predicate = statementOf(env).predicate;
        } catch (e) {
          out.push({ ...a, valid: false, trusted: false, reason: `not a valid assessment: ${(e as Error).message}`, releases: [] });
          continue;
        }
        if (q && coverageGap(predicate, q, version) !== null) continue;
        let trust: { trusted: boolean; signers?: string[]; reason?: string };
        try { trust = { trusted: true, signers: verifyAttestation(env, policy).signers.map((s) => s.name) }; } catch (e) { trust = { trusted: false, reason: (e as Error).message }; }
        // Where the portfolio uses it: releases containing a version inside the assessed range.
        const releases = (await store.releasesWith(req.auth!.teamId, a.component)).filter((r) => covers(predicate, r.purl, r.componentVersion)).map((r) => ({ releaseId: r.releaseId, product: r.product, version: r.version }));
        out.push({ ...a, valid: true, assessment: predicate, ...trust, releases });
      }
      return out;
    });
  };
}

function keyName(keys: SigningKey[], keyid: string): string {
  return keys.find((k) => k.keyid === keyid)?.name ?? keyid.slice(0, 16);
}
