import type { OrderEvent } from "~/domain/ledger";
import { shopifyCustomerStateSchema, toMinor, type CurrencyCode } from "~/domain/shared";
import type { ServiceContext } from "~/services/context";
import { applyTagSnapshot } from "~/services/customers/customer-facts.server";
import { syncCustomer } from "~/services/customers/sync-customer.server";
import { applyOrderEvent, type OrderFacts } from "~/services/orders/apply-order-event.server";
import { findJobState, recordJobRun } from "~/services/sync/job-state.server";
import { adminRequest, type AdminGraphql } from "./admin-graphql.server";

const CUSTOMERS_UPDATED_SINCE = `#graphql
  query TallyReconcileCustomers($after: String, $query: String) {
    customers(first: 100, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        firstName
        lastName
        state
        tags
        createdAt
        updatedAt
        defaultEmailAddress { emailAddress }
        defaultPhoneNumber { phoneNumber }
        defaultAddress { city province countryCodeV2 }
      }
    }
  }
`;

const ORDERS_UPDATED_SINCE = `#graphql
  query TallyReconcileOrders($after: String, $query: String) {
    orders(first: 50, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        name
        currencyCode
        subtotalPriceSet { shopMoney { amount currencyCode } }
        currentTotalPriceSet { shopMoney { amount currencyCode } }
        displayFinancialStatus
        displayFulfillmentStatus
        cancelledAt
        processedAt
        updatedAt
        discountCodes
        customer { id firstName lastName defaultEmailAddress { emailAddress } }
        fulfillments(first: 5) { createdAt }
        refunds(first: 20) {
          id
          refundLineItems(first: 50) { nodes { subtotalSet { shopMoney { amount currencyCode } } } }
        }
      }
    }
  }
`;

export const reconcileOperations = [CUSTOMERS_UPDATED_SINCE, ORDERS_UPDATED_SINCE];

interface Page<Node> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: Node[];
}

interface CustomerNode {
  id: string;
  firstName: string | null;
  lastName: string | null;
  state: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  defaultEmailAddress: { emailAddress: string | null } | null;
  defaultPhoneNumber: { phoneNumber: string | null } | null;
  defaultAddress: { city: string | null; province: string | null; countryCodeV2: string | null } | null;
}

interface ShopMoney {
  shopMoney: { amount: string; currencyCode: string };
}

interface OrderNode {
  id: string;
  name: string;
  currencyCode: string;
  subtotalPriceSet: ShopMoney | null;
  currentTotalPriceSet: ShopMoney | null;
  displayFinancialStatus: string | null;
  displayFulfillmentStatus: string | null;
  cancelledAt: string | null;
  processedAt: string;
  updatedAt: string;
  discountCodes: string[];
  customer: {
    id: string;
    firstName: string | null;
    lastName: string | null;
    defaultEmailAddress: { emailAddress: string | null } | null;
  } | null;
  fulfillments: Array<{ createdAt: string }>;
  refunds: Array<{ id: string; refundLineItems: { nodes: Array<{ subtotalSet: ShopMoney }> } }>;
}

const PAID = new Set(["PAID", "PARTIALLY_REFUNDED", "REFUNDED"]);

function minor(money: ShopMoney | null): number {
  if (!money) return 0;
  return toMinor(money.shopMoney.amount, money.shopMoney.currencyCode as CurrencyCode);
}

/** Shopify's view of an order, as the same events its webhooks would have delivered. */
export function orderEventsOf(order: OrderNode): { facts: OrderFacts; events: OrderEvent[] } {
  const currency = order.currencyCode as CurrencyCode;
  const refunds = order.refunds.map((refund) => ({
    refundGid: refund.id,
    refundedBaseMinor: refund.refundLineItems.nodes.reduce((sum, line) => sum + minor(line.subtotalSet), 0),
  }));
  const facts: OrderFacts = {
    orderGid: order.id,
    name: order.name,
    currency,
    subtotalMinor: minor(order.subtotalPriceSet),
    totalMinor: order.currentTotalPriceSet ? minor(order.currentTotalPriceSet) : null,
    financialStatus: order.displayFinancialStatus?.toLowerCase() ?? null,
    fulfillmentStatus: order.displayFulfillmentStatus?.toLowerCase() ?? null,
    discountCodes: order.discountCodes,
    cancelledAt: order.cancelledAt,
    processedAt: order.processedAt,
    updatedAt: order.updatedAt,
    customer: order.customer
      ? {
          customerGid: order.customer.id,
          email: order.customer.defaultEmailAddress?.emailAddress ?? null,
          firstName: order.customer.firstName,
          lastName: order.customer.lastName,
        }
      : null,
  };
  const events: OrderEvent[] = [];
  // The earning base is the subtotal at payment: subtotalPriceSet is before refunds, as orders/paid saw it.
  if (order.displayFinancialStatus && PAID.has(order.displayFinancialStatus)) {
    events.push({
      kind: "paid",
      orderGid: order.id,
      orderName: order.name,
      subtotalMinor: facts.subtotalMinor,
      currency,
    });
  }
  for (const refund of refunds) events.push({ kind: "refund", orderGid: order.id, ...refund });
  if (order.cancelledAt) events.push({ kind: "cancelled", orderGid: order.id, orderName: order.name, refunds });
  const firstFulfilment = order.fulfillments.map((f) => f.createdAt).sort()[0];
  if (firstFulfilment) events.push({ kind: "fulfilled", orderGid: order.id, fulfilledAt: firstFulfilment });
  return { facts, events };
}

async function* pages<Node>(graphql: AdminGraphql, query: string, field: string, search: string | undefined) {
  let after: string | null = null;
  do {
    const data: Record<string, Page<Node>> = await adminRequest(graphql, query, {
      variables: { after, query: search ?? null },
    });
    const page = data[field]!;
    yield page.nodes;
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
}

/** Shopify's search syntax for "changed after the watermark", overlapping a minute for clock skew. */
function since(watermark: string | null | undefined): string | undefined {
  if (!watermark) return undefined;
  return `updated_at:>'${new Date(Date.parse(watermark) - 60_000).toISOString()}'`;
}

/**
 * Pulls customers and orders changed since the last run and feeds them through the same idempotent services the
 * webhooks use, so a missed or failed webhook heals. The first run (no watermark) is the install sync: it brings the
 * shop's customers and orders in without paying sign-up bonuses or points for orders placed before Tally.
 */
export async function reconcileShop({ ctx, graphql }: { ctx: ServiceContext; graphql: AdminGraphql }) {
  const previous = findJobState({ ctx, input: { job: "reconcile" } });
  const initial = !previous?.watermark;
  const started = ctx.now.toISOString();
  const result = { initial, customers: 0, customersChanged: 0, orders: 0, entriesWritten: 0 };

  for await (const nodes of pages<CustomerNode>(
    graphql,
    CUSTOMERS_UPDATED_SINCE,
    "customers",
    since(previous?.watermark),
  )) {
    for (const node of nodes) {
      result.customers += 1;
      const state = shopifyCustomerStateSchema.catch("DISABLED").parse(node.state);
      ctx.db.transaction((tx) => {
        const synced = syncCustomer({
          ctx,
          tx,
          input: {
            customerGid: node.id,
            shopifyState: state,
            updatedAt: node.updatedAt,
            email: node.defaultEmailAddress?.emailAddress ?? null,
            firstName: node.firstName,
            lastName: node.lastName,
            phone: node.defaultPhoneNumber?.phoneNumber ?? null,
            city: node.defaultAddress?.city ?? null,
            province: node.defaultAddress?.province ?? null,
            countryCode: node.defaultAddress?.countryCodeV2 ?? null,
            createdAt: node.createdAt,
            existedBeforeInstall: initial,
          },
        });
        if (synced.applied) result.customersChanged += 1;
        applyTagSnapshot({ ctx, tx, input: { customerGid: node.id, tags: node.tags, at: node.updatedAt } });
      });
    }
  }

  for await (const nodes of pages<OrderNode>(graphql, ORDERS_UPDATED_SINCE, "orders", since(previous?.watermark))) {
    for (const node of nodes) {
      result.orders += 1;
      const { facts, events } = orderEventsOf(node);
      ctx.db.transaction((tx) => {
        if (initial) return void applyOrderEvent({ ctx, tx, input: { event: null, facts } });
        for (const event of events) {
          result.entriesWritten += applyOrderEvent({ ctx, tx, input: { event, facts } }).entries;
        }
      });
    }
  }

  recordJobRun({ ctx, input: { job: "reconcile", watermark: started, result } });
  return result;
}
