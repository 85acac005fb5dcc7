/*
 * Forgiving header matching for uploaded CSV files. Merchants' files come from Shopify's own export ("First Name",
 * "Accepts Email Marketing"), from other platforms (seed 003: "name","email","password"), from Excel with a BOM or
 * stray spaces, and from loyalty apps with their own words ("Points balance", "points_approved"). A header matches a
 * field when its normalised form (lower case, letters and digits only) is one of the field's synonyms; the mapping is
 * shown to the merchant to confirm before anything is read further, so a guess is never silently acted on.
 */

/** Lower case, letters and digits only: " E-mail Address " and "email_address" both become "emailaddress". */
export function normaliseHeader(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}

export interface ColumnField<Field extends string = string> {
  field: Field;
  /** What the merchant sees in the confirmation table. */
  label: string;
  /** Normalised header names that mean this field, the most specific first. */
  synonyms: readonly string[];
  required?: boolean;
}

export interface ColumnMapping<Field extends string = string> {
  /** Each matched field and the index of its column in the file. */
  columns: Partial<Record<Field, number>>;
  /** Each header of the file, in order, with the field it was matched to (null: ignored). */
  headers: { header: string; field: Field | null }[];
  /** Headers no field claimed: ignored on import, listed so the merchant knows. */
  unknown: string[];
  /** Required fields no header matched: the file cannot be imported until one does. */
  missing: Field[];
}

/**
 * Matches a file's headers to fields. The first header whose normalised name is among a field's synonyms wins; a
 * header claims at most one field, tried in the fields' order. Pure; throws nothing.
 */
export function mapColumns<Field extends string>(
  headers: readonly string[],
  fields: readonly ColumnField<Field>[],
): ColumnMapping<Field> {
  const normalised = headers.map(normaliseHeader);
  const claimedBy: (Field | null)[] = headers.map(() => null);
  const columns: Partial<Record<Field, number>> = {};
  for (const field of fields) {
    for (const synonym of field.synonyms) {
      const index = normalised.findIndex((name, i) => name === synonym && claimedBy[i] === null);
      if (index >= 0) {
        columns[field.field] = index;
        claimedBy[index] = field.field;
        break;
      }
    }
  }
  return {
    columns,
    headers: headers.map((header, i) => ({ header, field: claimedBy[i] ?? null })),
    unknown: headers.filter((header, i) => claimedBy[i] === null && header.trim() !== ""),
    missing: fields.filter((field) => field.required && columns[field.field] === undefined).map((f) => f.field),
  };
}

/**
 * The cell of `field` in a record, trimmed; undefined when the file has no such column or the cell is empty. A value
 * that starts like a formula is written with an apostrophe before it by Tally's own export (app/lib/csv.server.ts,
 * OWASP's CSV injection advice) and by people keeping "+1 613…" as text in a spreadsheet: that apostrophe is not part
 * of the value ("'+16135550199" is the phone "+16135550199"; a newcomer's round trip refused 622 phones over it).
 * Nor is an apostrophe before a digit, a spreadsheet's way of keeping "'02134" or "'500" as text (a corrected points
 * cell "'500" was refused: newcomer round 21). An apostrophe before a letter stays ("'Ilima").
 */
export function cellOf<Field extends string>(
  record: readonly string[],
  columns: Partial<Record<Field, number>>,
  field: Field,
): string | undefined {
  const index = columns[field];
  if (index === undefined) return undefined;
  const value = record[index]?.trim().replace(/^'(?=[=+\-@\d])/, "");
  return value ? value : undefined;
}

/** "a" or "an" before a quoted heading, by how it is said: "an "Email" column", "a "Points" column". */
const article = (heading: string) => (/^[aeiou]/i.test(heading) ? "an" : "a");

/**
 * Why a file cannot be read, when its header row lacks required columns, in plain words (newcomer round 17, C6: "No
 * column for Email, Points: name a column "Email, Points"" read as one column named so). `missing` are the headings
 * the file needs, as the merchant's source writes them; `headers` the file's own; `source` the app whose export was
 * chosen ("LoyaltyLion"), if any: `The file needs an "Email" column and a "Points" column; its header row has: name,
 * score`, or `The file needs an "email" column and an "approved points" column, as LoyaltyLion's export names them; …`.
 */
export function missingColumnsWords(missing: readonly string[], headers: readonly string[], source?: string): string {
  const needed = missing.map((heading) => `${article(heading)} "${heading}" column`);
  const listed = needed.length <= 1 ? (needed[0] ?? "") : `${needed.slice(0, -1).join(", ")} and ${needed.at(-1)}`;
  const found = headers.filter((header) => header.trim() !== "");
  const has = found.length === 0 ? "its header row is empty" : `its header row has: ${found.join(", ")}`;
  const named = source ? `, as ${source}'s export names ${missing.length === 1 ? "it" : "them"}` : "";
  return `The file needs ${listed}${named}; ${has}`;
}
