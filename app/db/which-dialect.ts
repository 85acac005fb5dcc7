import { is } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";

/**
 * Whether a database handle (the connection, or a transaction's `tx`) speaks PostgreSQL. Only app/db asks: it is the
 * one layer where the dialects differ (decisions 013 and 034).
 */
export function isPostgres(db: object): boolean {
  return is((db as { dialect?: unknown }).dialect, PgDialect);
}
