// When Marque first recorded each finding of each product: the moment of awareness that starts
// the Art. 14(2) clock. Kept apart from the advisory database, which updates replace wholesale.
import { DatabaseSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export class AwarenessStore {
  private readonly db: DatabaseSync;
  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    this.db.exec('create table if not exists aware(product text not null, component text not null, vulnerability text not null, aware_at text not null, primary key(product, component, vulnerability))');
  }
  /**
   * The stored moment of awareness, recording `now` the first time a finding is seen. A vulnerability
   * is known by several ids (a PYSEC record, then a GHSA aliasing the same CVE), and the id a finding
   * is named by changes when the database learns another: awareness is the earliest recorded under any
   * of `ids`, so a new alias never restarts the Art. 14(2) clock. The first id names a new record.
   */
  awareAt(product: string, component: string, ids: readonly string[], now: Date): Date {
    const earliest = () => (this.db.prepare(`select min(aware_at) as aware_at from aware where product = ? and component = ? and vulnerability in (${ids.map(() => '?').join(', ')})`)
      .get(product, component, ...ids) as { aware_at: string | null }).aware_at;
    const known = earliest();
    if (known) return new Date(known);
    this.db.prepare('insert or ignore into aware(product, component, vulnerability, aware_at) values (?, ?, ?, ?)').run(product, component, ids[0]!, now.toISOString());
    return new Date(earliest()!);
  }
  close(): void { this.db.close(); }
}
