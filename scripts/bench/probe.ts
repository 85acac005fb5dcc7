import Database from "better-sqlite3";
import pg from "pg";

/**
 * A bench's own view of the app's database, the same on SQLite and PostgreSQL: plain SQL with `?` placeholders
 * (numbered for PostgreSQL here), answered asynchronously. It reads and seeds only; the app does the writing.
 */
export interface Probe {
  all<T>(query: string, ...params: unknown[]): Promise<T[]>;
  /** The `n` column of the query's first row (`select count(*) as n …`). */
  count(query: string, ...params: unknown[]): Promise<number>;
  run(query: string, ...params: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export function sqliteProbe(file: string, { readonly = false } = {}): Probe {
  const db = new Database(file, { readonly });
  const all = async <T>(query: string, ...params: unknown[]) => db.prepare(query).all(...params) as T[];
  return {
    all,
    count: async (query, ...params) => Number((db.prepare(query).get(...params) as { n: number }).n),
    run: async (query, ...params) => void db.prepare(query).run(...params),
    close: async () => void db.close(),
  };
}

export async function postgresProbe(url: string): Promise<Probe> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let n = 0;
  const numbered = (query: string) => query.replace(/\?/g, () => `$${++n}`);
  const all = async <T>(query: string, ...params: unknown[]) => {
    n = 0;
    return (await client.query(numbered(query), params)).rows as T[];
  };
  return {
    all,
    count: async (query, ...params) => Number((await all<{ n: number | string }>(query, ...params))[0]!.n),
    run: async (query, ...params) => void (await all(query, ...params)),
    close: () => client.end(),
  };
}
