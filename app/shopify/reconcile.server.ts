import type { OrderEvent } from "~/domain/ledger";
import { shopifyCustomerStateSchema, toMinor, type CurrencyCode } from "~/domain/shared";
import type { ServiceContext } from "~/services/context";
import { applyTagSnapshot, updatePurchasingSummary } from "~/services/customers/customer-facts.server";
import { syncCustomer } from "~/services/customers/sync-customer.server";
import { applyOrderEvent, knownRefunds, type OrderFacts } from "~/services/orders/apply-order-event.server";
import { findJobState, recordJobRun } from "~/services/sync/job-state.server";
import { adminRequest, type AdminGraphql } from "./admin-graphql.server";
import { bulkQuery } from "./bulk-sync.server";

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
        numberOfOrders
        amountSpent { amount currencyCode }
      }
    }
  }
`;

const ORDERS_UPDATED_SINCE = `#graphql
  query TallyReconcileOrders($after: String, $query: String) {
    orders(first: 25, after: $after, query: $query, sortKey: UPDATED_AT) {
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
        fulfillments(first: 1) { createdAt }
        refunds(first: 10) { id }
      }
    }
  }
`;

// Refund lines are costly to list for every order, so they are read only for refunds Tally has not seen.
const ORDER_REFUNDS = `#graphql
  query TallyReconcileRefunds($id: ID!) {
    order(id: $id) {
      refunds(first: 10) {
        id
        refundLineItems(first: 25) { nodes { subtotalSet { shopMoney { amount currencyCode } } } }
      }
    }
  }
`;

// The install sync reads the same fields in bulk; connections there take no page size.
const BULK_CUSTOMERS = `#graphql
  query TallyBulkCustomers {
    customers {
      edges {
        node {
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
        numberOfOrders
        amountSpent { amount currencyCode }
        }
      }
    }
  }
`;

const BULK_ORDERS = `#graphql
  query TallyBulkOrders {
    orders {
      edges {
        node {
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
        }
      }
    }
  }
`;

export const reconcileOperations = [
  CUSTOMERS_UPDATED_SINCE,
  ORDERS_UPDATED_SINCE,
  ORDER_REFUNDS,
  BULK_CUSTOMERS,
  BULK_ORDERS,
];

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
  numberOfOrders: string | number;
  amountSpent: { amount: string; currencyCode: string } | null;
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
  refunds: Array<{ id: string }>;
}

interface RefundNode {
  id: string;
  refundLineItems: { nodes: Array<{ subtotalSet: ShopMoney }> };
}

const PAID = new Set(["PAID", "PARTIALLY_REFUNDED", "REFUNDED"]);

function minor(money: ShopMoney | null): number {
  if (!money) return 0;
  return toMinor(money.shopMoney.amount, money.shopMoney.currencyCode as CurrencyCode);
}

/** Shopify's view of an order, as the same events its webhooks would have delivered. */
export function orderEventsOf(
  order: OrderNode,
  refundNodes: RefundNode[],
): { facts: OrderFacts; events: OrderEvent[] } {
  const currency = order.currencyCode as CurrencyCode;
  const refunds = refundNodes.map((refund) => ({
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

async function fetchRefunds(graphql: AdminGraphql, orderGid: string): Promise<RefundNode[]> {
  const data = await adminRequest<{ order: { refunds: RefundNode[] } | null }>(graphql, ORDER_REFUNDS, {
    variables: { id: orderGid },
  });
  return data.order?.refunds ?? [];
}

/** Shopify's search syntax for "changed after the watermark", overlapping a minute for clock skew. */
function since(watermark: string | null | undefined): string | undefined {
  if (!watermark) return undefined;
  return `updated_at:>'${new Date(Date.parse(watermark) - 60_000).toISOString()}'`;
}

function syncCustomerNode(ctx: ServiceContext, node: CustomerNode, initial: boolean): boolean {
  const state = shopifyCustomerStateSchema.catch("DISABLED").parse(node.state);
  return ctx.db.transaction((tx) => {
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
    applyTagSnapshot({ ctx, tx, input: { customerGid: node.id, tags: node.tags, at: node.updatedAt } });
    if (node.amountSpent) {
      updatePurchasingSummary({
        ctx,
        tx,
        input: {
          customerGid: node.id,
          ordersCount: Number(node.numberOfOrders),
          amountSpentMinor: toMinor(node.amountSpent.amount, node.amountSpent.currencyCode as CurrencyCode),
          currency: node.amountSpent.currencyCode,
          occurredAt: node.updatedAt,
        },
      });
    }
    return synced.applied;
  });
}

/**
 * The install sync: every customer and order through two bulk queries. Customers who already had an account were
 * Members before Tally, so they get no sign-up bonus, and orders placed before install earn nothing; both are kept so
 * the directory and profiles are complete from the first day.
 */
type ReconcileResult = {
  initial: boolean;
  customers: number;
  customersChanged: number;
  orders: number;
  entriesWritten: number;
  /** Records that could not be applied; skipped so one bad record never stalls every later run. */
  failed: number;
  firstError?: string;
};

const newResult = (initial: boolean): ReconcileResult => ({
  initial,
  customers: 0,
  customersChanged: 0,
  orders: 0,
  entriesWritten: 0,
  failed: 0,
});

function guarded(result: ReconcileResult, apply: () => void) {
  try {
    apply();
  } catch (error) {
    result.failed += 1;
    result.firstError ??= error instanceof Error ? error.message : String(error);
  }
}

async function installSync(ctx: ServiceContext, graphql: AdminGraphql) {
  const result = newResult(true);
  for await (const line of bulkQuery(graphql, BULK_CUSTOMERS)) {
    result.customers += 1;
    guarded(result, () => {
      if (syncCustomerNode(ctx, line as unknown as CustomerNode, true)) result.customersChanged += 1;
    });
  }
  for await (const line of bulkQuery(graphql, BULK_ORDERS)) {
    result.orders += 1;
    guarded(result, () => {
      const { facts } = orderEventsOf({ ...(line as unknown as OrderNode), fulfillments: [], refunds: [] }, []);
      ctx.db.transaction((tx) => void applyOrderEvent({ ctx, tx, input: { event: null, facts } }));
    });
  }
  return result;
}

/**
 * Pulls customers and orders changed since the last run and feeds them through the same idempotent services the
 * webhooks use, so a missed or failed webhook heals. The first run is the install sync (see installSync).
 */
export async function reconcileShop({
  ctx,
  graphql,
}: {
  ctx: ServiceContext;
  graphql: AdminGraphql;
}): Promise<ReconcileResult> {
  const previous = findJobState({ ctx, input: { job: "reconcile" } });
  const started = ctx.now.toISOString();
  if (!previous?.watermark) {
    const result = await installSync(ctx, graphql);
    recordJobRun({ ctx, input: { job: "reconcile", watermark: started, result } });
    return result;
  }
  const result = newResult(false);

  for await (const nodes of pages<CustomerNode>(
    graphql,
    CUSTOMERS_UPDATED_SINCE,
    "customers",
    since(previous.watermark),
  )) {
    for (const node of nodes) {
      result.customers += 1;
      guarded(result, () => {
        if (syncCustomerNode(ctx, node, false)) result.customersChanged += 1;
      });
    }
  }

  for await (const nodes of pages<OrderNode>(graphql, ORDERS_UPDATED_SINCE, "orders", since(previous.watermark))) {
    for (const node of nodes) {
      result.orders += 1;
      const known = knownRefunds({ ctx, input: { orderGid: node.id } });
      const unseen = node.refunds.filter((refund) => !known.has(refund.id));
      const refundNodes = unseen.length ? await fetchRefunds(graphql, node.id) : [];
      guarded(result, () => {
        const { facts, events } = orderEventsOf(node, refundNodes);
        ctx.db.transaction((tx) => {
          for (const event of events) {
            result.entriesWritten += applyOrderEvent({ ctx, tx, input: { event, facts } }).entries;
          }
        });
      });
    }
  }

  recordJobRun({ ctx, input: { job: "reconcile", watermark: started, result } });
  return result;
}
