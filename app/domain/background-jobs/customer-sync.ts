import { z } from "zod";
import { defineTaskKind } from "./define";
import { countOf, type FinishedLine } from "./finished";

/**
 * Sync customers (issue 10, seed 000; decision 030): every customer and their orders read again from Shopify in one
 * bulk operation and applied through the services the webhooks use, so the newer dated fact wins and a second sync
 * changes nothing. One at a time per shop: a start while one is queued or running answers with that one. Its progress
 * counts the customers and orders applied (the JSONL's lines), against what Shopify read
 * (app/jobs/tasks/sync-customers.server.ts).
 */
export const syncCustomersKind = defineTaskKind({
  kind: "customers.sync",
  title: () => "Sync customers",
  // The merchant's words for the JSONL's lines: each is a customer or one of their orders.
  unit: { one: "customer or order", other: "customers and orders" },
  outcomes: { done: "Updated", skipped: "Set aside", failed: "Failed" },
  finished: (facts, words) => syncFinished(facts, words),
  // Home's install sync counts every order; this one reads customers and their orders only (customersWithOrdersQuery).
  finishedNote:
    "Orders placed without a customer aren't included in a customer sync, so it can count fewer orders than your store has.",
  // The job page says the step as the directory's sync status does: Shopify reading first, then Tally applying.
  phase: ({ summary }, number) => {
    const parsed = customerSyncSummarySchema.safeParse(summary);
    if (!parsed.success) return undefined;
    return { text: describeSyncProgress(parsed.data, number), counting: parsed.data.phase === "applying" };
  },
  input: z.object({}),
  oneAtATime: true,
});

/** Where a Sync customers stands, as its task's summary holds it: what the page shows beside the progress bar. */
export const customerSyncSummarySchema = z.object({
  /** "starting": asking Shopify; "reading": Shopify's bulk operation runs; "applying": its file is applied. */
  phase: z.enum(["starting", "reading", "applying", "done"]),
  /** Objects (customers and orders) Shopify has read so far, or in all once its operation completed. */
  objectsRead: z.number().int().nonnegative(),
  customers: z.number().int().nonnegative(),
  /** Customers new to Tally, and customers whose details or figures the sync changed (new ones included). */
  customersAdded: z.number().int().nonnegative(),
  customersChanged: z.number().int().nonnegative(),
  orders: z.number().int().nonnegative(),
  /** Orders Tally had not seen paid (a missed webhook), now applied as their webhooks would have been. */
  ordersHealed: z.number().int().nonnegative(),
  /** Records a service refused, and JSONL lines that did not fit their schema: listed in the results. */
  failed: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
});
export type CustomerSyncSummary = z.infer<typeof customerSyncSummarySchema>;

export const emptyCustomerSyncSummary: CustomerSyncSummary = {
  phase: "starting",
  objectsRead: 0,
  customers: 0,
  customersAdded: 0,
  customersChanged: 0,
  orders: 0,
  ordersHealed: 0,
  failed: 0,
  rejected: 0,
};

/**
 * The line beside a Sync customers' progress bar, in the merchant's words (customers and orders, never Shopify's
 * "objects"): "Shopify is reading your customers and their orders: 4,340 read so far", then "1,240 customers and
 * 3,100 orders applied of 6,780 read". `number` writes a count in the staff member's locale.
 */
export function describeSyncProgress(
  summary: CustomerSyncSummary,
  number: (n: number) => string,
  queued = false,
): string {
  if (queued || summary.phase === "starting") return "Asking Shopify for your customers and their orders…";
  if (summary.phase === "reading")
    return `Shopify is reading your customers and their orders: ${number(summary.objectsRead)} read so far`;
  const customers = `${number(summary.customers)} ${summary.customers === 1 ? "customer" : "customers"}`;
  const orders = `${number(summary.orders)} ${summary.orders === 1 ? "order" : "orders"}`;
  return `${customers} and ${orders} applied of ${number(summary.objectsRead)} read`;
}

/**
 * The toast a merchant watching the directory gets when a Sync customers finishes: "Customers synced: 12 new or
 * updated", or "Customers synced: all were up to date". `summary` is the task's (anything else reads as the latter).
 */
export function syncDoneToast(summary: unknown, number: (n: number) => string): string {
  const parsed = customerSyncSummarySchema.safeParse(summary);
  const changed = parsed.success ? parsed.data.customersChanged : 0;
  return changed > 0 ? `Customers synced: ${number(changed)} new or updated` : "Customers synced: all were up to date";
}

/**
 * A finished sync in what it read and changed: "Finished: 2,004 customers and 4,777 of their orders read; 12 customers
 * new or updated, 1 missed order applied, 1 failed, 2 lines of Shopify's file set aside". Customers and orders apart,
 * as Home's install sync counts them: the sync reads customers with their orders, so adding the two to compare with
 * Home's orders (which include orders placed without a customer) would not add up. Its results list only what changed
 * or failed, so "12 of 14 updated" would count neither what was read nor what changed. A summary that does not parse
 * (a task of an older version) says what its progress counted.
 */
const syncFinished: FinishedLine = ({ items, progress, summary }, words) => {
  const parsed = customerSyncSummarySchema.safeParse(summary);
  if (!parsed.success)
    return `Finished: ${countOf(progress.done, progress.unit, words)} read; ${words.number(items.done)} updated`;
  const { customers, orders, customersChanged, ordersHealed, failed, rejected } = parsed.data;
  const who = countOf(customers, { one: "customer", other: "customers" }, words);
  const read = orders > 0 ? `${who} and ${words.number(orders)} of their orders read` : `${who} read, with no orders`;
  const parts = [
    customersChanged > 0
      ? `${countOf(customersChanged, { one: "customer", other: "customers" }, words)} new or updated`
      : "no customer changed",
    ...(ordersHealed > 0
      ? [`${countOf(ordersHealed, { one: "missed order", other: "missed orders" }, words)} applied`]
      : []),
    ...(failed > 0 ? [`${words.number(failed)} failed`] : []),
    ...(rejected > 0
      ? [`${countOf(rejected, { one: "line", other: "lines" }, words)} of Shopify's file set aside`]
      : []),
  ];
  return `Finished: ${read}; ${parts.join(", ")}`;
};
