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
  /** The stored moment of awareness, recording `now` the first time a finding is seen. */
  awareAt(product: string, component: string, vulnerability: string, now: Date): Date {
    this.db.prepare('insert or ignore into aware(product, component, vulnerability, aware_at) values (?, ?, ?, ?)').run(product, component, vulnerability, now.toISOString());
    const r = this.db.prepare('select aware_at from aware where product = ? and component = ? and vulnerability = ?').get(product, component, vulnerability) as { aware_at: string };
    return new Date(r.aware_at);
  }
  close(): void { this.db.close(); }
}
