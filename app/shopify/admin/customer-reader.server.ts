import type { ProtectedField } from "~/domain/shared";
import type { ShopifyCustomerReader } from "~/services/customers/sync-customer-now.server";
import type { AdminGraphql } from "./graphql.server";
import { fetchCustomer, fetchOrderLines, fetchUnseenRefunds, ordersOfCustomer } from "./reconcile-queries.server";
import { customerInputOf, isPaidInShopify, orderEventsOf } from "./reconcile-records";
import { shopifyStoreCredit } from "./store-credit.server";

/**
 * One customer and their orders read now through the Admin API, translated exactly as reconciliation translates
 * them (reconcile-records.ts), so Sync customer and Recalculate apply what a webhook would have. Protected fields
 * Shopify withholds are read as null.
 */
export function shopifyCustomerReader(graphql: AdminGraphql): ShopifyCustomerReader {
  const withheld = new Set<ProtectedField>();
  return {
    async customer(customerGid) {
      const record = await fetchCustomer(graphql, customerGid, withheld);
      return record ? customerInputOf(record, false) : null;
    },
    async *orders(customerGid, needsOf) {
      for await (const nodes of ordersOfCustomer(graphql, customerGid, withheld)) {
        for (const node of nodes) {
          const needs = await needsOf(node.id);
          const unseen = node.refunds.filter((refund) => !needs.knownRefunds.has(refund.id));
          const refunds = unseen.length ? await fetchUnseenRefunds(graphql, node.id, needs.knownRefunds) : [];
          const wantsLines = (isPaidInShopify(node.displayFinancialStatus) && !needs.paid) || needs.linesWanted;
          const lines = wantsLines ? await fetchOrderLines(graphql, node.id) : undefined;
          yield orderEventsOf(node, refunds, lines);
        }
      }
    },
    storeCreditAccounts: (customerGid) => shopifyStoreCredit(graphql).accounts(customerGid),
  };
}
