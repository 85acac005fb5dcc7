import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { getTableColumns, is } from "drizzle-orm";
import { getTableConfig as pgTableConfig, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import { describe, expect, it } from "vitest";
import * as postgres from "~/db/postgres/schema";
import * as sqlite from "~/db/schema";

/*
 * The PostgreSQL schema cannot drift from SQLite's (decision 034): its tables are derived from app/db/*.ts, every one
 * must be exported by app/db/postgres/schema.ts, and drizzle/postgres/ must hold a migration for all of it. A helper
 * who adds a table or a column to the SQLite schema and runs `npm run db:generate` gets both migrations; one who
 * forgets either step fails here, with the step to take.
 */

const sqliteTables = (Object.entries(sqlite) as [string, unknown][]).filter((entry): entry is [string, SQLiteTable] =>
  is(entry[1], SQLiteTable),
);
const pgTables = (Object.entries(postgres) as [string, unknown][]).filter((entry): entry is [string, PgTable] =>
  is(entry[1], PgTable),
);

/** What each SQLite column kind becomes on PostgreSQL (app/db/postgres/derive.ts). */
const compatible: Record<string, string[]> = {
  SQLiteInteger: ["PgBigInt53"],
  SQLiteBoolean: ["PgSmallInt"],
  SQLiteText: ["PgText"],
  SQLiteTextJson: ["PgText"],
  SQLiteBigInt: ["PgCustomColumn"],
};

describe("the PostgreSQL schema", () => {
  it("has a twin of every SQLite table under the same export and table name, and nothing else", () => {
    expect(pgTables.map(([name]) => name).sort()).toEqual(sqliteTables.map(([name]) => name).sort());
    for (const [name, table] of sqliteTables) {
      expect(pgTableConfig(postgres[name as keyof typeof postgres] as PgTable).name).toBe(getTableConfig(table).name);
    }
  });

  it("has every column of every table, by property and column name, of a compatible type and nullability", () => {
    for (const [name, table] of sqliteTables) {
      const twin = getTableColumns(postgres[name as keyof typeof postgres] as PgTable);
      const columns = getTableColumns(table);
      expect(Object.keys(twin).sort(), name).toEqual(Object.keys(columns).sort());
      for (const [key, column] of Object.entries(columns)) {
        const pg = twin[key]!;
        expect(pg.name, `${name}.${key}`).toBe(column.name);
        expect(compatible[column.columnType], `${name}.${key} (${column.columnType})`).toContain(pg.columnType);
        expect(pg.notNull, `${name}.${key} not null`).toBe(column.notNull);
        expect(pg.primary, `${name}.${key} primary key`).toBe(column.primary);
      }
      const indexes = (t: { indexes: { config: { name?: string } }[] }) => t.indexes.map((i) => i.config.name).sort();
      expect(indexes(pgTableConfig(postgres[name as keyof typeof postgres] as PgTable)), name).toEqual(
        indexes(getTableConfig(table)),
      );
    }
  });

  it("is fully migrated by drizzle/postgres/ (run `npm run db:generate` after changing app/db/*.ts)", async () => {
    const meta = path.resolve("drizzle/postgres/meta");
    const latest = readdirSync(meta)
      .filter((file) => file.endsWith("_snapshot.json"))
      .sort()
      .at(-1)!;
    const migrated = JSON.parse(readFileSync(path.join(meta, latest), "utf8")) as Parameters<
      typeof generateMigration
    >[0];
    const wanted = generateDrizzleJson(postgres, migrated.id);
    expect(await generateMigration(migrated, wanted)).toEqual([]);
  });
});
