// The SQL both adapters run through: "?" placeholders, rows as plain objects, and transactions.
export type Row = Record<string, unknown>;

export interface Sql {
  readonly dialect: 'sqlite' | 'postgres';
  /** Where a PostgreSQL adapter connects (for the job queue beside the store). */
  readonly postgres?: { url: string; schema?: string };
  all(sql: string, params?: unknown[]): Promise<Row[]>;
  run(sql: string, params?: unknown[]): Promise<number>;
  /** Runs `fn` in one transaction on one connection: all of it or none. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}
