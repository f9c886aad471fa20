// The portfolio repository: every query scoped by team (a release of another team is "not
// found", never "forbidden"), written once over the Sql interface for both adapters.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { withOrigin, withRepository, type ApiToken, type ReleaseFacts, type Webhook, type WebhookDelivery, type PortfolioEvent, type PortfolioRow, type Product, type Release, type ReleaseComponent, type ReportSent, type ReportStage, type Role, type StoredFinding, type Team, type VexDecision } from '../../model/portfolio.ts';
import { MIGRATIONS } from './migrations.ts';
import { checkCount, Conflict, isUniqueViolation } from './errors.ts';
import { asRelease, BATCH, insertRelease, insertRows, now, str } from './rows.ts';
import { factsToKeep, placeRelease, productCap, releaseCap, unlistedToKeep, sameUpstreams, sameVex, upstreamsChanged } from './place-release.ts';
import { addEvents, FINDING_COLUMNS, saveMatch, type StoredEvidence } from './save-match.ts';
import { clockOf } from '../../api/release-findings.ts';
import { MATCHER_VERSION } from '../rematch.ts';
import { VULNERABILITY_REPORTING } from '../../cra/rules/reporting.ts';

const REPORT_STAGES = VULNERABILITY_REPORTING.map((s) => s.id as ReportStage);
import type { Row, Sql } from './sql.ts';
import type { NewDecision, NewRelease, PortfolioStore, ReleaseChange, StoreCaps } from './store.ts';

/** Tokens are long random secrets: a plain SHA-256 is enough to compare without storing them. */
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const asDecision = (r: Row): VexDecision => ({
  id: String(r['id']), releaseId: String(r['release_id']), vulnerability: String(r['vulnerability']), component: String(r['component']),
  status: r['status'] as VexDecision['status'], justification: str(r['justification']), impact: str(r['impact']), decidedBy: String(r['decided_by']), decidedAt: String(r['decided_at']),
});

const asDelivery = (r: Row): WebhookDelivery => ({
  webhookId: String(r['webhook_id']), eventSeq: Number(r['event_seq']), attempts: Number(r['attempts']), status: r['status'] as WebhookDelivery['status'],
  lastCode: r['last_code'] === null || r['last_code'] === undefined ? null : Number(r['last_code']), lastError: str(r['last_error']), lastAt: str(r['last_at']), nextAt: str(r['next_at']),
});

export function portfolioStore(sql: Sql): PortfolioStore {
  const owned = async (teamId: string, releaseId: string) =>
    (await sql.all('select r.id from release r join product p on p.id = r.product_id where r.id = ? and p.team_id = ?', [releaseId, teamId])).length > 0;

  return {
    postgres: sql.postgres,
    async migrate() {
      await sql.exec('create table if not exists schema_migration (id integer primary key, applied_at text not null)');
      const done = new Set((await sql.all('select id from schema_migration')).map((r) => Number(r['id'])));
      for (const m of MIGRATIONS) {
        if (done.has(m.id)) continue;
        await sql.transaction(async (tx) => {
          const text = sql.dialect === 'postgres' && m.postgres ? m.postgres : m.sql;
          for (const statement of text.split(';').map((x) => x.trim()).filter(Boolean)) await tx.run(statement);
          await m.code?.(tx);
          await tx.run('insert into schema_migration (id, applied_at) values (?, ?)', [m.id, now()]);
        });
      }
    },
    close: () => sql.close(),

    async createTeam(name) {
      const t: Team = { id: randomUUID(), name, createdAt: now() };
      await sql.run('insert into team (id, name, created_at) values (?, ?, ?)', [t.id, t.name, t.createdAt]);
      return t;
    },
    async createProduct(teamId, name, caps) {
      const p: Product = { id: randomUUID(), teamId, name, createdAt: now() };
      // The unique key decides, also between two requests at once: the second is a conflict, not a 500.
      try {
        await sql.transaction(async (tx) => {
          // A name the team has already is a conflict, not a full team.
          if (caps?.products !== undefined && !(await tx.all('select id from product where team_id = ? and name = ?', [teamId, name])).length) await productCap(tx, teamId, caps);
          await tx.run('insert into product (id, team_id, name, created_at) values (?, ?, ?, ?)', [p.id, teamId, name, p.createdAt]);
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw new Conflict(`the team already has a product named "${name}"`);
        throw e;
      }
      return p;
    },
    async product(teamId, productId) {
      const [r] = await sql.all('select * from product where id = ? and team_id = ?', [productId, teamId]);
      return r && { id: String(r['id']), teamId: String(r['team_id']), name: String(r['name']), createdAt: String(r['created_at']) };
    },
    async products(teamId) {
      return (await sql.all('select * from product where team_id = ? order by name', [teamId])).map((r) => ({ id: String(r['id']), teamId: String(r['team_id']), name: String(r['name']), createdAt: String(r['created_at']) }));
    },

    async createRelease(teamId, n: NewRelease, caps) {
      if (!(await this.product(teamId, n.productId))) throw new Error(`no product ${n.productId}`);
      const r: Release = {
        id: randomUUID(), productId: n.productId, version: n.version, placedOnMarket: n.placedOnMarket ?? null, supportEnd: n.supportEnd ?? null,
        status: 'on-market', componentCount: n.components.length, createdAt: now(), facts: n.facts ?? null, ...(unlistedToKeep(n.unlisted) ? { unlisted: unlistedToKeep(n.unlisted) } : {}),
      };
      // The release and all its components land together, or nothing does; a version placed already is a conflict.
      try {
        await sql.transaction(async (tx) => {
          await releaseCap(tx, n.productId, caps);
          await insertRelease(tx, r, n.components);
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw new Conflict(`version ${n.version} of this product is already on the market; a release is placed once (withdraw it, or push another version)`);
        throw e;
      }
      return r;
    },
    placeRelease: (teamId, push, by, caps) => placeRelease(sql, teamId, push, by, caps),
    async release(teamId, releaseId) {
      const [r] = await sql.all('select r.* from release r join product p on p.id = r.product_id where r.id = ? and p.team_id = ?', [releaseId, teamId]);
      return r && asRelease(r);
    },
    async putDossier(teamId, releaseId, dossier, pushedBy) {
      if (!(await owned(teamId, releaseId))) return false;
      await sql.run(`insert into release_dossier (release_id, dossier, pushed_by, pushed_at) values (?, ?, ?, ?)
        on conflict (release_id) do update set dossier = excluded.dossier, pushed_by = excluded.pushed_by, pushed_at = excluded.pushed_at`, [releaseId, JSON.stringify(dossier), pushedBy, now()]);
      return true;
    },
    async dossier(teamId, releaseId) {
      if (!(await owned(teamId, releaseId))) return undefined;
      const [r] = await sql.all('select * from release_dossier where release_id = ?', [releaseId]);
      return r ? { dossier: JSON.parse(String(r['dossier'])) as unknown, pushedBy: String(r['pushed_by']), pushedAt: String(r['pushed_at']) } : undefined;
    },
    async updateRelease(teamId, releaseId, change: ReleaseChange) {
      if (!(await owned(teamId, releaseId))) return undefined;
      const sets: string[] = [];
      const params: unknown[] = [];
      const set = (column: string, value: unknown) => { sets.push(`${column} = ?`); params.push(value); };
      if (change.status !== undefined) set('status', change.status);
      if (change.placedOnMarket !== undefined) set('placed_on_market', change.placedOnMarket);
      if (change.supportEnd !== undefined) set('support_end', change.supportEnd);
      const facts = change.facts === undefined ? undefined : factsToKeep(change.facts);
      if (facts !== undefined) set('facts', facts ? JSON.stringify(facts) : null);
      if (!sets.length) return this.release(teamId, releaseId);
      await sql.transaction(async (tx) => {
        const [before] = await tx.all('select facts from release where id = ?', [releaseId]);
        const kept = before?.['facts'] ? JSON.parse(String(before['facts'])) as ReleaseFacts : null;
        await tx.run(`update release set ${sets.join(', ')} where id = ?`, [...params, releaseId]);
        // Other upstream declarations, or other VEX statements: the release is matched again with them (the caller asks for the match).
        if (facts !== undefined && !sameUpstreams(kept, facts)) await upstreamsChanged(tx, releaseId, facts);
        else if (facts !== undefined && !sameVex(kept, facts)) await tx.run('update release set matched_with = null where id = ?', [releaseId]);
      });
      return this.release(teamId, releaseId);
    },
    async releases(teamId, opts = {}) {
      const params: unknown[] = [teamId];
      let q = 'select r.* from release r join product p on p.id = r.product_id where p.team_id = ?';
      if (opts.productId) { q += ' and r.product_id = ?'; params.push(opts.productId); }
      q += ' order by r.created_at desc, r.id limit ? offset ?';
      params.push(opts.limit ?? 100, opts.offset ?? 0);
      return (await sql.all(q, params)).map(asRelease);
    },
    async components(teamId, releaseId) {
      if (!(await owned(teamId, releaseId))) return [];
      return (await sql.all('select * from release_component where release_id = ? order by purl', [releaseId])).map((c): ReleaseComponent => withRepository(withOrigin({
        purl: String(c['purl']), name: String(c['name']), version: String(c['version']), ecosystem: String(c['ecosystem']),
        depth: c['depth'] === null ? null : Number(c['depth']), scope: str(c['scope']),
      }, c['origin']), c['vcs_url'], c['properties']));
    },
    async setReleaseStatus(teamId, releaseId, status) {
      if (!(await owned(teamId, releaseId))) return false;
      return (await sql.run('update release set status = ? where id = ?', [status, releaseId])) > 0;
    },

    async awareness(teamId, releaseId, component, vulnerability, at) {
      if (!(await owned(teamId, releaseId))) return undefined;
      await sql.run('insert into awareness (release_id, component, vulnerability, aware_at) values (?, ?, ?, ?) on conflict do nothing', [releaseId, component, vulnerability, at.toISOString()]);
      const [r] = await sql.all('select aware_at from awareness where release_id = ? and component = ? and vulnerability = ?', [releaseId, component, vulnerability]);
      return new Date(String(r!['aware_at']));
    },

    async decide(teamId, d: NewDecision) {
      if (!(await owned(teamId, d.releaseId))) return undefined;
      const v: VexDecision = {
        id: randomUUID(), releaseId: d.releaseId, vulnerability: d.vulnerability, component: d.component, status: d.status,
        justification: d.justification ?? null, impact: d.impact ?? null, decidedBy: d.decidedBy, decidedAt: (d.at ?? new Date()).toISOString(),
      };
      await sql.run('insert into vex_decision (id, release_id, vulnerability, component, status, justification, impact, decided_by, decided_at, seq) values (?, ?, ?, ?, ?, ?, ?, ?, ?, (select coalesce(max(seq), 0) + 1 from vex_decision where release_id = ?))',
        [v.id, v.releaseId, v.vulnerability, v.component, v.status, v.justification, v.impact, v.decidedBy, v.decidedAt, v.releaseId]);
      return v;
    },
    async decisions(teamId, releaseId, vulnerability) {
      if (!(await owned(teamId, releaseId))) return [];
      const rows = vulnerability
        ? await sql.all('select * from vex_decision where release_id = ? and vulnerability = ? order by decided_at, seq, id', [releaseId, vulnerability])
        : await sql.all('select * from vex_decision where release_id = ? order by decided_at, seq, id', [releaseId]);
      return rows.map(asDecision);
    },

    async createToken(teamId, role, name, expiresAt = null, caps) {
      const token = `mq_${randomBytes(32).toString('base64url')}`;
      const id = randomUUID();
      await sql.transaction(async (tx) => {
        // Tokens still valid count: a revoked or expired one makes room.
        await checkCount(tx, { limit: 'tokens', max: caps?.tokens, lock: { table: 'team', id: teamId }, what: 'the team\'s valid tokens',
          count: 'select count(*) as n from api_token where team_id = ? and revoked_at is null and (expires_at is null or expires_at > ?)', params: [teamId, now()] });
        await tx.run('insert into api_token (id, team_id, role, name, hash, created_at, expires_at) values (?, ?, ?, ?, ?, ?, ?)', [id, teamId, role, name, hashToken(token), now(), expiresAt?.toISOString() ?? null]);
      });
      return { id, token };
    },
    async tokenOwner(token, at = new Date()) {
      const [r] = await sql.all('select id, team_id, role, name, expires_at, last_used_at, revoked_at from api_token where hash = ?', [hashToken(token)]);
      // Read on every request, never cached: a revoked token is refused by the next request.
      if (!r || r['revoked_at'] || (r['expires_at'] && String(r['expires_at']) <= at.toISOString())) return undefined;
      // Last use is written at most once a minute per token, not on every request.
      const used = str(r['last_used_at']);
      if (!used || at.getTime() - Date.parse(used) >= 60_000) await sql.run('update api_token set last_used_at = ? where id = ?', [at.toISOString(), r['id']]);
      return { teamId: String(r['team_id']), role: r['role'] as Role, name: String(r['name']), tokenId: String(r['id']) };
    },
    async tokens(teamId) {
      const rows = teamId
        ? await sql.all('select * from api_token where team_id = ? order by created_at, id', [teamId])
        : await sql.all('select * from api_token order by team_id, created_at, id');
      return rows.map((r): ApiToken => ({
        id: String(r['id']), teamId: String(r['team_id']), role: r['role'] as Role, name: String(r['name']), createdAt: String(r['created_at']),
        expiresAt: str(r['expires_at']), lastUsedAt: str(r['last_used_at']), revokedAt: str(r['revoked_at']),
      }));
    },
    async revokeToken(id, teamId) {
      const q = 'update api_token set revoked_at = ? where id = ? and revoked_at is null';
      return (teamId ? await sql.run(`${q} and team_id = ?`, [now(), id, teamId]) : await sql.run(q, [now(), id])) > 0;
    },
    async lastEventSeq(teamId) {
      const [r] = await sql.all('select max(seq) as seq from event where team_id = ?', [teamId]);
      return Number(r?.['seq'] ?? 0);
    },
    async team(teamId) {
      const [r] = await sql.all('select * from team where id = ?', [teamId]);
      return r ? { id: String(r['id']), name: String(r['name']), createdAt: String(r['created_at']) } : undefined;
    },
    async releasesWith(teamId, identity) {
      const prefix = `${identity}@`;
      const rows = await sql.all(`select r.id, r.version as release_version, p.name, c.purl, c.version from release_component c join release r on r.id = c.release_id join product p on p.id = r.product_id
        where p.team_id = ? and substr(c.purl, 1, ?) = ? order by p.name, r.created_at`, [teamId, prefix.length, prefix]);
      return rows.map((r) => ({ releaseId: String(r['id']), product: String(r['name']), version: String(r['release_version']), purl: String(r['purl']), componentVersion: String(r['version']) }));
    },
    async teamCount() {
      const [r] = await sql.all('select count(*) as n from team');
      return Number(r!['n']);
    },
    async teamByName(name) {
      const [r] = await sql.all('select * from team where name = ? order by created_at limit 1', [name]);
      return r && { id: String(r['id']), name: String(r['name']), createdAt: String(r['created_at']) };
    },

    async releasesToWatch(month, teamId) {
      const params: unknown[] = [month];
      let q = `select r.*, p.team_id as team_id, p.name as product_name from release r join product p on p.id = r.product_id
        where (r.support_end is null or r.support_end >= ?)`;
      if (teamId) { q += ' and p.team_id = ?'; params.push(teamId); }
      return (await sql.all(`${q} order by r.created_at, r.id`, params)).map((r) => ({ teamId: String(r['team_id']), release: asRelease(r), productName: String(r['product_name']) }));
    },
    async storedFindings(teamId, releaseId) {
      if (!(await owned(teamId, releaseId))) return [];
      return (await sql.all('select * from finding where release_id = ? order by vulnerability, component', [releaseId])).map((r): StoredFinding => ({
        releaseId, component: String(r['component']), vulnerability: String(r['vulnerability']), exploited: Number(r['exploited']) === 1,
        status: r['status'] as StoredFinding['status'], firstSeen: String(r['first_seen']), lastSeen: String(r['last_seen']),
      }));
    },
    async saveFindings(teamId, releaseId, findings, at, events = [], coverage) {
      if (!(await owned(teamId, releaseId))) return [];
      const firstSeen = new Map((await this.storedFindings(teamId, releaseId)).map((f) => [`${f.component}\0${f.vulnerability}`, f.firstSeen]));
      // Findings, their events and the events' deliveries land together: a re-match killed halfway
      // and retried announces each finding once.
      return sql.transaction(async (tx) => {
        await tx.run('delete from finding where release_id = ?', [releaseId]);
        if (coverage) await tx.run('update release set coverage = ? where id = ?', [JSON.stringify(coverage), releaseId]);
        await insertRows(tx, 'finding', FINDING_COLUMNS, findings.map((f) => [releaseId, f.component, f.vulnerability, f.exploited ? 1 : 0, f.status, firstSeen.get(`${f.component}\0${f.vulnerability}`) ?? at.toISOString(), at.toISOString(), null, null]));
        return addEvents(tx, teamId, releaseId, events, at);
      });
    },
    saveMatch: (teamId, releaseId, m) => saveMatch(sql, teamId, releaseId, m),
    async awarenessOf(teamId, releaseId) {
      if (!(await owned(teamId, releaseId))) return new Map();
      return new Map((await sql.all('select component, vulnerability, aware_at from awareness where release_id = ?', [releaseId]))
        .map((r) => [`${String(r['component'])}\0${String(r['vulnerability'])}`, new Date(String(r['aware_at']))]));
    },
    // The package → releases index, and the releases with a finding under given advisories: in batches, watched releases only.
    releasesHolding: (packages, month) => watchedReleasesWhere(sql, 'release_package x', 'x.release_id', 'x.pkg', packages, month),
    releasesWithFindings: (vulnerabilities, month) => watchedReleasesWhere(sql, 'finding x', 'x.release_id', 'x.vulnerability', vulnerabilities, month),
    async watchedRelease(releaseId) {
      const [r] = await sql.all('select r.*, p.team_id as team_id, p.name as product_name from release r join product p on p.id = r.product_id where r.id = ?', [releaseId]);
      return r && { teamId: String(r['team_id']), release: asRelease(r), productName: String(r['product_name']) };
    },
    async pendingReleaseIds(matcher, month, o = {}) {
      // Pending until a full match with this matcher version is stored (matched_with); oldest first.
      const params: unknown[] = [matcher, month];
      let q = 'select r.id from release r where (r.matched_with is null or r.matched_with <> ?) and (r.support_end is null or r.support_end >= ?)';
      if (o.ids) {
        if (!o.ids.length) return [];
        q += ` and r.id in (${o.ids.map(() => '?').join(', ')})`;
        params.push(...o.ids);
      }
      q += ' order by r.created_at, r.id';
      if (o.limit !== undefined) { q += ' limit ?'; params.push(o.limit); }
      return (await sql.all(q, params)).map((r) => String(r['id']));
    },
    async markPending(teamId) {
      return teamId
        ? sql.run('update release set matched_with = null where product_id in (select id from product where team_id = ?)', [teamId])
        : sql.run('update release set matched_with = null');
    },
    async markReleasesPending(releaseIds) {
      let n = 0;
      for (let i = 0; i < releaseIds.length; i += BATCH) {
        const batch = releaseIds.slice(i, i + BATCH);
        n += await sql.run(`update release set matched_with = null where id in (${batch.map(() => '?').join(', ')})`, batch);
      }
      return n;
    },
    async claimRematch(teamId, at, staleMs) {
      const claim = randomUUID();
      return sql.transaction(async (tx) => {
        await tx.run('delete from team_rematch where team_id = ? and beat_at < ?', [teamId, new Date(at.getTime() - staleMs).toISOString()]);
        await tx.run('insert into team_rematch (team_id, claim, started_at, beat_at) values (?, ?, ?, ?) on conflict (team_id) do nothing', [teamId, claim, at.toISOString(), at.toISOString()]);
        const [r] = await tx.all('select claim, started_at from team_rematch where team_id = ?', [teamId]);
        return r && String(r['claim']) === claim ? { claim } : { runningSince: String(r?.['started_at']) };
      });
    },
    async beatRematch(teamId, claim, at) {
      await sql.run('update team_rematch set beat_at = ? where team_id = ? and claim = ?', [at.toISOString(), teamId, claim]);
    },
    async endRematch(teamId, claim) {
      await sql.run('delete from team_rematch where team_id = ? and claim = ?', [teamId, claim]);
    },
    async advisoryCursor(dataId) {
      const [r] = await sql.all('select seq from advisory_cursor where data_id = ?', [dataId]);
      return r ? Number(r['seq']) : undefined;
    },
    async setAdvisoryCursor(dataId, seq) {
      // Never backwards: two servers reading one database move its position forward only.
      await sql.run(`insert into advisory_cursor (data_id, seq, at) values (?, ?, ?)
        on conflict (data_id) do update set seq = case when excluded.seq > advisory_cursor.seq then excluded.seq else advisory_cursor.seq end, at = excluded.at`, [dataId, seq, now()]);
    },
    async queueDepth(month) {
      const [r] = await sql.all(`select count(*) as n from release r where (r.matched_with is null or r.matched_with <> ?) and (r.support_end is null or r.support_end >= ?)`, [MATCHER_VERSION, month]);
      const [d] = await sql.all("select count(*) as n from webhook_delivery where status = 'pending'");
      return { releases: Number(r!['n']), deliveries: Number(d!['n']) };
    },
    async counts() {
      const events = await sql.all('select kind, count(*) as n from event group by kind');
      const deliveries = await sql.all('select status, count(*) as n from webhook_delivery group by status');
      return { events: Object.fromEntries(events.map((r) => [String(r['kind']), Number(r['n'])])), deliveries: Object.fromEntries(deliveries.map((r) => [String(r['status']), Number(r['n'])])) };
    },
    async addEvent(teamId, releaseId, kind, payload, at) {
      const [r] = await sql.all('insert into event (team_id, release_id, kind, payload, at) values (?, ?, ?, ?, ?) returning seq', [teamId, releaseId, kind, JSON.stringify(payload), at.toISOString()]);
      return { seq: Number(r!['seq']), teamId, releaseId, kind, payload, at: at.toISOString() };
    },
    async events(teamId, after, limit) {
      return (await sql.all('select * from event where team_id = ? and seq > ? order by seq limit ?', [teamId, after, limit])).map((r): PortfolioEvent => ({
        seq: Number(r['seq']), teamId, releaseId: str(r['release_id']), kind: r['kind'] as PortfolioEvent['kind'], payload: JSON.parse(String(r['payload'])) as Record<string, unknown>, at: String(r['at']),
      }));
    },

    async portfolio(teamId) {
      // Four queries for the whole team, whatever its size: findings are counted in the database, and
      // only the open exploited ones (the few with a clock) come back one by one; deadlines are worked out here.
      const open = "f.status in ('affected', 'under_investigation')";
      const ofTeam = 'join release r on r.id = f.release_id join product p on p.id = r.product_id where p.team_id = ?';
      // Asked at once: on PostgreSQL four connections answer together.
      const [releases, counts, exploited, sent] = await Promise.all([
        sql.all('select r.*, p.name as product_name from release r join product p on p.id = r.product_id where p.team_id = ? order by p.name, r.created_at desc', [teamId]),
        sql.all(`select f.release_id, count(*) as n, sum(f.exploited) as x, count(distinct f.vulnerability) as v, count(distinct f.component) as c, count(distinct case when f.exploited = 1 then f.vulnerability end) as xv from finding f ${ofTeam} and ${open} group by f.release_id`, [teamId]),
        sql.all(`select f.release_id, f.vulnerability, f.aliases, f.evidence, a.aware_at from finding f
          left join awareness a on a.release_id = f.release_id and a.component = f.component and a.vulnerability = f.vulnerability
          ${ofTeam} and ${open} and f.exploited = 1`, [teamId]),
        sql.all('select r.product_id, s.vulnerability, s.stage from report_sent s join release r on r.id = s.release_id join product p on p.id = r.product_id where p.team_id = ?', [teamId]),
      ]);
      // A report is of the vulnerability in the product (Art. 14(1)): one sent for any release of the product counts.
      const sentKey = new Set(sent.map((s) => `${String(s['product_id'])}\0${String(s['vulnerability'])}\0${String(s['stage'])}`));
      // The server's record of a product begins with its first release (productRecord's "since"), here from the team's releases.
      const recordSince = new Map<string, string>();
      for (const r of releases) {
        const product = String(r['product_id']);
        const created = String(r['created_at']);
        if (!recordSince.has(product) || created < recordSince.get(product)!) recordSince.set(product, created);
      }
      const byRelease = new Map<string, PortfolioRow>(releases.map((r) => [String(r['id']), { release: asRelease(r), product: String(r['product_name']), openFindings: 0, openExploited: 0, openVulnerabilities: 0, openComponents: 0, exploitedVulnerabilities: 0, nextDeadline: null, ifAwareFrom: null, coverage: r['coverage'] ? JSON.parse(String(r['coverage'])) as PortfolioRow['coverage'] : null }]));
      for (const c of counts) {
        const row = byRelease.get(String(c['release_id']));
        // Vulnerabilities and the components they are in, counted apart: a finding is one pair of them.
        if (row) Object.assign(row, { openFindings: Number(c['n']), openExploited: Number(c['x'] ?? 0), openVulnerabilities: Number(c['v']), openComponents: Number(c['c']), exploitedVulnerabilities: Number(c['xv'] ?? 0) });
      }
      const at = new Date();
      // Releases with an open exploited finding stored before what its moment rests on was kept: their rows cannot say.
      const unknown = new Set<string>();
      for (const f of exploited) {
        const row = byRelease.get(String(f['release_id']));
        if (!row || !f['aware_at']) continue;
        // A report recorded under any id of the vulnerability (the CVE of a GHSA) counts, as on the findings page.
        const ids = idsOf(f);
        const sentStages = REPORT_STAGES.filter((stage) => ids.some((id) => sentKey.has(`${row.release.productId}\0${id}\0${stage}`)));
        const evidence = f['evidence'] ? JSON.parse(String(f['evidence'])) as StoredEvidence : undefined;
        if (!evidence) unknown.add(row.release.id);
        // The findings page's clock (clockOf), from the same moment, reports and evidence: its deadlines, and those from
        // the KEV listing (or publication) when that predates the server's record of the product.
        const clock = clockOf(new Date(String(f['aware_at'])), sentStages.map((stage) => ({ stage })), at, evidence && {
          basis: 'recorded', recordSince: new Date(recordSince.get(row.release.productId)!),
          ...(evidence.exploitedSince ? { exploitedSince: evidence.exploitedSince } : {}), ...(evidence.publicSince ? { publicSince: evidence.publicSince } : {}),
        }, evidence?.measureAvailableAt);
        const vulnerability = String(f['vulnerability']);
        const dues: [ReportStage, string | null][] = [['early-warning', clock.earlyWarningDue], ['notification', clock.notificationDue], ['final-report', clock.finalReportDue]];
        for (const [stage, due] of dues) {
          if (!due || sentStages.includes(stage)) continue;
          if (!row.nextDeadline || due < row.nextDeadline.due) row.nextDeadline = { vulnerability, stage, due, ...(clock.awareness ? { awareness: clock.awareness } : {}) };
        }
        const from = clock.awareness?.ifAwareFrom;
        if (!from) continue;
        for (const [stage, due] of [['early-warning', from.earlyWarningDue], ['notification', from.notificationDue]] as [ReportStage, string][]) {
          if (sentStages.includes(stage)) continue;
          if (!row.ifAwareFrom || due < row.ifAwareFrom.due) row.ifAwareFrom = { vulnerability, stage, due, since: from.since, why: from.why };
        }
      }
      for (const id of unknown) delete byRelease.get(id)!.ifAwareFrom;
      return [...byRelease.values()];
    },

    async addWebhook(teamId, url, caps) {
      const w = { id: randomUUID(), teamId, url, createdAt: now(), secret: randomBytes(32).toString('base64url') };
      await sql.transaction(async (tx) => {
        await checkCount(tx, { limit: 'webhooks', max: caps?.webhooks, lock: { table: 'team', id: teamId }, what: 'the team\'s webhooks', count: 'select count(*) as n from webhook where team_id = ?', params: [teamId] });
        await tx.run('insert into webhook (id, team_id, url, secret, created_at) values (?, ?, ?, ?, ?)', [w.id, teamId, url, w.secret, w.createdAt]);
      });
      return w;
    },
    async deleteWebhook(teamId, webhookId) {
      return sql.transaction(async (tx) => {
        if (!(await tx.all('select id from webhook where id = ? and team_id = ?', [webhookId, teamId])).length) return false;
        await tx.run('delete from webhook_delivery where webhook_id = ?', [webhookId]);
        await tx.run('delete from webhook where id = ?', [webhookId]);
        return true;
      });
    },
    async webhooks(teamId) {
      return (await sql.all('select id, team_id, url, created_at from webhook where team_id = ? order by created_at', [teamId])).map((r) => ({ id: String(r['id']), teamId, url: String(r['url']), createdAt: String(r['created_at']) }));
    },
    async queueDeliveries(event, at) {
      const hooks = await sql.all('select id from webhook where team_id = ?', [event.teamId]);
      for (const h of hooks) {
        await sql.run("insert into webhook_delivery (webhook_id, event_seq, attempts, status, next_at) values (?, ?, 0, 'pending', ?) on conflict do nothing", [String(h['id']), event.seq, at.toISOString()]);
      }
      return hooks.length;
    },
    async dueDeliveries(at, limit, skip = []) {
      // One delivery run at a time (in process on the embedded store, one pg-boss job for every server on PostgreSQL).
      const rows = await sql.all(`select d.*, w.url, w.secret, e.team_id, e.release_id, e.kind, e.payload, e.at as event_at from webhook_delivery d
        join webhook w on w.id = d.webhook_id join event e on e.seq = d.event_seq where d.status = 'pending' and d.next_at <= ?
        ${skip.length ? `and d.webhook_id not in (${skip.map(() => '?').join(', ')})` : ''} order by d.next_at, d.event_seq limit ?`, [at.toISOString(), ...skip, limit]);
      return rows.map((r) => ({
        delivery: asDelivery(r), url: String(r['url']), secret: String(r['secret']),
        event: { seq: Number(r['event_seq']), teamId: String(r['team_id']), releaseId: str(r['release_id']), kind: r['kind'] as PortfolioEvent['kind'], payload: JSON.parse(String(r['payload'])) as Record<string, unknown>, at: String(r['event_at']) },
      }));
    },
    async hasDueDeliveries(at) {
      return (await sql.all("select 1 as due from webhook_delivery where status = 'pending' and next_at <= ? limit 1", [at.toISOString()])).length > 0;
    },
    async recordAttempt(d) {
      const status = d.ok ? 'delivered' : d.nextAt ? 'pending' : 'failed';
      await sql.run('update webhook_delivery set attempts = attempts + 1, status = ?, last_code = ?, last_error = ?, last_at = ?, next_at = ? where webhook_id = ? and event_seq = ?',
        [status, d.code, d.error, d.at.toISOString(), d.nextAt ? d.nextAt.toISOString() : null, d.webhookId, d.eventSeq]);
    },
    async deliveries(teamId, webhookId) {
      const rows = await sql.all('select d.* from webhook_delivery d join webhook w on w.id = d.webhook_id where w.team_id = ? and w.id = ? order by d.event_seq', [teamId, webhookId]);
      return rows.map(asDelivery);
    },

    async exploitedOpen() {
      // Withdrawn releases too: they are matched through their support period (the units sold are in use), and a
      // clock that runs for them is announced like any other (their notices were silent while the portfolio showed them due).
      const rows = await sql.all(`select p.team_id, p.name as product, r.product_id, r.version, f.release_id, f.component, f.vulnerability, f.aliases, a.aware_at
        from finding f join release r on r.id = f.release_id join product p on p.id = r.product_id
        join awareness a on a.release_id = f.release_id and a.component = f.component and a.vulnerability = f.vulnerability
        where f.exploited = 1 and f.status in ('affected', 'under_investigation')`);
      // Sent for any release of the product: a report is of the vulnerability in the product (Art. 14(1)).
      const sent = await sql.all('select r.product_id, s.vulnerability, s.stage from report_sent s join release r on r.id = s.release_id');
      const sentBy = new Map<string, ReportStage[]>();
      for (const s of sent) { const k = `${String(s['product_id'])}\0${String(s['vulnerability'])}`; const l = sentBy.get(k); if (l) l.push(s['stage'] as ReportStage); else sentBy.set(k, [s['stage'] as ReportStage]); }
      return rows.map((r) => ({
        teamId: String(r['team_id']), releaseId: String(r['release_id']), product: String(r['product']), version: String(r['version']), component: String(r['component']),
        vulnerability: String(r['vulnerability']), awareAt: String(r['aware_at']),
        // Sent under any of its ids (a report names the CVE, the finding the GHSA that aliases it).
        sent: [...new Set(idsOf(r).flatMap((id) => sentBy.get(`${String(r['product_id'])}\0${id}`) ?? []))],
      }));
    },
    async noteDeadline(releaseId, vulnerability, stage, kind, at) {
      return (await sql.run('insert into deadline_notice (release_id, vulnerability, stage, kind, at) values (?, ?, ?, ?, ?) on conflict do nothing', [releaseId, vulnerability, stage, kind, at.toISOString()])) > 0;
    },

    async putAssessment(teamId, digest, component, envelope, caps) {
      await sql.transaction(async (tx) => {
        // The same envelope again is kept once and counts once.
        if (caps?.assessments !== undefined && !(await tx.all('select 1 as kept from assessment where team_id = ? and digest = ?', [teamId, digest])).length) {
          await checkCount(tx, { limit: 'assessments', max: caps.assessments, lock: { table: 'team', id: teamId }, what: 'the team\'s assessments', count: 'select count(*) as n from assessment where team_id = ?', params: [teamId] });
        }
        await tx.run('insert into assessment (team_id, digest, component, envelope, created_at) values (?, ?, ?, ?, ?) on conflict do nothing', [teamId, digest, component, JSON.stringify(envelope), now()]);
      });
    },
    async assessments(teamId, component) {
      const rows = component
        ? await sql.all('select * from assessment where team_id = ? and component = ? order by created_at, digest', [teamId, component])
        : await sql.all('select * from assessment where team_id = ? order by created_at, digest', [teamId]);
      return rows.map((r) => ({ digest: String(r['digest']), component: String(r['component']), envelope: JSON.parse(String(r['envelope'])) as unknown, createdAt: String(r['created_at']) }));
    },

    async putSigningKey(teamId, k) {
      await sql.run(`insert into signing_key (team_id, keyid, name, public_key, components, uses, until, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)
        on conflict (team_id, keyid) do update set name = excluded.name, components = excluded.components, uses = excluded.uses, until = excluded.until`,
        [teamId, k.keyid, k.name, k.publicKey, JSON.stringify(k.components), JSON.stringify(k.uses), k.until, k.createdAt]);
    },
    async signingKeys(teamId) {
      return (await sql.all('select * from signing_key where team_id = ? order by created_at, keyid', [teamId])).map((r) => ({
        keyid: String(r['keyid']), name: String(r['name']), publicKey: String(r['public_key']),
        components: JSON.parse(String(r['components'])) as string[], uses: JSON.parse(String(r['uses'])) as string[],
        until: r['until'] === null || r['until'] === undefined ? null : String(r['until']), createdAt: String(r['created_at']),
      }));
    },
    async deleteSigningKey(teamId, keyid) {
      return (await sql.run('delete from signing_key where team_id = ? and keyid = ?', [teamId, keyid])) > 0;
    },

    async recordReport(teamId, r) {
      if (!(await owned(teamId, r.releaseId))) return undefined;
      const sent: ReportSent = { releaseId: r.releaseId, vulnerability: r.vulnerability, stage: r.stage, sentAt: (r.at ?? new Date()).toISOString(), sentBy: r.sentBy };
      // A stage is sent once; recording it again keeps the first record.
      await sql.run('insert into report_sent (release_id, vulnerability, stage, sent_at, sent_by) values (?, ?, ?, ?, ?) on conflict do nothing', [sent.releaseId, sent.vulnerability, sent.stage, sent.sentAt, sent.sentBy]);
      const [row] = await sql.all('select * from report_sent where release_id = ? and vulnerability = ? and stage = ?', [sent.releaseId, sent.vulnerability, sent.stage]);
      return { releaseId: String(row!['release_id']), vulnerability: String(row!['vulnerability']), stage: row!['stage'] as ReportSent['stage'], sentAt: String(row!['sent_at']), sentBy: String(row!['sent_by']) };
    },
    async productRecord(teamId, releaseId) {
      const [r] = await sql.all('select r.product_id from release r join product p on p.id = r.product_id where r.id = ? and p.team_id = ?', [releaseId, teamId]);
      if (!r) return undefined;
      const [first, reports] = await Promise.all([
        sql.all('select min(created_at) as since from release where product_id = ?', [r['product_id']]),
        sql.all('select s.* from report_sent s join release r on r.id = s.release_id where r.product_id = ? order by s.sent_at', [r['product_id']]),
      ]);
      return {
        since: new Date(String(first[0]!['since'])),
        reports: reports.map((row) => ({ releaseId: String(row['release_id']), vulnerability: String(row['vulnerability']), stage: row['stage'] as ReportSent['stage'], sentAt: String(row['sent_at']), sentBy: String(row['sent_by']) })),
      };
    },
    async reports(teamId, releaseId) {
      if (!(await owned(teamId, releaseId))) return [];
      return (await sql.all('select * from report_sent where release_id = ? order by sent_at', [releaseId])).map((row) => ({
        releaseId: String(row['release_id']), vulnerability: String(row['vulnerability']), stage: row['stage'] as ReportSent['stage'], sentAt: String(row['sent_at']), sentBy: String(row['sent_by']),
      }));
    },

    async putCsafDocument(teamId, d) {
      await sql.transaction(async (tx) => {
        await tx.run('delete from csaf_document where team_id = ? and tracking_id = ?', [teamId, d.trackingId]);
        await tx.run('insert into csaf_document (team_id, tracking_id, filename, year, tlp, text, sha256, sha512, signature, current_release_date, published_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [teamId, d.trackingId, d.filename, d.year, d.tlp, d.text, d.sha256, d.sha512, d.signature, d.currentReleaseDate, d.publishedAt]);
      });
    },
    async csafDocuments(teamId) {
      return (await sql.all('select * from csaf_document where team_id = ? order by current_release_date desc, tracking_id', [teamId])).map((r) => ({
        trackingId: String(r['tracking_id']), filename: String(r['filename']), year: String(r['year']), tlp: String(r['tlp']), text: String(r['text']),
        sha256: String(r['sha256']), sha512: String(r['sha512']), signature: String(r['signature']), currentReleaseDate: String(r['current_release_date']), publishedAt: String(r['published_at']),
      }));
    },
    async csafKey(teamId) {
      const [r] = await sql.all('select * from csaf_key where team_id = ?', [teamId]);
      return r && { privateKey: String(r['private_key']), publicKey: String(r['public_key']), fingerprint: String(r['fingerprint']), createdAt: String(r['created_at']) };
    },
    async putCsafKey(teamId, k) {
      // Two servers making a key at once: the first insert wins, the other reads it back.
      await sql.run('insert into csaf_key (team_id, private_key, public_key, fingerprint, created_at) values (?, ?, ?, ?, ?) on conflict (team_id) do nothing', [teamId, k.privateKey, k.publicKey, k.fingerprint, k.createdAt]);
      return (await this.csafKey(teamId))!;
    },
  };
}

/** A stored finding's advisory id and its aliases (none kept on findings stored before migration 20). */
function idsOf(r: Row): string[] {
  const aliases = r['aliases'] ? JSON.parse(String(r['aliases'])) as string[] : [];
  return [String(r['vulnerability']), ...aliases];
}

/** Releases in their support period with a row in `table` whose `column` is one of `values` (in batches). */
async function watchedReleasesWhere(sql: Sql, table: string, releaseColumn: string, column: string, values: string[], month: string): Promise<{ teamId: string; releaseId: string }[]> {
  const out = new Map<string, { teamId: string; releaseId: string }>();
  for (let i = 0; i < values.length; i += BATCH) {
    const batch = values.slice(i, i + BATCH);
    const rows = await sql.all(`select distinct ${releaseColumn} as release_id, p.team_id from ${table} join release r on r.id = ${releaseColumn} join product p on p.id = r.product_id
      where ${column} in (${batch.map(() => '?').join(', ')}) and (r.support_end is null or r.support_end >= ?)`, [...batch, month]);
    for (const r of rows) out.set(String(r['release_id']), { teamId: String(r['team_id']), releaseId: String(r['release_id']) });
  }
  return [...out.values()];
}
