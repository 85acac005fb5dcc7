import type { ProtectedField } from "~/domain/shared";
import { env } from "~/lib/env.server";
import type { ServiceContext } from "~/services/context";
import { messageOf } from "~/services/context";
import { reconcileCustomer } from "~/services/customers/sync-customer.server";
import { applyOrderEvents, orderSyncNeeds, recordOrderBeforeInstall } from "~/services/orders/apply-order-event.server";
import { recordProtectedDataAccess } from "~/services/shops/protected-data-access.server";
import { findJobState } from "~/services/scheduled-jobs/job-state.server";
import type { AdminGraphql } from "~/shopify/admin/graphql.server";
import {
  bulkCustomers,
  bulkOrders,
  customersUpdatedSince,
  fetchOrderLines,
  fetchUnseenRefunds,
  ordersUpdatedSince,
  probeProtectedData,
  type BulkLine,
  type CustomerRecord,
} from "~/shopify/admin/reconcile-queries.server";
import { customerInputOf, isPaidInShopify, orderEventsOf } from "~/shopify/admin/reconcile-records";
import { contextFor } from "~/shopify.server";
import type { IntervalShopJob } from "../scheduled-job";

type ReconcileResult = {
  initial: boolean;
  customers: number;
  customersChanged: number;
  orders: number;
  entriesWritten: number;
  /** Records that could not be applied; skipped so one bad record never stalls every later run. */
  failed: number;
  firstError?: string;
  /** Bulk lines that did not fit their schema (or were not JSON): counted and skipped, never applied. */
  rejected: number;
  firstRejection?: string;
  /** Protected customer fields Shopify withheld: read as null, and named on Home (decision 012). */
  withheld: ProtectedField[];
};

const newResult = (initial: boolean): ReconcileResult => ({
  initial,
  customers: 0,
  customersChanged: 0,
  orders: 0,
  entriesWritten: 0,
  failed: 0,
  rejected: 0,
  withheld: [],
});

async function guarded(result: ReconcileResult, apply: () => Promise<void>) {
  try {
    await apply();
  } catch (error) {
    result.failed += 1;
    result.firstError ??= messageOf(error);
  }
}

/** Applies each record a bulk query yields; a line that did not fit its schema is counted with its reason instead. */
async function applyBulk<Record>(
  result: ReconcileResult,
  lines: AsyncIterable<BulkLine<Record>>,
  apply: (record: Record) => Promise<void>,
) {
  for await (const line of lines) {
    if ("rejected" in line) {
      result.rejected += 1;
      result.firstRejection ??= line.rejected;
      continue;
    }
    await guarded(result, () => apply(line.record));
  }
}

async function syncCustomer(ctx: ServiceContext, record: CustomerRecord, initial: boolean): Promise<boolean> {
  return (await reconcileCustomer({ ctx, input: customerInputOf(record, initial) })).applied;
}

/** Every customer through one bulk query, without the fields Shopify withholds. */
async function syncAllCustomers(ctx: ServiceContext, graphql: AdminGraphql, result: ReconcileResult, initial: boolean) {
  await applyBulk(result, bulkCustomers(graphql, result.withheld), async (record) => {
    result.customers += 1;
    if (await syncCustomer(ctx, record, initial)) result.customersChanged += 1;
  });
}

/**
 * The install sync: every customer and order through two bulk queries. Customers who already had an account were
 * Members before Tally, so they get no sign-up bonus, and orders placed before install earn nothing; both are kept so
 * the directory and profiles are complete from the first day.
 */
async function installSync(ctx: ServiceContext, graphql: AdminGraphql, result: ReconcileResult) {
  await syncAllCustomers(ctx, graphql, result, true);
  await applyBulk(result, bulkOrders(graphql, result.withheld), async (record) => {
    result.orders += 1;
    const { facts } = orderEventsOf({ ...record, fulfillments: [], refunds: [] }, []);
    await recordOrderBeforeInstall({ ctx, input: { facts } });
  });
}

/**
 * Pulls customers and orders changed since the last run and feeds them through the same idempotent services the
 * webhooks use, so a missed or failed webhook heals. The first run is the install sync (see installSync). Each run
 * first asks which protected customer fields Shopify lets Tally see, records it for Home, and reads on without the
 * withheld ones; when Shopify has granted one since the last run, every customer is read again to fill it in.
 * Returns the run's result and the watermark the next run reads from (this run's start).
 */
export async function reconcileShop({
  ctx,
  graphql,
}: {
  ctx: ServiceContext;
  graphql: AdminGraphql;
}): Promise<{ result: ReconcileResult; watermark: string }> {
  const previous = await findJobState({ ctx, input: { job: "reconcile" } });
  const watermark = ctx.now.toISOString();
  const withheld = await probeProtectedData(graphql);
  const result = newResult(!previous?.watermark);
  result.withheld = [...withheld];
  const { previouslyWithheld } = await recordProtectedDataAccess({ ctx, input: { withheld } });
  if (result.initial) {
    await installSync(ctx, graphql, result);
    return { result, watermark };
  }
  if (previouslyWithheld.some((field) => !withheld.has(field))) await syncAllCustomers(ctx, graphql, result, false);

  for await (const nodes of customersUpdatedSince(graphql, previous?.watermark, withheld)) {
    for (const node of nodes) {
      result.customers += 1;
      await guarded(result, async () => {
        if (await syncCustomer(ctx, node, false)) result.customersChanged += 1;
      });
    }
  }

  for await (const nodes of ordersUpdatedSince(graphql, previous?.watermark, withheld)) {
    for (const node of nodes) {
      result.orders += 1;
      const needs = await orderSyncNeeds({ ctx, input: { orderGid: node.id } });
      const unseen = node.refunds.filter((refund) => !needs.knownRefunds.has(refund.id));
      const refundNodes = unseen.length ? await fetchUnseenRefunds(graphql, node.id, needs.knownRefunds) : [];
      const paidInShopify = isPaidInShopify(node.displayFinancialStatus);
      const lines =
        (paidInShopify && !needs.paid) || needs.linesWanted ? await fetchOrderLines(graphql, node.id) : undefined;
      await guarded(result, async () => {
        const { facts, events } = orderEventsOf(node, refundNodes, lines);
        result.entriesWritten += (await applyOrderEvents({ ctx, input: { facts, events } })).entries;
      });
    }
  }

  // A field the probe's one customer did not show as withheld may still have been withheld on a page.
  if (withheld.size > result.withheld.length) {
    result.withheld = [...withheld];
    await recordProtectedDataAccess({ ctx, input: { withheld } });
  }
  return { result, watermark };
}

/** Reconciliation, every RECONCILE_INTERVAL_SECONDS per shop, and at once after an install or a change of scopes. */
export const reconcileJob: IntervalShopJob = {
  name: "reconcile",
  scope: "each shop",
  every: { job: "reconcile", seconds: () => env().RECONCILE_INTERVAL_SECONDS },
  perform: ({ shop, graphql }) => reconcileShop({ ctx: contextFor(shop, "tally-sync"), graphql }),
};
