// When Marque first recorded each exploited vulnerability of each product: the moment of awareness
// that starts the Art. 14(2) clock. Kept apart from the advisory database, which updates replace
// wholesale. Awareness is of the vulnerability in the product (Art. 14(1): "any actively exploited
// vulnerability contained in the product with digital elements"): the earliest moment recorded for
// any release of the product and any component carrying it, so that a new version number does not
// start the clock again. The store also keeps when it was started and when each product was first
// checked with it: Marque knows nothing of the time before, and says so (src/cra/clock.ts).
import { DatabaseSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** A product as the store keys it: its releases share the line (group and name), the version tells them apart. */
export interface AwarenessProduct { group?: string; name: string; version?: string }

/** The product without its version: what the releases of one product share. */
export const productLine = (p: AwarenessProduct): string => `${p.group ? `${p.group}/` : ''}${p.name}`;
/** One release of the product (src/model/product.ts productKey: the key records were kept under before). */
const releaseKey = (p: AwarenessProduct): string => `${productLine(p)}@${p.version ?? ''}`;
/** The line of a key stored before lines were kept: all before the last "@". */
const lineOfKey = (key: string): string => (key.lastIndexOf('@') > 0 ? key.slice(0, key.lastIndexOf('@')) : key);

export interface AwarenessRecord {
  /** The moment of awareness: the earliest recorded for the vulnerability in any release of the product. */
  at: Date;
  /** The release (group/name@version) it was recorded for. */
  recordedFor: string;
  /** When Marque first checked the product with this store: its record says nothing of the time before. */
  recordSince: Date;
  /** When the store was started. */
  storeStarted: Date;
}

/** The store's schema version (`pragma user_version`); 0 is the first one (per release, no start times). */
const SCHEMA = 1;

export class AwarenessStore {
  private readonly db: DatabaseSync;
  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    // Two runs at once (a CI matrix over one cache) wait for each other instead of failing.
    this.db.exec('pragma busy_timeout = 10000');
    this.db.exec('create table if not exists aware(product text not null, component text not null, vulnerability text not null, aware_at text not null, primary key(product, component, vulnerability))');
    if (this.version() < SCHEMA) this.migrate();
  }

  private version(): number {
    return Number((this.db.prepare('pragma user_version').get() as { user_version: number }).user_version);
  }

  /**
   * Version 1: each record names its product's line (the product without version), each product's first
   * check is kept, and the store's start. A store kept before has neither: its earliest record stands for both,
   * the latest moment its records support.
   */
  private migrate(): void {
    this.db.exec('begin immediate');
    try {
      if (this.version() < 1) {
        this.db.exec('alter table aware add column line text');
        const update = this.db.prepare('update aware set line = ? where product = ?');
        for (const r of this.db.prepare('select distinct product from aware').all() as { product: string }[]) update.run(lineOfKey(r.product), r.product);
        this.db.exec(`create index aware_line on aware(line, vulnerability);
          create table checked(line text primary key, first_at text not null);
          insert into checked(line, first_at) select line, min(aware_at) from aware group by line;
          create table meta(key text primary key, value text not null);
          insert into meta(key, value) select 'started', min(aware_at) from aware having count(*) > 0;
          pragma user_version = 1`);
      }
      this.db.exec('commit');
    } catch (e) {
      this.db.exec('rollback');
      throw e;
    }
  }

  /** Notes that the product was checked at `now`: the first such moment begins Marque's record of it (and of the store). */
  checked(product: AwarenessProduct, now: Date): void {
    this.db.prepare("insert or ignore into meta(key, value) values ('started', ?)").run(now.toISOString());
    this.db.prepare('insert or ignore into checked(line, first_at) values (?, ?)').run(productLine(product), now.toISOString());
  }

  /**
   * The stored moment of awareness, recording `now` the first time the vulnerability is found exploited in the
   * product. A vulnerability is known by several ids (a PYSEC record, then a GHSA aliasing the same CVE), and the
   * id a finding is named by changes when the database learns another: awareness is the earliest recorded under
   * any of `ids`, in any component and any release of the product, so neither a new alias nor a new version
   * restarts the Art. 14(2) clock. The first id names a new record.
   */
  awareAt(product: AwarenessProduct, component: string, ids: readonly string[], now: Date): AwarenessRecord {
    this.checked(product, now);
    const line = productLine(product);
    const earliest = () => this.db.prepare(`select product, aware_at from aware where line = ? and vulnerability in (${ids.map(() => '?').join(', ')}) order by aware_at, product limit 1`)
      .get(line, ...ids) as { product: string; aware_at: string } | undefined;
    let known = earliest();
    if (!known) {
      this.db.prepare('insert or ignore into aware(product, component, vulnerability, aware_at, line) values (?, ?, ?, ?, ?)').run(releaseKey(product), component, ids[0]!, now.toISOString(), line);
      known = earliest()!;
    }
    const since = (this.db.prepare('select first_at from checked where line = ?').get(line) as { first_at: string }).first_at;
    const started = (this.db.prepare("select value from meta where key = 'started'").get() as { value: string }).value;
    return { at: new Date(known.aware_at), recordedFor: known.product, recordSince: new Date(since), storeStarted: new Date(started) };
  }

  close(): void { this.db.close(); }
}
