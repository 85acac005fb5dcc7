import {
  listStaleStoreCredit,
  postponeStoreCreditRead,
  recordRefreshedStoreCredit,
} from "~/services/store-credit/store-credit.server";
import type { AdminGraphql } from "~/shopify/admin/graphql.server";
import { shopifyStoreCredit } from "~/shopify/admin/store-credit.server";
import { contextFor } from "~/shopify.server";
import type { EveryTickShopJob } from "../scheduled-job";

/**
 * Reads again, from Shopify, the store credit of customers an order webhook said it moved (paid with it at checkout,
 * refunded to it), and writes the directory's figure (decision 027): off the webhook path, one read per customer, up
 * to `limit` a run, oldest mark first. A read that fails is put off for `STORE_CREDIT_RETRY_MS` (15 minutes) behind
 * the customers marked since, and the run goes on to the next customer.
 */
export async function refreshStoreCredit({
  shop,
  graphql,
  limit = 25,
}: {
  shop: string;
  graphql: AdminGraphql;
  limit?: number;
}) {
  const ctx = contextFor(shop, "tally-jobs");
  const shopify = shopifyStoreCredit(graphql);
  let refreshed = 0;
  let failed = 0;
  for (const customer of await listStaleStoreCredit({ ctx, input: { limit } })) {
    let accounts;
    try {
      accounts = await shopify.accounts(customer.customerGid);
    } catch {
      await postponeStoreCreditRead({
        ctx,
        input: { customerId: customer.id, staleAt: customer.staleAt },
      });
      failed += 1;
      continue;
    }
    await recordRefreshedStoreCredit({
      ctx: contextFor(shop, "tally-jobs"),
      input: { customerId: customer.id, staleAt: customer.staleAt, accounts },
    });
    refreshed += 1;
  }
  return { refreshed, failed };
}

export const refreshStoreCreditJob: EveryTickShopJob = {
  name: "refresh store credit moved by orders",
  scope: "each shop",
  every: "tick",
  perform: refreshStoreCredit,
};
