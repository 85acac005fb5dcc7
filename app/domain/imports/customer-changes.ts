import { backfillGivesNothing } from "./backfill-outcome";
import type { ImportedCustomer } from "./customer-rows";
import { locationLabel } from "../shared/countries";

/*
 * What a row of a customer import changes on a customer Shopify already has (newcomer round 8, finding 5): field by
 * field, the value Tally holds (its copy of Shopify's customer, kept by webhooks and syncs) against the value the row
 * sends. A field the row leaves blank is not sent to customerSet and stays as it is. Tags are a set: customerSet
 * replaces the list, so "vip, wholesale" over "wholesale, vip" changes nothing. Email marketing compares subscribed or
 * not, which is all a row can say. An address compares as the directory's Location shows it, city and country
 * (Tally keeps no street): a row whose city and country are the customer's changes nothing there. The preview lists
 * these, the import's audit line per customer records them.
 */

/** The fields a customer row can change, as Tally holds them. */
export interface KnownCustomerFields {
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  tags: readonly string[];
  taxExempt: boolean;
  /** Shopify's emailMarketingConsent.marketingState ("SUBSCRIBED", "NOT_SUBSCRIBED", …), null when unknown. */
  emailMarketingState: string | null;
  /** The default address's city and country (ISO 3166-1 alpha-2), null when none. */
  city: string | null;
  countryCode: string | null;
}

/** The fields the import changes, in the audit trail's words (app/domain/audit/field-changes.ts labels them). */
export const importedFields = [
  "firstName",
  "lastName",
  "phone",
  "tags",
  "taxExempt",
  "emailMarketing",
  "address",
] as const;
export type ImportedField = (typeof importedFields)[number];

type FieldValue = string | boolean | string[] | null;

/** The changed fields only: `before` as Tally held them, `after` as the row sets them. Both empty: nothing changes. */
export interface CustomerChanges {
  before: Partial<Record<ImportedField, FieldValue>>;
  after: Partial<Record<ImportedField, FieldValue>>;
}

/** What a row (or Shopify's answer to it) would set; undefined leaves a field as it is. */
export type ProposedFields = Partial<
  Pick<ImportedCustomer, "taxExempt" | "emailMarketing"> & {
    firstName: string | null;
    lastName: string | null;
    phone: string | null;
    tags: readonly string[];
    /** The address the row sets as the default one: its city and country are what is compared. */
    address: { city?: string | null; countryCode: string | null };
  }
>;

/** An address as the directory's Location column shows it: "Ottawa, Canada" (null when it says nothing). */
const locationOf = (address: { city?: string | null; countryCode?: string | null }) =>
  locationLabel({ city: address.city, countryCode: address.countryCode });

const sameTags = (a: readonly string[], b: readonly string[]) => {
  const left = new Set(a.map((tag) => tag.toLowerCase()));
  const right = new Set(b.map((tag) => tag.toLowerCase()));
  return left.size === right.size && [...left].every((tag) => right.has(tag));
};

/**
 * The fields `proposed` changes on `known`. Pure. Names and phones compare as written (Shopify keeps case); tags as
 * a set, case-insensitively (Shopify treats "VIP" and "vip" as one tag); email marketing as subscribed or not.
 */
export function customerChanges(known: KnownCustomerFields, proposed: ProposedFields): CustomerChanges {
  const before: CustomerChanges["before"] = {};
  const after: CustomerChanges["after"] = {};
  const text = (field: "firstName" | "lastName" | "phone") => {
    const next = proposed[field];
    if (next === undefined || (next ?? null) === (known[field] ?? null)) return;
    before[field] = known[field] ?? null;
    after[field] = next ?? null;
  };
  text("firstName");
  text("lastName");
  text("phone");
  if (proposed.tags !== undefined && !sameTags(known.tags, proposed.tags)) {
    before.tags = [...known.tags];
    after.tags = [...proposed.tags];
  }
  if (proposed.taxExempt !== undefined && proposed.taxExempt !== known.taxExempt) {
    before.taxExempt = known.taxExempt;
    after.taxExempt = proposed.taxExempt;
  }
  if (proposed.address !== undefined) {
    const was = locationOf({ city: known.city, countryCode: known.countryCode });
    const next = locationOf(proposed.address);
    if (next !== null && next.toLowerCase() !== (was ?? "").toLowerCase()) {
      before.address = was;
      after.address = next;
    }
  }
  const subscribed = known.emailMarketingState === "SUBSCRIBED";
  if (proposed.emailMarketing !== undefined && proposed.emailMarketing !== subscribed) {
    before.emailMarketing = known.emailMarketingState ?? "NOT_SUBSCRIBED";
    after.emailMarketing = proposed.emailMarketing ? "SUBSCRIBED" : "NOT_SUBSCRIBED";
  }
  return { before, after };
}

/** Whether a row gives a customer Shopify has an address other than the one Tally holds (by city and country). */
export const changesAddress = (known: KnownCustomerFields, proposed: ProposedFields) =>
  "address" in customerChanges(known, proposed).after;

/** True when the changes hold at least one field. */
export const changesSomething = (changes: CustomerChanges) => Object.keys(changes.after).length > 0;

/**
 * Whether a row says what Tally holds of a customer Shopify has (newcomer round 11, finding 2): the preview's "already
 * matches the file". The import sends such a row to no one and adds only its points; the check counts it `unchanged`.
 */
export const alreadyMatches = (known: KnownCustomerFields, proposed: ProposedFields) =>
  !changesSomething(customerChanges(known, proposed));

/** A customer's result line in an import's job for a row that already matches: the preview's words. */
export const ALREADY_MATCHES = "Already matches the file: nothing of theirs changes";

/**
 * A customers file's figures as the preview words them, for the audit trail: the check's `update` counts every row of
 * a customer Shopify has and `unchanged` those among them that already match, while "To update" means the updates that
 * change something (the trail read "To update: 1; Already matching: 1" for a file that updated no one). Other figures
 * and kinds are kept as they are.
 */
export function importFiguresInWords(kind: string, summary: Readonly<Record<string, number>>): Record<string, number> {
  if (kind !== "customers" || summary.update === undefined) return { ...summary };
  return { ...summary, update: summary.update - (summary.unchanged ?? 0) };
}

/**
 * Whether a checked file would change nothing (round 9 newcomer: a re-check of a file Tally already holds offered
 * "Import 3 customers"): a customers file that creates no one, whose updates all match what Shopify has and that adds
 * no points, or a points file that moves none. `summary` is the check's figures (create, update, unchanged, points).
 * A backfill of past orders that finds no order to give to changes nothing too (newcomer round 17: "Give 0 stars").
 */
export function importChangesNothing(kind: string, summary: Readonly<Record<string, number>>): boolean {
  const figure = (key: string) => summary[key] ?? 0;
  if (kind === "customers")
    return figure("create") === 0 && figure("update") - figure("unchanged") === 0 && figure("points") === 0;
  if (kind === "points") return figure("points") === 0;
  if (kind === "orders") return backfillGivesNothing(summary);
  return false;
}

/**
 * The points a customer file's row adds: what brings the customer's balance up to the file's Points, never taking
 * any away. A customer file's Points column is a balance (Tally's own export writes the balance there, as other apps'
 * exports do), so importing the same file twice, or Tally's export back, adds nothing: before newcomer round 14 it
 * added every balance again (602 became 1,204). `fileBalance` and `held` (Tally's balance now) in points; a points
 * move from another app (Smile, LoyaltyLion) adds its balances whole instead (decision 023).
 */
export function importedPointsToAdd(fileBalance: number, held: number): number {
  return Math.max(0, fileBalance - held);
}
