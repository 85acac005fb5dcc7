import type { Db } from "../client.server";
import { isPostgres } from "../which-dialect";

/**
 * Seconds the oldest pg-boss job of Tally's queues (`tally-…`) has waited since it became due (created, or its retry
 * time came) without an instance fetching it, on PostgreSQL (decision 038); null when none waits. Undefined on SQLite,
 * and before pg-boss has installed its schema (`pgboss`). Reads pg-boss's job table by its state, which pg-boss indexes.
 */
export async function oldestWaitingJobSeconds(db: Db): Promise<number | null | undefined> {
  if (!isPostgres(db)) return undefined;
  const { poolOf } = await import("./client.server");
  const pool = poolOf(db);
  const installed = await pool.query<{ installed: boolean }>(
    `select to_regclass('pgboss.job') is not null as "installed"`,
  );
  if (!installed.rows[0]?.installed) return undefined;
  const { rows } = await pool.query<{ seconds: number | null }>(`
    select extract(epoch from now() - min(start_after))::float8 as "seconds"
    from pgboss.job
    where name like 'tally-%' and state in ('created', 'retry') and start_after <= now()`);
  const seconds = rows[0]?.seconds ?? null;
  return seconds === null ? null : Math.max(0, Math.round(seconds));
}
