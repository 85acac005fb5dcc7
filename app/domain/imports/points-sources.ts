import { z } from "zod";
import { checkEmail, checkPoints } from "./cells";
import { cellOf, mapColumns, type ColumnField, type ColumnMapping } from "./columns";

/*
 * The customer-points exports of the loyalty apps merchants move from, as their help centres document them, plus a
 * plain "email, points" file. Each source names the column holding a customer's spendable balance; Tally brings that
 * balance in as one `import` ledger entry per customer ("+300: moved from Smile").
 *
 * - Smile: the Customers page's "Filter and export" CSV has "Email" and "Points balance" (also names, member status,
 *   VIP tier); its own points-import template is "email","points" (help.smile.io, "Import points via CSV file").
 * - LoyaltyLion: Analytics > Exports > Customers, columns chosen and renamable by the merchant; the customer's
 *   redeemable points are "approved" points (its API's `points_approved`), beside `points_pending` and
 *   `points_spent` (developers.loyaltylion.com, customer points; help.loyaltylion.com, "Export").
 * - Yotpo Loyalty & Referrals: Customers > Export gives "Email", "First Name", "Last Name", "Points Balance",
 *   "Points Spent" (support.yotpo.com, "Importing/Exporting Points and Customers").
 *
 * Pending points are not brought over: in the old app they wait on orders Tally did not see, so Tally cannot release
 * them; the dry run shows their total so the merchant can decide (decision 023).
 */

export const pointsSourceSchema = z.enum(["smile", "loyaltylion", "yotpo", "generic"]);
export type PointsSource = z.infer<typeof pointsSourceSchema>;

export const pointsSourceNames: Record<PointsSource, string> = {
  smile: "Smile",
  loyaltylion: "LoyaltyLion",
  yotpo: "Yotpo",
  generic: "a points file",
};

type PointsField = "email" | "points" | "pending";

const email: ColumnField<PointsField> = {
  field: "email",
  label: "Email",
  synonyms: ["email", "customeremail", "emailaddress"],
  required: true,
};

export const pointsSourceColumns: Record<PointsSource, readonly ColumnField<PointsField>[]> = {
  smile: [
    email,
    { field: "points", label: "Points balance", synonyms: ["pointsbalance", "points", "balance"], required: true },
  ],
  loyaltylion: [
    email,
    {
      field: "points",
      label: "Approved points",
      synonyms: ["pointsapproved", "approvedpoints", "spendablepoints", "points"],
      required: true,
    },
    { field: "pending", label: "Pending points", synonyms: ["pointspending", "pendingpoints"] },
  ],
  yotpo: [
    email,
    {
      field: "points",
      label: "Points balance",
      synonyms: ["pointsbalance", "currentpointsbalance", "points"],
      required: true,
    },
  ],
  generic: [
    email,
    { field: "points", label: "Points", synonyms: ["points", "pointsbalance", "balance"], required: true },
  ],
};

/**
 * The headings each app's export gives the columns Tally needs, as its help centre and the Import page's select name
 * them: what a refusal tells the merchant to look for (missingColumnsWords).
 */
export const pointsSourceHeadings: Record<PointsSource, Record<"email" | "points", string>> = {
  smile: { email: "Email", points: "Points balance" },
  loyaltylion: { email: "email", points: "approved points" },
  yotpo: { email: "Email", points: "Points Balance" },
  generic: { email: "Email", points: "Points" },
};

/** The columns of `headers` for `source`: which holds the email, the balance, the pending points (if any). */
export function mapPointsColumns(source: PointsSource, headers: readonly string[]): ColumnMapping<PointsField> {
  return mapColumns(headers, pointsSourceColumns[source]);
}

export type CheckedPointsRow =
  { ok: true; email: string; points: number; pending: number } | { ok: false; errors: string[] };

/**
 * One row of a points export: a valid email and a whole balance of zero or more, or its problems. `delimiter` is the
 * file's: its thousands separators follow from it (checkPoints).
 */
export function checkPointsRow(
  record: readonly string[],
  columns: Partial<Record<PointsField, number>>,
  delimiter = ",",
): CheckedPointsRow {
  const errors: string[] = [];
  const address = checkEmail(cellOf(record, columns, "email"));
  if (!address.ok) errors.push(address.error);
  const points = checkPoints(cellOf(record, columns, "points") ?? "0", delimiter);
  if (!points.ok) errors.push(points.error);
  const pendingCell = cellOf(record, columns, "pending");
  const pending = pendingCell ? checkPoints(pendingCell, delimiter) : { ok: true as const, value: 0 };
  if (!pending.ok) errors.push(`Pending: ${pending.error}`);
  if (!address.ok || !points.ok || !pending.ok) return { ok: false, errors };
  return { ok: true, email: address.value, points: points.value, pending: pending.value };
}
