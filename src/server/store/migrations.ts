// The schema, as numbered migrations in SQL that both SQLite and PostgreSQL accept (text keys and
// ISO times, no dialect types), so one repository layer serves both adapters.
/** `postgres`: the few statements that differ (an auto-incrementing key) in PostgreSQL's words. */
import type { Sql } from './sql.ts';
import { indexPackages } from './rows.ts';
import { earliestFor, type RecordedAwareness } from './save-match.ts';

/** `code`: a data change SQL alone cannot make in both dialects, run after `sql` in the same transaction. */
export const MIGRATIONS: readonly { id: number; sql: string; postgres?: string; code?: (tx: Sql) => Promise<void> }[] = [
  {
    id: 1,
    sql: `
create table team (id text primary key, name text not null, created_at text not null);
create table product (id text primary key, team_id text not null references team(id), name text not null, created_at text not null, unique (team_id, name));
create table release (
  id text primary key, product_id text not null references product(id), version text not null,
  placed_on_market text, support_end text, status text not null, component_count integer not null, created_at text not null,
  unique (product_id, version)
);
create table release_component (
  release_id text not null references release(id), purl text not null, name text not null, version text not null,
  ecosystem text not null, depth integer, scope text, primary key (release_id, purl)
);
create index release_component_purl on release_component(purl);
create table awareness (
  release_id text not null references release(id), component text not null, vulnerability text not null, aware_at text not null,
  primary key (release_id, component, vulnerability)
);
create table vex_decision (
  id text primary key, release_id text not null references release(id), vulnerability text not null, component text not null,
  status text not null, justification text, impact text, decided_by text not null, decided_at text not null
);
create index vex_decision_finding on vex_decision(release_id, vulnerability);
create table report_sent (
  release_id text not null references release(id), vulnerability text not null, stage text not null,
  sent_at text not null, sent_by text not null, primary key (release_id, vulnerability, stage)
);`,
  },
  {
    id: 2,
    // API tokens: only a SHA-256 of each is stored; the token itself is shown once.
    sql: `
create table api_token (id text primary key, team_id text not null references team(id), role text not null, name text not null, hash text not null unique, created_at text not null);`,
  },
  {
    id: 3,
    // What the last re-match found for each release, and what changed as events (the feed people watch).
    sql: `
create table finding (
  release_id text not null references release(id), component text not null, vulnerability text not null,
  exploited integer not null, status text not null, first_seen text not null, last_seen text not null,
  primary key (release_id, component, vulnerability)
);
create table event (
  seq integer primary key, team_id text not null references team(id), release_id text, kind text not null, payload text not null, at text not null
);
create index event_team on event(team_id, seq);`,
    postgres: `
create table finding (
  release_id text not null references release(id), component text not null, vulnerability text not null,
  exploited integer not null, status text not null, first_seen text not null, last_seen text not null,
  primary key (release_id, component, vulnerability)
);
create table event (
  seq bigserial primary key, team_id text not null references team(id), release_id text, kind text not null, payload text not null, at text not null
);
create index event_team on event(team_id, seq);`,
  },
  {
    id: 4,
    // Webhooks of a team, and every delivery attempt (the delivery log); the next attempt's time is kept
    // so a restarted server resumes the retries.
    sql: `
create table webhook (id text primary key, team_id text not null references team(id), url text not null, secret text not null, created_at text not null);
create table webhook_delivery (
  webhook_id text not null references webhook(id), event_seq integer not null, attempts integer not null,
  status text not null, last_code integer, last_error text, last_at text, next_at text,
  primary key (webhook_id, event_seq)
);
create index webhook_delivery_due on webhook_delivery(status, next_at);`,
  },
  {
    id: 5,
    // Which deadline notices were given, so each (finding, stage, soon/overdue) is announced once.
    sql: `
create table deadline_notice (
  release_id text not null references release(id), vulnerability text not null, stage text not null, kind text not null, at text not null,
  primary key (release_id, vulnerability, stage, kind)
);`,
  },
  {
    id: 6,
    // The assessment registry: signed envelopes a team keeps, by component (purl without version),
    // and the public keys the team trusts, each for the components and uses it names.
    sql: `
create table assessment (team_id text not null references team(id), digest text not null, component text not null, envelope text not null, created_at text not null, primary key (team_id, digest));
create index assessment_component on assessment(team_id, component);
create table signing_key (team_id text not null references team(id), keyid text not null, name text not null, public_key text not null, components text not null, uses text not null, created_at text not null, primary key (team_id, keyid));`,
  },
  {
    id: 7,
    // A release's CRA facts (class, routes, markets, contacts) as JSON, when pushed with marque.yaml.
    sql: 'alter table release add column facts text',
  },
  {
    id: 8,
    // What the last re-match of a release could check (advisory coverage), for the portfolio view.
    sql: 'alter table release add column coverage text',
  },
  {
    id: 9,
    // The release dossier as pushed from the product folder (marque report's data), one per release.
    sql: 'create table release_dossier (release_id text primary key references release(id), dossier text not null, pushed_by text not null, pushed_at text not null)',
  },
  {
    id: 10,
    // The order decisions were recorded in: two within one millisecond kept their order only by chance.
    sql: 'alter table vex_decision add column seq integer',
  },
  {
    id: 11,
    // Tokens expire, are revoked (kept, for the record of who had access) and say when they were last used.
    sql: `
alter table api_token add column expires_at text;
alter table api_token add column last_used_at text;
alter table api_token add column revoked_at text`,
  },
  {
    id: 12,
    // Webhook URLs kept credentials (user:password@) before they were refused: they are removed, never shown again.
    sql: '',
    async code(tx) {
      for (const r of await tx.all("select id, url from webhook where url like '%@%'")) {
        let u: URL;
        try { u = new URL(String(r['url'])); } catch { continue; }
        if (!u.username && !u.password) continue;
        u.username = '';
        u.password = '';
        await tx.run('update webhook set url = ? where id = ?', [u.href, r['id']]);
      }
    },
  },
  {
    id: 13,
    // What a release was placed with (components, dates, facts) as one digest: a push of the same content is
    // recognised (200, the existing release), one of other content for the same version refused (409).
    sql: 'alter table release add column content_digest text',
  },
  {
    id: 14,
    // The manufacturer's CSAF documents as published (the exact bytes served, their hashes and OpenPGP
    // signature), and the team's CSAF signing key (armored; a secret like the webhook secrets).
    sql: `
create table csaf_document (
  team_id text not null references team(id), tracking_id text not null, filename text not null, year text not null, tlp text not null,
  text text not null, sha256 text not null, sha512 text not null, signature text not null, current_release_date text not null, published_at text not null,
  primary key (team_id, tracking_id)
);
create index csaf_document_file on csaf_document(team_id, year, filename);
create table csaf_key (team_id text primary key references team(id), private_key text not null, public_key text not null, fingerprint text not null, created_at text not null)`,
  },
  {
    id: 15,
    // The package → releases index the incremental re-match looks changed advisories up in (keys as the
    // matcher looks components up: OSV ecosystem family and normalised name, or a repository); a
    // release's pending full match (matched_with differs from the matcher's version) and the lease of the
    // server matching it; each advisory database's position in its change log; delivery leases.
    sql: `
create table release_package (pkg text not null, release_id text not null references release(id), primary key (pkg, release_id)) without rowid;
alter table release add column matched_with text;
alter table release add column match_lease text;
create table advisory_cursor (data_id text primary key, seq integer not null, at text not null);
alter table webhook_delivery add column lease_until text`,
    postgres: `
create table release_package (pkg text not null, release_id text not null references release(id), primary key (pkg, release_id));
alter table release add column matched_with text;
alter table release add column match_lease text;
create table advisory_cursor (data_id text primary key, seq bigint not null, at text not null);
alter table webhook_delivery add column lease_until text`,
    async code(tx) {
      // Releases stored before the index: their components' keys, a batch of releases at a time.
      const releases = (await tx.all('select id from release')).map((r) => String(r['id']));
      for (const id of releases) {
        const components = await tx.all('select purl, name, version, ecosystem from release_component where release_id = ?', [id]);
        await indexPackages(tx, id, components.map((c) => ({ purl: String(c['purl']), name: String(c['name']), version: String(c['version']), ecosystem: String(c['ecosystem']) })));
      }
    },
  },
  {
    id: 16,
    // The leases of migration 15 are gone: on PostgreSQL the shared work runs on pg-boss (src/server/queue.ts),
    // and the embedded store's work runs in its one process.
    sql: `
alter table release drop column match_lease;
alter table webhook_delivery drop column lease_until`,
  },
  {
    id: 17,
    // Whose code a component is (model/counting.ts): "subject" (the product itself), "first-party"
    // (its own code), null (a third party's, and every component stored before this was kept).
    sql: 'alter table release_component add column origin text',
  },
  {
    id: 18,
    // What GIT advisories are matched by (the SBOM's vcs reference, a released ROS package's repository and
    // upstream release as JSON properties); null on components stored before: coverage gaps, as they were.
    sql: `
alter table release_component add column vcs_url text;
alter table release_component add column properties text`,
  },
  {
    id: 19,
    // Until when a trusted key counts (RFC 3339; null: no end), as a local trust policy's "until".
    sql: 'alter table signing_key add column until text',
  },
  {
    id: 20,
    // A finding's other ids (a GHSA's CVE), as JSON: a report recorded under any of them counts for the
    // deadlines and the portfolio, as it does on the findings page. Null on findings stored before: their
    // next match fills it.
    sql: 'alter table finding add column aliases text',
  },
  {
    id: 21,
    // Awareness is of the vulnerability in the product, not of one release (Art. 14(1)): each release's moment
    // was recorded when that release was first matched, so a new version of a product restarted the clock. Each
    // recorded moment becomes the earliest recorded for the vulnerability (under any of its ids) in any component
    // and release of the product, as save-match.ts records it from now on. Moments only move earlier.
    sql: '',
    async code(tx) {
      const rows = await tx.all(`select r.product_id, a.release_id, a.component, a.vulnerability, a.aware_at, f.aliases from awareness a
        join release r on r.id = a.release_id
        left join finding f on f.release_id = a.release_id and f.component = a.component and f.vulnerability = a.vulnerability`);
      const byProduct = new Map<string, RecordedAwareness[]>();
      for (const r of rows) {
        const rec: RecordedAwareness = { releaseId: String(r['release_id']), component: String(r['component']), vulnerability: String(r['vulnerability']), aliases: r['aliases'] ? JSON.parse(String(r['aliases'])) as string[] : [], at: new Date(String(r['aware_at'])) };
        const list = byProduct.get(String(r['product_id']));
        if (list) list.push(rec); else byProduct.set(String(r['product_id']), [rec]);
      }
      for (const recorded of byProduct.values()) {
        for (const r of recorded) {
          const earliest = earliestFor(recorded, [r.vulnerability, ...r.aliases]);
          if (earliest && earliest < r.at) await tx.run('update awareness set aware_at = ? where release_id = ? and component = ? and vulnerability = ?', [earliest.toISOString(), r.releaseId, r.component, r.vulnerability]);
        }
      }
    },
  },
  {
    id: 22,
    // What a finding's Art. 14(2) clock rests on besides the server's record of the product (the KEV listing, the
    // publication, a VEX statement's measure), as JSON: the portfolio's nearest deadline then says, as the findings
    // page does, when the vulnerability was listed as exploited before that record began, and the deadlines from
    // then. Null on findings stored before: the matcher's version changed with it, and the next match fills it.
    sql: 'alter table finding add column evidence text',
  },
  {
    id: 23,
    // What the release's inventory names without listing it (unresolved dependencies, lockfiles not read), as JSON:
    // its coverage is then not complete, as "marque vulns" says. Null when none, and on releases placed before.
    sql: 'alter table release add column unlisted text',
  },
  {
    id: 24,
    // The full re-match of a team POST /rematch runs: one at a time per team, whichever server holds it; a claim
    // whose server stopped saying it is alive (beat_at) is taken over.
    sql: 'create table team_rematch (team_id text primary key, claim text not null, started_at text not null, beat_at text not null)',
  },
];
