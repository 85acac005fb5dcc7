import { and, eq } from "drizzle-orm";
import { customers } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";
import { ensureCustomer } from "./sync-customer.server";

type Args<Input> = { ctx: ServiceContext; tx: Tx; input: Input };

function isOlder(incoming: string, stored: string | null): boolean {
  return stored !== null && Date.parse(incoming) < Date.parse(stored);
}

/** customers/delete: the row stays (the ledger keeps its history) but the customer is gone from Shopify. */
export function markCustomerDeleted({ ctx, tx, input }: Args<{ customerGid: string }>) {
  tx.update(customers)
    .set({ deletedAt: ctx.now.toISOString(), updatedAt: ctx.now.toISOString() })
    .where(and(eq(customers.shop, ctx.shop), eq(customers.customerGid, input.customerGid)))
    .run();
}

/** customers/purchasing_summary: orders count and amount spent, newest summary wins. */
export function updatePurchasingSummary({
  ctx,
  tx,
  input,
}: Args<{ customerGid: string; ordersCount: number; amountSpentMinor: number; currency: string; occurredAt: string }>) {
  const row = ensureCustomer({ ctx, tx }, { customerGid: input.customerGid });
  if (isOlder(input.occurredAt, row.purchasingUpdatedAt)) return;
  tx.update(customers)
    .set({
      ordersCount: input.ordersCount,
      amountSpentMinor: input.amountSpentMinor,
      currency: input.currency,
      purchasingUpdatedAt: input.occurredAt,
      updatedAt: ctx.now.toISOString(),
    })
    .where(eq(customers.id, row.id))
    .run();
}

/**
 * customer.tags_added / customer.tags_removed. Each tag remembers the time of the event that last set it, so an add
 * and a remove of the same tag end right whichever arrives first.
 */
export function applyTagEvent({
  ctx,
  tx,
  input,
}: Args<{ customerGid: string; tags: string[]; present: boolean; occurredAt: string }>) {
  const row = ensureCustomer({ ctx, tx }, { customerGid: input.customerGid });
  if (row.redactedAt) return;
  const events = { ...row.tagEvents };
  for (const tag of input.tags) {
    const key = tag.trim().toLowerCase();
    const seen = events[key];
    if (seen && isOlder(input.occurredAt, seen.at)) continue;
    events[key] = { present: input.present, at: input.occurredAt };
  }
  const kept = new Map(row.tags.map((tag) => [tag.toLowerCase(), tag]));
  for (const tag of input.tags) kept.set(tag.trim().toLowerCase(), tag.trim());
  const tags = [...kept].filter(([key]) => events[key]?.present ?? true).map(([, tag]) => tag);
  tx.update(customers)
    .set({ tagEvents: events, tags, updatedAt: ctx.now.toISOString() })
    .where(eq(customers.id, row.id))
    .run();
}

/** customers_email_marketing_consent/update: the newest consent wins. */
export function updateEmailConsent({
  ctx,
  tx,
  input,
}: Args<{ customerGid: string; state: string; updatedAt: string }>) {
  const row = ensureCustomer({ ctx, tx }, { customerGid: input.customerGid });
  if (row.redactedAt || isOlder(input.updatedAt, row.emailMarketingUpdatedAt)) return;
  tx.update(customers)
    .set({ emailMarketingState: input.state, emailMarketingUpdatedAt: input.updatedAt })
    .where(eq(customers.id, row.id))
    .run();
}

/**
 * The full tag list as Shopify holds it at `at` (reconciliation). Tags whose own events are newer than `at` keep the
 * event's word, so a snapshot taken before a tag webhook does not undo it.
 */
export function applyTagSnapshot({ ctx, tx, input }: Args<{ customerGid: string; tags: string[]; at: string }>) {
  const row = ensureCustomer({ ctx, tx }, { customerGid: input.customerGid });
  if (row.redactedAt) return;
  const present = new Map(input.tags.map((tag) => [tag.trim().toLowerCase(), tag.trim()]));
  const events = { ...row.tagEvents };
  const known = new Map(row.tags.map((tag) => [tag.toLowerCase(), tag]));
  for (const [key, tag] of [...present, ...known]) {
    const seen = events[key];
    if (seen && isOlder(input.at, seen.at)) continue;
    events[key] = { present: present.has(key), at: input.at };
    if (present.has(key)) known.set(key, tag);
  }
  const tags = [...known].filter(([key]) => events[key]?.present).map(([, tag]) => tag);
  tx.update(customers).set({ tagEvents: events, tags }).where(eq(customers.id, row.id)).run();
}
