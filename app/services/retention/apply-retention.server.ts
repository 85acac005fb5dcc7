import { and, inArray, isNotNull, lt, notInArray } from "drizzle-orm";
import { checkouts, webhookDeliveries, webhookFailures } from "~/db/schema";
import { flushErasedData } from "../compliance/flush-erased-data.server";
import { inTransaction, type AllShopsContext } from "../context";

const DAY_MS = 24 * 3600 * 1000;

/**
 * How long Tally keeps personal data it only holds in passing (README, "Personal data at rest"):
 * - `checkoutDays`: a checkout (the buyer's email, for "non-converting" customers) is deleted 90 days after Shopify
 *   last updated it. A cart untouched for a quarter says nothing about a customer's intent any more.
 * - `payloadDays`: a webhook payload is erased the moment its effect is applied; one still unapplied after 30 days
 *   (a delivery that kept failing, parked or not) is erased then and the delivery marked expired, its facts left to reconciliation with
 *   Shopify. Shopify's privacy requests are the exception: they are the erasure itself, kept until acted on.
 * - `failureDays`: the record of a failed attempt (topic, error) is deleted after 30 days.
 */
export const RETENTION = Object.freeze({ checkoutDays: 90, payloadDays: 30, failureDays: 30 });

/** Shopify's privacy topics, whose payloads are kept until applied (see RETENTION). */
const PRIVACY_TOPICS = ["customers/data_request", "customers/redact", "shop/redact"];

/**
 * Enforces RETENTION across all shops at `now`, at most `limit` rows of each kind per run (the jobs tick calls it
 * every few seconds), then flushes what it erased out of the write-ahead log as redaction does. Returns what it
 * removed. Must run outside any transaction.
 */
export async function applyRetention({ ctx, input }: { ctx: AllShopsContext; input: { limit: number } }) {
  const before = (days: number) => new Date(ctx.now.getTime() - days * DAY_MS).toISOString();
  const { db } = ctx;

  const staleCheckouts = db
    .select({ id: checkouts.id })
    .from(checkouts)
    .where(lt(checkouts.shopifyUpdatedAt, before(RETENTION.checkoutDays)))
    .limit(input.limit);
  const checkoutsDeleted = (
    await inTransaction(ctx, (tx) =>
      tx.delete(checkouts).where(inArray(checkouts.id, staleCheckouts)).returning({ id: checkouts.id }),
    )
  ).length;

  const unapplied = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        lt(webhookDeliveries.receivedAt, before(RETENTION.payloadDays)),
        isNotNull(webhookDeliveries.payload),
        notInArray(webhookDeliveries.topic, PRIVACY_TOPICS),
      ),
    )
    .limit(input.limit);
  const payloadsErased = (
    await inTransaction(ctx, (tx) =>
      tx
        .update(webhookDeliveries)
        .set({
          payload: null,
          status: "expired",
          parkedAt: null,
          retryAt: null,
          error: `Not applied within ${RETENTION.payloadDays} days: its payload was erased, reconciliation brings the facts from Shopify`,
        })
        .where(inArray(webhookDeliveries.id, unapplied))
        .returning({ id: webhookDeliveries.id }),
    )
  ).length;

  const oldFailures = db
    .select({ id: webhookFailures.id })
    .from(webhookFailures)
    .where(lt(webhookFailures.failedAt, before(RETENTION.failureDays)))
    .limit(input.limit);
  const failuresDeleted = (
    await inTransaction(ctx, (tx) =>
      tx.delete(webhookFailures).where(inArray(webhookFailures.id, oldFailures)).returning({ id: webhookFailures.id }),
    )
  ).length;

  if (checkoutsDeleted + payloadsErased > 0) await flushErasedData({ ctx });
  return { checkoutsDeleted, payloadsErased, failuresDeleted };
}
