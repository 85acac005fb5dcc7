import { and, inArray, isNotNull, lt, notInArray } from "drizzle-orm";
import { checkouts, webhookDeliveries, webhookFailures } from "~/db/schema";
import type { Db } from "~/db/client.server";
import { flushErasedData } from "../compliance/flush-erased-data.server";

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
export function applyRetention({ db, now, input }: { db: Db; now: Date; input: { limit: number } }) {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();

  const staleCheckouts = db
    .select({ id: checkouts.id })
    .from(checkouts)
    .where(lt(checkouts.shopifyUpdatedAt, before(RETENTION.checkoutDays)))
    .limit(input.limit);
  const checkoutsDeleted = db.delete(checkouts).where(inArray(checkouts.id, staleCheckouts)).run().changes;

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
  const payloadsErased = db
    .update(webhookDeliveries)
    .set({
      payload: null,
      status: "expired",
      parkedAt: null,
      retryAt: null,
      error: `Not applied within ${RETENTION.payloadDays} days: its payload was erased, reconciliation brings the facts from Shopify`,
    })
    .where(inArray(webhookDeliveries.id, unapplied))
    .run().changes;

  const oldFailures = db
    .select({ id: webhookFailures.id })
    .from(webhookFailures)
    .where(lt(webhookFailures.failedAt, before(RETENTION.failureDays)))
    .limit(input.limit);
  const failuresDeleted = db.delete(webhookFailures).where(inArray(webhookFailures.id, oldFailures)).run().changes;

  if (checkoutsDeleted + payloadsErased > 0) flushErasedData({ ctx: { shop: "", db, now, actor: "tally-retention" } });
  return { checkoutsDeleted, payloadsErased, failuresDeleted };
}
