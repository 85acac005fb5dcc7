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
  const { db } = contextFor("any", "test");
  const file = onPostgres ? `drizzle/postgres/${postgres}.sql` : `drizzle/${sqlite}.sql`;
  for (const statement of readFileSync(file, "utf8").split("--> statement-breakpoint")) {
    if (onPostgres) {
      await (db as unknown as { execute(query: SQL): Promise<unknown> }).execute(sql.raw(statement));
    } else {
      // eslint-disable-next-line tally/async-data-access -- SQLite: the raw driver runs the migration's SQL as the migrator does
      db.$client.exec(statement);
    }
  }
}
