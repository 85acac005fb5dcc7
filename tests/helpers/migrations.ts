import { readFileSync } from "node:fs";
import { sql, type SQL } from "drizzle-orm";
import { contextFor } from "~/shopify.server";
import { onPostgres } from "./dialect";

/**
 * Runs a data migration's statements again on this worker's database, as the migrator would on one written before it:
 * a test seeds rows the way older code stored them, then reads what the migration made of them. `migration` names the
 * file without its folder or extension, one per database ("0029_own-link-referrals", "0016_own-link-referrals").
 */
export async function rerunMigration({ sqlite, postgres }: { sqlite: string; postgres: string }): Promise<void> {
  const file = onPostgres ? `drizzle/postgres/${postgres}.sql` : `drizzle/${sqlite}.sql`;
  await runStatements(readFileSync(file, "utf8").split("--> statement-breakpoint"));
}

/**
 * Runs SQL statements as they are, in order, on this worker's database, outside any transaction: for a test that puts
 * a table back as it was before a migration ran (its old index, without a column the migration adds).
 */
export async function runStatements(statements: readonly string[]): Promise<void> {
  const { db } = contextFor("any", "test");
  for (const statement of statements) {
    if (onPostgres) {
      await (db as unknown as { execute(query: SQL): Promise<unknown> }).execute(sql.raw(statement));
    } else {
      // eslint-disable-next-line tally/async-data-access -- SQLite: the raw driver runs the migration's SQL as the migrator does
      db.$client.exec(statement);
    }
  }
}
