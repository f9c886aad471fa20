// The CSAF trusted provider (CSAF 2.0 §7.1, roles §7.2): the manufacturer publishes its advisories
// with POST /api/v1/csaf/documents (a token that may write); everyone reads them, without a token
// (§7.1.4, TLP:WHITE), under /.well-known/csaf/: provider-metadata.json (§7.1.7, §7.1.9), the
// TLP:WHITE folder with one folder per year (§7.1.11), index.txt (§7.1.12), changes.csv (§7.1.13),
// directory listings (§7.1.14), the ROLIE feed (§7.1.15) and service document (§7.1.16), each
// document's .sha256/.sha512 (§7.1.18) and OpenPGP signature .asc (§7.1.19), and the public key
// (§7.1.20). No redirects (§7.1.6). TLS (§7.1.3) is the reverse proxy's (docs/server.md).
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { csafFilename, finalise, yearOf } from '../../formats/csaf/advisory.ts';
import { generateCsafKey, signDetached } from '../../formats/csaf/openpgp.ts';
import { validateCsaf } from '../../formats/csaf/validate.ts';
import { HttpProblem } from '../problem.ts';
import { ref } from '../schemas.ts';
import type { CsafDocumentRow, PortfolioStore } from '../store/store.ts';

export interface CsafProviderOptions {
  /** The team whose documents the provider serves (the manufacturer). */
  team?: string;
  /** The public https:// origin the provider is reached at (behind the reverse proxy). */
  publicUrl?: string;
  /** The security.txt served at /.well-known/security.txt (made by "marque advisory security-txt"). */
  securityTxt?: string;
}

const WELL_KNOWN = '/.well-known/csaf';
const FEED = 'csaf-feed-tlp-white.json';
const hex = (alg: string, text: string) => createHash(alg).update(text).digest('hex');
const text = (reply: FastifyReply, type: string, body: string) => reply.type(type).header('x-content-type-options', 'nosniff').header('cache-control', 'no-cache').send(body);

type Json = Record<string, unknown>;

export function csafRoutes(store: PortfolioStore, opts: CsafProviderOptions): FastifyPluginAsync {
  return async (app) => {
    const base = (req: { protocol: string; host: string }) => (opts.publicUrl ?? `${req.protocol}://${req.host}`).replace(/\/+$/, '');
    const keyOf = async (teamId: string, publisher: { name: string; email?: string }) => {
      const k = await store.csafKey(teamId);
      if (k) return k;
      const made = await generateCsafKey(publisher.name, publisher.email);
      return store.putCsafKey(teamId, { ...made, createdAt: new Date().toISOString() });
    };
    /** The provider's team; 404 when none is configured or it does not exist. */
    const providerTeam = async () => {
      const team = opts.team ? await store.teamByName(opts.team) : undefined;
      if (!team) throw new HttpProblem(404, opts.team ? `no team "${opts.team}" on this server` : 'this server is not configured as a CSAF provider (marque serve --csaf-team NAME)');
      return team;
    };

    app.post('/api/v1/csaf/documents', {
      config: { write: true },
      schema: {
        summary: 'Publish a CSAF 2.0 document: a draft is made final (version 1), validated (schema and mandatory tests), hashed, signed and served under /.well-known/csaf',
        body: { type: 'object', additionalProperties: true, required: ['document'] },
        response: { 201: { type: 'object', properties: { trackingId: { type: 'string' }, url: { type: 'string' }, sha512: { type: 'string' }, fingerprint: { type: 'string' }, warnings: { type: 'array', items: { type: 'string' } } } }, 400: ref('Problem'), 401: ref('Problem'), 403: ref('Problem'), 422: ref('Problem') },
      },
    }, async (req, reply) => {
      const teamId = req.auth!.teamId;
      const team = await store.team(teamId);
      if (opts.team && team?.name !== opts.team) throw new HttpProblem(403, `this provider publishes the documents of team "${opts.team}" only`);
      const body = req.body as Json;
      const tlp = (((body['document'] as Json)?.['distribution'] as Json)?.['tlp'] as Json)?.['label'];
      // §7.1.5: AMBER and RED need an access-protected path this provider does not have yet.
      if (tlp !== 'WHITE') throw new HttpProblem(422, `only TLP:WHITE documents are published here (this one is ${tlp ? `TLP:${String(tlp)}` : 'unlabelled'}); §7.1.4`);
      const doc = finalise(body, new Date(), `${base(req)}${WELL_KNOWN}/white`);
      const v = await validateCsaf(doc);
      if (!v.valid) throw new HttpProblem(422, `not a valid CSAF 2.0 document (§7.1.1): ${v.errors.slice(0, 5).join('; ')}`);
      const d = doc['document'] as Json;
      const tracking = d['tracking'] as Json;
      const publisher = d['publisher'] as Json;
      const key = await keyOf(teamId, { name: String(publisher['name']), email: typeof publisher['contact_details'] === 'string' && /@/.test(publisher['contact_details']) ? publisher['contact_details'] : undefined });
      // The bytes served are the bytes hashed and signed.
      const served = `${JSON.stringify(doc, null, 2)}\n`;
      const row: CsafDocumentRow = {
        trackingId: String(tracking['id']), filename: csafFilename(String(tracking['id'])), year: yearOf(doc), tlp: 'WHITE', text: served,
        sha256: hex('sha256', served), sha512: hex('sha512', served), signature: await signDetached(served, key.privateKey),
        currentReleaseDate: String(tracking['current_release_date']), publishedAt: new Date().toISOString(),
      };
      await store.putCsafDocument(teamId, row);
      const recommended = await validateCsaf(doc, { recommended: true });
      return reply.code(201).send({ trackingId: row.trackingId, url: `${base(req)}${WELL_KNOWN}/white/${row.year}/${row.filename}`, sha512: row.sha512, fingerprint: key.fingerprint, warnings: recommended.warnings });
    });

    const pub = { config: { public: true }, schema: { hide: true } } as const;

    app.get(`${WELL_KNOWN}/provider-metadata.json`, pub, async (req, reply) => {
      const team = await providerTeam();
      const docs = await store.csafDocuments(team.id);
      const key = await store.csafKey(team.id);
      const first = docs[0] ? ((JSON.parse(docs[0].text) as Json)['document'] as Json)['publisher'] : undefined;
      const b = base(req);
      return reply.type('application/json').send({
        canonical_url: `${b}${WELL_KNOWN}/provider-metadata.json`,
        distributions: [{ directory_url: `${b}${WELL_KNOWN}/white/`, rolie: { feeds: [{ summary: 'All TLP:WHITE advisories.', tlp_label: 'WHITE', url: `${b}${WELL_KNOWN}/white/${FEED}` }], services: [`${b}${WELL_KNOWN}/service.json`] } }],
        last_updated: docs.map((x) => x.publishedAt).sort().at(-1) ?? new Date().toISOString(),
        list_on_CSAF_aggregators: true,
        metadata_version: '2.0',
        mirror_on_CSAF_aggregators: true,
        ...(key ? { public_openpgp_keys: [{ fingerprint: key.fingerprint, url: `${b}${WELL_KNOWN}/openpgp/${key.fingerprint}.asc` }] } : {}),
        publisher: first ?? { category: 'vendor', name: team.name, namespace: b },
        role: 'csaf_trusted_provider',
      });
    });

    app.get(`${WELL_KNOWN}/service.json`, pub, async (req, reply) => {
      await providerTeam();
      const b = base(req);
      return reply.type('application/json').send({ service: { workspace: [{ title: 'Public CSAF feed', collection: [{ title: 'CSAF feed (TLP:WHITE)', href: `${b}${WELL_KNOWN}/white/${FEED}`, categories: { category: [{ scheme: 'urn:ietf:params:rolie:category:information-type', term: 'csaf' }] } }] }] } });
    });

    app.get(`${WELL_KNOWN}/openpgp/:file`, pub, async (req, reply) => {
      const team = await providerTeam();
      const key = await store.csafKey(team.id);
      if (!key || (req.params as { file: string }).file !== `${key.fingerprint}.asc`) throw new HttpProblem(404, 'no such key');
      return text(reply, 'application/pgp-keys', key.publicKey);
    });

    app.get(`${WELL_KNOWN}/white/${FEED}`, pub, async (req, reply) => {
      const team = await providerTeam();
      const b = base(req);
      const docs = await store.csafDocuments(team.id);
      return reply.type('application/json').send({
        feed: {
          id: `${team.name}-csaf-feed-tlp-white`, title: `${team.name} CSAF feed (TLP:WHITE)`,
          link: [{ rel: 'self', href: `${b}${WELL_KNOWN}/white/${FEED}` }],
          category: [{ scheme: 'urn:ietf:params:rolie:category:information-type', term: 'csaf' }],
          updated: docs.map((x) => x.publishedAt).sort().at(-1) ?? new Date().toISOString(),
          entry: docs.map((x) => {
            const url = `${b}${WELL_KNOWN}/white/${x.year}/${x.filename}`;
            const d = (JSON.parse(x.text) as Json)['document'] as Json;
            return {
              id: x.trackingId, title: String(d['title']),
              link: [{ rel: 'self', href: url }, { rel: 'hash', href: `${url}.sha256` }, { rel: 'hash', href: `${url}.sha512` }, { rel: 'signature', href: `${url}.asc` }],
              published: String((d['tracking'] as Json)['initial_release_date']), updated: x.currentReleaseDate,
              content: { type: 'application/json', src: url },
              format: { schema: 'https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json', version: '2.0' },
            };
          }),
        },
      });
    });

    app.get(`${WELL_KNOWN}/white/index.txt`, pub, async (_req, reply) => {
      const docs = await store.csafDocuments((await providerTeam()).id);
      return text(reply, 'text/plain; charset=utf-8', docs.map((x) => `${x.year}/${x.filename}\n`).join(''));
    });

    app.get(`${WELL_KNOWN}/white/changes.csv`, pub, async (_req, reply) => {
      // Newest current_release_date first (§7.1.13); the store orders them so.
      const docs = await store.csafDocuments((await providerTeam()).id);
      return text(reply, 'text/csv; charset=utf-8', docs.map((x) => `"${x.year}/${x.filename}","${x.currentReleaseDate}"\n`).join(''));
    });

    const listing = (title: string, names: string[]) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><ul>${names.map((n) => `<li><a href="${encodeURI(n)}">${n.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`)}</a></li>`).join('')}</ul></body></html>\n`;
    // §7.1.14: directory listings for people who browse.
    app.get(`${WELL_KNOWN}/white/`, pub, async (_req, reply) => {
      const docs = await store.csafDocuments((await providerTeam()).id);
      return text(reply, 'text/html; charset=utf-8', listing('CSAF TLP:WHITE', [...new Set(docs.map((x) => `${x.year}/`))].sort().concat(['index.txt', 'changes.csv', FEED])));
    });
    app.get(`${WELL_KNOWN}/white/:year/`, pub, async (req, reply) => {
      const { year } = req.params as { year: string };
      const docs = (await store.csafDocuments((await providerTeam()).id)).filter((x) => x.year === year);
      if (!docs.length) throw new HttpProblem(404, `no documents of ${year}`);
      return text(reply, 'text/html; charset=utf-8', listing(`CSAF TLP:WHITE ${year}`, docs.flatMap((x) => [x.filename, `${x.filename}.sha256`, `${x.filename}.sha512`, `${x.filename}.asc`]).sort()));
    });

    app.get(`${WELL_KNOWN}/white/:year/:file`, pub, async (req, reply) => {
      const { year, file } = req.params as { year: string; file: string };
      const m = /^(.+\.json)(\.sha256|\.sha512|\.asc)?$/.exec(file);
      const doc = m ? (await store.csafDocuments((await providerTeam()).id)).find((x) => x.year === year && x.filename === m[1]) : undefined;
      if (!doc) throw new HttpProblem(404, `no ${year}/${file}`);
      // §7.1.18: the hash file starts with the hexadecimal value, then the file name.
      if (m![2] === '.sha256') return text(reply, 'text/plain; charset=utf-8', `${doc.sha256}  ${doc.filename}\n`);
      if (m![2] === '.sha512') return text(reply, 'text/plain; charset=utf-8', `${doc.sha512}  ${doc.filename}\n`);
      if (m![2] === '.asc') return text(reply, 'application/pgp-signature', doc.signature);
      return text(reply, 'application/json', doc.text);
    });

    app.get('/.well-known/security.txt', pub, async (_req, reply) => {
      if (!opts.securityTxt) throw new HttpProblem(404, 'no security.txt configured (marque serve --security-txt FILE, made by "marque advisory security-txt")');
      return text(reply, 'text/plain; charset=utf-8', opts.securityTxt);
    });
  };
}
