import { getTableColumns, is, SQL, sql } from "drizzle-orm";
import {
  bigint,
  customType,
  check,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  smallint,
  text,
  unique,
  uniqueIndex,
  type AnyPgColumn,
  type PgColumnBuilderBase,
  type PgTableWithColumns,
} from "drizzle-orm/pg-core";
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from "drizzle-orm/sqlite-core";

/*
 * The PostgreSQL twin of each SQLite table, derived from it (decision 034): same table, column, index and constraint
 * names, so the one set of services (typed against app/db/*.ts) runs on either database. Nothing here is written by
 * hand per table, so a column added to the SQLite schema cannot be missing, or of another kind, on PostgreSQL; a kind
 * of column or default this file does not know throws when the schema loads (drizzle-kit, the tests), never silently.
 *
 * Each value is stored as on SQLite, which keeps the services' SQL the same on both: integers as bigint (SQLite's are
 * 64-bit; the pg driver reads int8 as a number, app/db/client.server.ts), booleans as smallint 0/1 (so `= 1`, `= 0`,
 * the partial indexes and `storedBoolean` read alike), times as ISO-8601 text, JSON as text, blobs as bytea.
 */

/** SQLite SQL defaults and what PostgreSQL says for each; anything else must be added here, on purpose. */
const sqlDefaults: Record<string, string> = {
  "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))": `to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
};

function sqlText(value: SQL): string {
  return value.queryChunks
    .map((chunk) => {
      if (typeof chunk === "object" && chunk !== null && "value" in chunk) return (chunk.value as string[]).join("");
      throw new Error("A SQL default or generated expression with parameters cannot be carried to PostgreSQL");
    })
    .join("");
}

/** drizzle 0.45's pg-core has no bytea builder; SQLite's blob column maps the values, this only names the type. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

function pgColumn(column: SQLiteColumn): PgColumnBuilderBase {
  const name = column.name;
  // drizzle's column classes; their config is public at run time, not in the types.
  const source = column as SQLiteColumn & { autoIncrement?: boolean; generated?: { as: SQL | unknown } };
  let builder;
  switch (column.columnType) {
    case "SQLiteInteger":
      builder = bigint(name, { mode: "number" });
      break;
    case "SQLiteBoolean":
      builder = smallint(name);
      break;
    case "SQLiteText":
    case "SQLiteTextJson":
      builder = text(name);
      break;
    case "SQLiteBigInt":
    case "SQLiteBlobBuffer":
    case "SQLiteBlobJson":
      builder = bytea(name);
      break;
    default:
      throw new Error(`Column ${name} is a ${column.columnType}, which app/db/postgres/derive.ts does not carry yet`);
  }
  if (column.notNull) builder = builder.notNull();
  if (column.primary) {
    builder = builder.primaryKey();
    // An integer primary key is SQLite's rowid: given one when the insert names none.
    if (column.columnType === "SQLiteInteger")
      builder = (builder as ReturnType<typeof bigint>).generatedByDefaultAsIdentity();
  }
  if (column.isUnique) builder = builder.unique(column.uniqueName);
  if (column.hasDefault && column.default !== undefined) builder = builder.default(pgDefault(column) as SQL);
  if (source.generated && is(source.generated.as, SQL)) {
    // PostgreSQL 15 has stored generated columns only; the expressions (lower, coalesce, trim) are immutable on both.
    builder = builder.generatedAlwaysAs(sql.raw(sqlText(source.generated.as)));
  }
  return builder;
}

function pgDefault(column: SQLiteColumn): unknown {
  const value: unknown = column.default;
  if (is(value, SQL)) {
    const text = sqlText(value);
    const translated = sqlDefaults[text];
    if (!translated) throw new Error(`Column ${column.name}'s default ${text} has no PostgreSQL form in derive.ts`);
    return sql.raw(translated);
  }
  if (column.columnType === "SQLiteTextJson") return JSON.stringify(value);
  if (column.columnType === "SQLiteBoolean") return value ? 1 : 0;
  return value;
}

/**
 * The PostgreSQL twin of every SQLite table in `schema`, by export name. Foreign keys resolve to the twins, by table
 * name, when drizzle asks for them.
 */
export function derivePgTables<Schema extends Record<string, unknown>>(
  schema: Schema,
  isTable: (value: unknown) => value is SQLiteTable,
): Record<string, PgTableWithColumns<never>> {
  const byName = new Map<string, PgTableWithColumns<never>>();
  const twin = (column: SQLiteColumn): AnyPgColumn => {
    const table = byName.get(getTableConfig(column.table).name);
    const found = table && (Object.values(getTableColumns(table)) as AnyPgColumn[]).find((c) => c.name === column.name);
    if (!found) throw new Error(`No PostgreSQL twin for ${getTableConfig(column.table).name}.${column.name}`);
    return found;
  };
  const result: Record<string, PgTableWithColumns<never>> = {};
  for (const [exportName, value] of Object.entries(schema)) {
    if (!isTable(value)) continue;
    const config = getTableConfig(value);
    const columns = Object.fromEntries(
      Object.entries(getTableColumns(value) as Record<string, SQLiteColumn>).map(([key, column]) => [
        key,
        pgColumn(column),
      ]),
    );
    const table = pgTable(config.name, columns, (own) => [
      ...config.indexes.map((each) => {
        const { name, columns: on, unique: isUnique, where } = each.config;
        // Index columns must be the ones drizzle hands this callback (they carry the index's per-column options).
        const ownColumn = (column: SQLiteColumn) =>
          Object.values(own as Record<string, AnyPgColumn>).find((c) => c.name === column.name)!;
        const parts = on.map((part) => (is(part, SQL) ? part : ownColumn(part as SQLiteColumn)));
        const built = (isUnique ? uniqueIndex(name) : index(name)).on(...(parts as [AnyPgColumn]));
        return where ? built.where(where) : built;
      }),
      ...config.primaryKeys.map((each) =>
        primaryKey({ name: each.getName(), columns: each.columns.map(twin) as [AnyPgColumn] }),
      ),
      ...config.uniqueConstraints.map((each) =>
        unique(each.getName()).on(...(each.columns.map(twin) as [AnyPgColumn])),
      ),
      ...config.checks.map((each) => check(each.name, each.value)),
      ...config.foreignKeys.map((each) => {
        const reference = each.reference();
        const built = foreignKey({
          name: each.getName(),
          columns: reference.columns.map(twin) as [AnyPgColumn],
          foreignColumns: reference.foreignColumns.map(twin) as [AnyPgColumn],
        });
        if (each.onDelete) built.onDelete(each.onDelete);
        if (each.onUpdate) built.onUpdate(each.onUpdate);
        return built;
      }),
    ]) as unknown as PgTableWithColumns<never>;
    byName.set(config.name, table);
    result[exportName] = table;
  }
  return result;
}
