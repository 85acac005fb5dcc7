import { z } from "zod";
import {
  directorySortSchema,
  emailConsentLabel,
  storedCustomerQuerySchema,
  type DirectoryColumn,
} from "~/domain/customers/customer-query";
import { customerDisplayName } from "~/domain/customers/search";
import { customerTagSchema } from "~/domain/customers/tags";
import { defaultPointsNaming, pointsInWords, type PointsNaming } from "~/domain/program/points-words";
import { formatMinor, type CurrencyCode } from "~/domain/shared/money";
import { shopDayOf, shopTimeWriter, shopTimeZoneName } from "~/domain/shared/shop-time";
import {
  adjustmentReasonSchema,
  MAX_ADJUSTMENT_POINTS,
  POINTS_CHANGE_RANGE,
  WHOLE_POINTS_CHANGE,
  wholeBetween,
} from "~/domain/shared";
import { defineTaskKind } from "./define";
import { countOf, restOf, type FinishedLine } from "./finished";
import type { TaskStatus } from "./progress";

/*
 * The directory's bulk actions and export (issue 10, decision 026): each runs as a background task over a selection
 * of customers, either the rows staff ticked or every customer matching the directory's search and filters at the
 * moment they pressed the action (the query is frozen into the task's input, so a task resumed after a restart acts
 * on the same selection).
 */

/** The most rows staff can tick by hand (a directory page is 50); beyond that, "all that match" is the way. */
export const MAX_SELECTED_ROWS = 1_000;

export const customerSelectionSchema = z.union([
  z.object({
    ids: z.array(z.number().int().positive()).min(1).max(MAX_SELECTED_ROWS),
    /**
     * The directory's sort when the rows were ticked: an export writes them in it (decision 043). Absent in exports
     * started before it was kept, which write them in id order.
     */
    sort: directorySortSchema.optional(),
  }),
  z.object({ query: storedCustomerQuerySchema }),
]);
export type CustomerSelection = z.infer<typeof customerSelectionSchema>;

/** A Shopify customer tag as Shopify takes it (app/domain/customers/tags.ts). */
const tagSchema = customerTagSchema;

export const bulkEditSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("tags_add"), tags: z.array(tagSchema).min(1).max(20) }),
  z.object({ action: z.literal("tags_remove"), tags: z.array(tagSchema).min(1).max(20) }),
  z.object({ action: z.literal("block") }),
  z.object({ action: z.literal("unblock") }),
  z.object({
    action: z.literal("points_adjust"),
    /** Whole points added (positive) or removed (negative) from each customer; bounds as a single adjustment's. */
    points: wholeBetween(-MAX_ADJUSTMENT_POINTS, MAX_ADJUSTMENT_POINTS, {
      whole: WHOLE_POINTS_CHANGE,
      below: POINTS_CHANGE_RANGE,
      above: POINTS_CHANGE_RANGE,
    }).refine((points) => points !== 0, { message: "Enter points other than 0" }),
    reason: adjustmentReasonSchema,
    /**
     * Staff ticked "Allow balances below zero": a customer with fewer points than a removal owes the rest, as after
     * the profile's debt warning (decisions 001, 022). Without it such a customer is left unchanged and listed.
     */
    allowDebt: z.boolean().optional(),
  }),
]);
export type BulkEdit = z.infer<typeof bulkEditSchema>;

/** "1 point", "1,500 points": a job's title, in the admin's English grouping. */
function pointsWords(points: number): string {
  return points === 1 ? "1 point" : `${points.toLocaleString("en-US")} points`;
}

function describeEdit(edit: BulkEdit): string {
  switch (edit.action) {
    case "tags_add":
      return `Add tags ${edit.tags.join(", ")}`;
    case "tags_remove":
      return `Remove tags ${edit.tags.join(", ")}`;
    case "block":
      return "Block customers";
    case "unblock":
      return "Unblock customers";
    case "points_adjust":
      return `${edit.points > 0 ? "Add" : "Remove"} ${pointsWords(Math.abs(edit.points))}`;
  }
}

/**
 * How a customer's result starts when a removal would have put them in debt and staff did not tick "Allow balances
 * below zero": left unchanged, as the form promised, "Not changed" and not "Failed" (newcomer round 19).
 */
export const NOT_ENOUGH_POINTS = "Not enough ";

/**
 * That customer's result line, in the program's points names: "Not enough points: has 168, removing 200 would leave
 * −32". `points` is the removal (negative), `balanceAfter` the balance it would have left, both in points.
 */
export function notEnoughPointsLine(
  points: number,
  balanceAfter: number,
  naming: PointsNaming = defaultPointsNaming,
): string {
  const number = (value: number) => `${value < 0 ? "\u2212" : ""}${Math.abs(value).toLocaleString("en-US")}`;
  return `${NOT_ENOUGH_POINTS}${naming.pointsName}: has ${number(balanceAfter - points)}, removing ${number(Math.abs(points))} would leave ${number(balanceAfter)}`;
}

/**
 * How a customer's result reads when a bulk points adjustment left them out because they are blocked (decision 065):
 * a blocked customer earns and redeems nothing until unblocked, so "Add 100 points to everyone who matches" does not
 * reward them, and no bulk removal reaches them either; staff adjust a blocked customer's points on their profile.
 */
export const BLOCKED_LEFT_OUT = "Blocked: ";

/** That customer's result line: "Blocked: left out (adjust a blocked customer's points on their profile)". */
export const blockedLeftOutLine = `${BLOCKED_LEFT_OUT}left out (adjust a blocked customer's points on their profile)`;

/** Tags, block / unblock and points for many customers at once (app/jobs/tasks/bulk-edit-customers.server.ts). */
export const bulkEditCustomersKind = defineTaskKind({
  kind: "customers.bulk-edit",
  title: (input) => describeEdit(input.edit),
  unit: { one: "customer", other: "customers" },
  outcomes: { done: "Changed", skipped: "Not changed", failed: "Failed" },
  nothingDone: "Nothing changed",
  // "Finished: 40 of 52 customers changed, 3 not changed (blocked), 9 not changed (not enough points)": the skips
  // staff chose or the program's rules made, each with why.
  finished: (facts, words) => {
    const { done, skipped, failed } = facts.items;
    const total = done + skipped + failed;
    if (total === 0) return undefined;
    const countedOf = (value: unknown, most: number) =>
      typeof value === "number" ? Math.min(Math.max(value, 0), most) : 0;
    const blocked = countedOf(facts.summary?.blocked, skipped);
    const short = countedOf(facts.summary?.notEnoughPoints, skipped - blocked);
    // The program's name for its points when the job ended (the summary keeps it): "not enough stars ⭐".
    const pointsName = typeof facts.summary?.pointsName === "string" ? facts.summary.pointsName : "points";
    const why =
      (blocked > 0 ? `, ${words.number(blocked)} not changed (blocked)` : "") +
      (short > 0 ? `, ${words.number(short)} not changed (not enough ${pointsName})` : "");
    return `Finished: ${words.number(done)} of ${countOf(total, facts.progress.unit, words)} changed${why}${restOf({ done, skipped: skipped - blocked - short, failed }, words, ["skipped", "failed"])}`;
  },
  input: z.object({ selection: customerSelectionSchema, edit: bulkEditSchema }),
});

/**
 * The idempotency key of the undo of bulk points adjustment `taskId`: the job page starts the undo under it, so a
 * second press finds the first undo, and the adjustment's page finds its undo by it (and stops offering Undo).
 */
export const undoKeyOf = (taskId: number) => `undo-${taskId}`;

/** What a bulk points adjustment's undo job has come to, in one badge's words (the job's page and the Jobs list). */
export function undoBadgeOf(status: TaskStatus): string {
  switch (status) {
    case "succeeded":
      return "Undone";
    case "queued":
    case "running":
      return "Being undone";
    case "failed":
      return "Undo refused";
    case "cancelled":
      return "Undo cancelled";
  }
}

/**
 * A points adjustment's result line for one customer, as the rest of the app writes points: "+7 points, balance
 * \u2212493", "\u2212100 stars ⭐, balance 1,200" (a true minus sign, thousands grouped; newcomer round 15 read "balance
 * -493" beside the profile's "\u2212493"; the program's points names, round 17). `points` and `balance` in points.
 */
export function adjustmentResultLine(
  points: number,
  balance: number,
  naming: PointsNaming = defaultPointsNaming,
): string {
  const number = (value: number) => `${value < 0 ? "\u2212" : ""}${Math.abs(value).toLocaleString("en-US")}`;
  return `${pointsInWords(naming, points, { signed: true })}, balance ${number(balance)}`;
}

/** The request id of one customer's share of a bulk points adjustment: a resumed chunk adds nothing twice. */
export function bulkPointsRequestId(taskId: number, customerId: number): string {
  return `bulk:${taskId}:${customerId}`;
}

/**
 * Undo a bulk points adjustment as a batch (app/jobs/tasks/undo-bulk-points.server.ts): one reversing entry per
 * customer the adjustment reached, refused for the whole batch while any of its points has been spent.
 */
export const undoBulkPointsKind = defineTaskKind({
  kind: "customers.bulk-points-undo",
  // "Undo: Add 500 points (Spring gift)": a merchant never sees job numbers (newcomer round 15). Jobs queued before
  // the page sent `of` keep the number.
  title: (input) => (input.of ? `Undo: ${input.of}` : `Undo points of job ${input.taskId}`),
  unit: { one: "customer", other: "customers" },
  outcomes: { done: "Reversed", skipped: "Not reversed", failed: "Failed" },
  nothingDone: "Nothing reversed",
  refused: "Not undone",
  input: z.object({
    taskId: z.number().int().positive(),
    /** The adjustment undone as its page names it: its title and reason. */
    of: z.string().trim().min(1).max(600).optional(),
  }),
});

/** What an undo's title names of the adjustment it undoes: "Add 500 points (Spring gift)". */
export function undoneAdjustmentName(title: string, reason: string): string {
  return reason ? `${title} (${reason})` : title;
}

/**
 * Whether a customer's result line in a bulk action tells a change the audit trail records on its own: points a bulk
 * adjustment or its undo applied are a "points.adjust" line of the customer's audit, written with the entry. The
 * profile shows that line, not the job's as well.
 */
export function isAuditedOnItsOwn(line: { kind: string; input: unknown; outcome: string }): boolean {
  if (line.outcome !== "done") return false;
  if (line.kind === undoBulkPointsKind.kind) return true;
  if (line.kind !== bulkEditCustomersKind.kind) return false;
  const parsed = bulkEditCustomersKind.input.safeParse(line.input);
  return parsed.success && parsed.data.edit.action === "points_adjust";
}

/**
 * An email kind's line: what was queued is an email to each customer, and who got none: "Finished: an email queued
 * for 3 of 6 customers, 3 not sent"; all of them, "an email queued for 1 customer" / "for each of 6 customers"; none,
 * "no email queued, 1 customer not sent to (see why below)", the result lines saying why (a tester read "an email
 * queued for 0 of 1 customer, 1 not sent").
 */
const emailsQueued: FinishedLine = (facts, words) => {
  const { done, skipped, failed } = facts.items;
  const total = done + skipped + failed;
  if (total === 0) return undefined;
  const unit = facts.progress.unit;
  if (done === 0) return `Finished: no email queued, ${countOf(total, unit, words)} not sent to (see why below)`;
  if (done === total)
    return `Finished: an email queued for ${done === 1 ? "" : "each of "}${countOf(done, unit, words)}`;
  return `Finished: an email queued for ${words.number(done)} of ${countOf(total, unit, words)}${restOf(facts.items, words, ["skipped", "failed"])}`;
};

/** Send referral invitations by email to a selection (app/jobs/tasks/invite-customers.server.ts, decision 021). */
export const inviteCustomersKind = defineTaskKind({
  kind: "customers.invite",
  title: () => "Send referral invitation",
  unit: { one: "customer", other: "customers" },
  outcomes: { done: "Queued", skipped: "Not sent", failed: "Failed" },
  nothingDone: "None sent",
  finished: emailsQueued,
  input: z.object({ selection: customerSelectionSchema }),
  // It writes only its own outbox rows, but an email is sent for good: it waits for a sync or a points change in hand
  // so that the balance and the consent it reads are the ones that change brings.
  lane: "write",
});

/**
 * Delete customers in Shopify (app/jobs/tasks/delete-customers.server.ts, decision 022): customerDelete one at a time;
 * Shopify keeps customers who have orders, each such result "Kept: has orders", for which staff may request Shopify's
 * customer data erasure instead from the job's page.
 */
export const deleteCustomersKind = defineTaskKind({
  kind: "customers.delete",
  title: () => "Delete customers",
  unit: { one: "customer", other: "customers" },
  outcomes: { done: "Deleted", skipped: "Kept", failed: "Failed" },
  nothingDone: "Nothing deleted",
  input: z.object({ selection: customerSelectionSchema }),
});

/** The result message of a customer Shopify kept because of their orders: the job page offers erasure for these. */
export const KEPT_HAS_ORDERS = "Kept: has orders";

/**
 * Email a points reminder to a selection (seed 000: high balances reminded of the ways to redeem), through the
 * invitation's email path (app/jobs/tasks/remind-points.server.ts, decisions 021 and 031).
 */
export const remindPointsKind = defineTaskKind({
  kind: "customers.points-reminder",
  title: () => "Email points reminder",
  unit: { one: "customer", other: "customers" },
  outcomes: { done: "Queued", skipped: "Not sent", failed: "Failed" },
  nothingDone: "None sent",
  finished: emailsQueued,
  input: z.object({
    selection: customerSelectionSchema,
    /**
     * Only customers whose balance reaches the cheapest active reward's cost (the directory ticks it by default);
     * the others are listed as not sent, with their balance and that cost. Absent in jobs started before it existed.
     */
    onlyRedeemable: z.boolean().default(false),
  }),
  // It writes only its own outbox rows, but an email is sent for good: it waits for a sync or a points change in hand
  // so that the balance and the consent it reads are the ones that change brings.
  lane: "write",
});

/** The columns an export can have: everything the directory shows, plus referral figures and tags. */
export const exportColumns = [
  "name",
  "first_name",
  "last_name",
  "email",
  "phone",
  "status",
  "points",
  "pending_points",
  "joined",
  "last_order",
  "orders",
  "spent",
  "currency",
  "store_credit",
  "store_credit_currency",
  "city",
  "country",
  "tags",
  "consent",
  "tax_exempt",
  "blocked",
  "referral_joined",
  "referrals",
  "referrer_revenue",
  "referee_revenue",
  "shopify_id",
] as const;
export type ExportColumn = (typeof exportColumns)[number];

/** Export customers to a CSV file (app/jobs/tasks/export-customers.server.ts), downloaded from the job's page. */
export const exportCustomersKind = defineTaskKind({
  kind: "customers.export",
  title: () => "Export customers",
  unit: { one: "customer", other: "customers" },
  outcomes: { done: "Exported", skipped: "Not exported", failed: "Failed" },
  nothingDone: "Nothing exported",
  // Its one result line is the file; the merchant counts the customers in it, and wants the file.
  finished: ({ summary, progress }, words) => {
    const rows = typeof summary?.rows === "number" ? summary.rows : progress.done;
    return rows === 0
      ? "Finished: the CSV file holds no customers, only its column headings"
      : `Finished: the CSV file holds ${countOf(rows, progress.unit, words)}: download it above`;
  },
  input: z.object({
    selection: customerSelectionSchema,
    columns: z
      .array(z.enum(exportColumns))
      .min(1)
      .max(exportColumns.length)
      .transform((columns) => exportColumns.filter((column) => columns.includes(column))),
  }),
  // It reads customers and writes its own file: a merchant's export starts while a sync or a bulk edit runs.
  lane: "read",
});

/**
 * How long an export's file can be downloaded after the export finished (decision 031): it holds customers' personal
 * data, so it is kept for the merchant to fetch, not for good. The scheduler deletes it once the window and the last
 * signed link handed out in it (EXPORT_LINK_MS) have passed, plus a margin for a download still streaming.
 */
export const EXPORT_DOWNLOAD_DAYS = 7;
/** The life of the signed link the job page hands out for an export's file (app/lib/signed-url.server.ts). */
export const EXPORT_LINK_MS = 5 * 60_000;
/** Time given beyond the last link's expiry before the file goes: a slow download of a large file finishing. */
export const EXPORT_FILE_MARGIN_MS = 60 * 60_000;

/** When an export that finished at `finishedAt` (ISO) stops being downloadable. */
export function exportDownloadEndsAt(finishedAt: string): Date {
  return new Date(Date.parse(finishedAt) + EXPORT_DOWNLOAD_DAYS * 86_400_000);
}

/** The export's columns each directory column stands for (its money with the currency, a location as city and country). */
const exportColumnsOfDirectory: Record<DirectoryColumn, ExportColumn[]> = {
  email: ["email"],
  phone: ["phone"],
  status: ["status"],
  points: ["points"],
  joined: ["joined"],
  last_order: ["last_order"],
  orders: ["orders"],
  spent: ["spent", "currency"],
  store_credit: ["store_credit", "store_credit_currency"],
  location: ["city", "country"],
  tags: ["tags"],
  consent: ["consent"],
  tax_exempt: ["tax_exempt"],
  referrals: ["referrals"],
  referrer: ["referrer_revenue"],
  referee: ["referee_revenue"],
};

/**
 * The columns an export starts with: the name and what the staff member sees in the directory (their column picker's
 * choice), in the export's own order; they can then tick more. Newcomer round 11: the export ignored the picker.
 */
export function exportColumnsFor(shown: readonly DirectoryColumn[]): ExportColumn[] {
  const wanted = new Set<ExportColumn>(["name", ...shown.flatMap((column) => exportColumnsOfDirectory[column])]);
  return exportColumns.filter((column) => wanted.has(column));
}

/**
 * The name an export's file downloads under (`customers-export-<job id>-<YYYY-MM-DD>.csv`, the day it finished in the
 * shop's zone, as its time columns are written: decision 050; an export at 8:02 PM in Toronto on Dec 1 is "-12-01",
 * not UTC's "-12-02", newcomer round 19), which the job's result line names too, so the merchant finds in Downloads the
 * file the job page spoke of. Unknown zone: UTC.
 */
export function exportFileName(taskId: number, finishedAt: string, timeZone: string | null | undefined): string {
  return `customers-export-${taskId}-${shopDayOf(finishedAt, timeZone)}.csv`;
}

/** How old (by its last write) an export's file must be for the scheduler to delete it, in milliseconds. */
export const EXPORT_FILE_KEEP_MS = EXPORT_DOWNLOAD_DAYS * 86_400_000 + EXPORT_LINK_MS + EXPORT_FILE_MARGIN_MS;

/** The header each export column gets, in a merchant's words. */
export const exportColumnHeaders: Record<ExportColumn, string> = {
  name: "Name",
  first_name: "First name",
  last_name: "Last name",
  email: "Email",
  phone: "Phone",
  status: "Status",
  points: "Points",
  pending_points: "Pending points",
  joined: "Date joined",
  last_order: "Last order",
  orders: "Orders",
  spent: "Total spent",
  currency: "Currency",
  store_credit: "Store credit",
  store_credit_currency: "Store credit currency",
  city: "City",
  country: "Country code",
  tags: "Tags",
  consent: "Email marketing",
  tax_exempt: "Tax exempt",
  blocked: "Blocked",
  referral_joined: "Joined referral program",
  referrals: "Successful referrals",
  referrer_revenue: "Referrer revenue",
  referee_revenue: "Referee revenue",
  shopify_id: "Shopify customer ID",
};

/** One customer as an export reads it (the directory's row plus referral figures). Money in minor units. */
export interface ExportedCustomer {
  customerGid: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  status: string;
  blocked: boolean;
  tags: string[];
  pointsBalance: number;
  pointsPending: number;
  joinedAt: string | null;
  lastOrderAt: string | null;
  ordersCount: number;
  amountSpentMinor: number;
  currency: string | null;
  /** Store credit in minor units of `storeCreditCurrency` (null: never read from Shopify). */
  storeCreditMinor: number;
  storeCreditCurrency: string | null;
  city: string | null;
  countryCode: string | null;
  emailMarketingState: string | null;
  taxExempt: boolean;
  referralJoinedAt: string | null;
  successfulReferrals: number;
  referrerRevenueMinor: number;
  refereeRevenueMinor: number;
}

/** The export columns that hold a time: written in the shop's time zone, which their header names. */
const timeColumns: ReadonlySet<ExportColumn> = new Set(["joined", "last_order", "referral_joined"]);

/**
 * The header of an export column in the file: a time column names the zone its times are in ("Date joined
 * (America/Toronto)"), since its cells carry none (`shopTimeWriter`); every other is `exportColumnHeaders`'.
 */
export function exportColumnHeader(column: ExportColumn, timeZone: string | null | undefined): string {
  const header = exportColumnHeaders[column];
  return timeColumns.has(column) ? `${header} (${shopTimeZoneName(timeZone)})` : header;
}

const utcTimes = shopTimeWriter(null);

/**
 * One cell of an export: numbers stay numbers (a spreadsheet sums them; csv-stringify leaves a negative number
 * alone), money is a decimal in the row's currency with that currency's own exponent, times are written by `writeTime`
 * (the shop's zone, `YYYY-MM-DD HH:MM:SS`, which spreadsheets read as dates; UTC when not given), the Shopify customer
 * ID is the customer's GraphQL id ("gid://shopify/Customer/7064050100002004"): a spreadsheet keeps it as text, where it
 * turns a bare id of more than 11 digits into "7.06405E+17" and saves the file back with the id lost (newcomer round 14),
 * tags are comma-separated as Shopify's own customer export writes them, email marketing in the directory's words
 * ("Not subscribed"), which an import reads back. Text goes out as typed; the CSV writer
 * neutralises formulas.
 */
export function exportCell(
  column: ExportColumn,
  customer: ExportedCustomer,
  shopCurrency: CurrencyCode,
  writeTime: (at: string | null | undefined) => string = utcTimes,
): unknown {
  const currency = (customer.currency as CurrencyCode | null) ?? shopCurrency;
  switch (column) {
    case "name":
      // The directory's name: the full name, else the email, else "Guest (no email)"; the email and date joined
      // cells of such a guest stay empty, as data, and the name says why.
      return customerDisplayName(customer);
    case "first_name":
      return customer.firstName ?? "";
    case "last_name":
      return customer.lastName ?? "";
    case "email":
      return customer.email ?? "";
    case "phone":
      return customer.phone ?? "";
    case "status":
      return customer.status === "member" ? "Member" : "Guest";
    case "points":
      return customer.pointsBalance;
    case "pending_points":
      return customer.pointsPending;
    case "joined":
      return writeTime(customer.joinedAt);
    case "last_order":
      return writeTime(customer.lastOrderAt);
    case "orders":
      return customer.ordersCount;
    case "spent":
      return formatMinor(customer.amountSpentMinor, currency);
    case "currency":
      return currency;
    case "store_credit":
      return customer.storeCreditCurrency
        ? formatMinor(customer.storeCreditMinor, customer.storeCreditCurrency as CurrencyCode)
        : "";
    case "store_credit_currency":
      return customer.storeCreditCurrency ?? "";
    case "city":
      return customer.city ?? "";
    case "country":
      return customer.countryCode ?? "";
    case "tags":
      return customer.tags.join(", ");
    case "consent":
      return emailConsentLabel(customer.emailMarketingState);
    case "tax_exempt":
      return customer.taxExempt ? "Yes" : "No";
    case "blocked":
      return customer.blocked ? "Yes" : "No";
    case "referral_joined":
      return writeTime(customer.referralJoinedAt);
    case "referrals":
      return customer.successfulReferrals;
    case "referrer_revenue":
      return formatMinor(customer.referrerRevenueMinor, currency);
    case "referee_revenue":
      return formatMinor(customer.refereeRevenueMinor, currency);
    case "shopify_id":
      return customer.customerGid;
  }
}
