import type { OrderEvent, RefundFact } from "~/domain/ledger";
import { goodsMoneyBack, type GoodsLine } from "~/domain/program";
import { shopifyCustomerStateSchema, toMinor, type CurrencyCode } from "~/domain/shared";
import type { ServiceContext } from "~/services/context";
import { reconcileCustomer } from "~/services/customers/sync-customer.server";
import {
  applyOrderEvents,
  orderSyncNeeds,
  recordOrderBeforeInstall,
  type OrderFacts,
} from "~/services/orders/apply-order-event.server";
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
        totalPriceSet { shopMoney { amount currencyCode } }
        taxesIncluded
        dutiesIncluded
        displayFinancialStatus
        displayFulfillmentStatus
        cancelledAt
        processedAt
        updatedAt
        discountCodes
        customer { id firstName lastName defaultEmailAddress { emailAddress } }
        fulfillments(first: 1) { createdAt }
        refunds { id }
      }
    }
  }
`;

// An order's lines are read only when Tally needs them: a payment it never saw, or an edit waiting for line prices.
const ORDER_LINES = `#graphql
  query TallyReconcileOrderLines($id: ID!, $after: String) {
    order(id: $id) {
      currentTotalTaxSet { shopMoney { amount currencyCode } }
      shippingLines(first: 20) { nodes { taxLines { priceSet { shopMoney { amount currencyCode } } } } }
      lineItems(first: 50, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id
          isGiftCard
          quantity
          originalUnitPriceSet { shopMoney { amount currencyCode } }
          discountAllocations { allocatedAmountSet { shopMoney { amount currencyCode } } }
          taxLines { priceSet { shopMoney { amount currencyCode } } }
          duties { price { shopMoney { amount currencyCode } } }
        }
      }
    }
  }
`;

// Every refund of an order (the list takes no page size), each with its money; refunds Tally has seen are skipped.
const ORDER_REFUNDS = `#graphql
  query TallyReconcileRefunds($id: ID!) {
    order(id: $id) {
      refunds {
        id
        duties { amountSet { shopMoney { amount currencyCode } } }
        transactions(first: 20) {
          pageInfo { hasNextPage endCursor }
          nodes { kind status amountSet { shopMoney { amount currencyCode } } }
        }
        refundLineItems(first: 50) {
          pageInfo { hasNextPage endCursor }
          nodes {
            lineItem { isGiftCard }
            subtotalSet { shopMoney { amount currencyCode } }
            totalTaxSet { shopMoney { amount currencyCode } }
          }
        }
        refundShippingLines(first: 10) {
          pageInfo { hasNextPage endCursor }
          nodes {
            subtotalAmountSet { shopMoney { amount currencyCode } }
            taxAmountSet { shopMoney { amount currencyCode } }
          }
        }
      }
    }
  }
`;

// The rest of a refund's connections, for the rare refund with more than a page of any of them.
const REFUND_TRANSACTIONS_PAGE = `#graphql
  query TallyReconcileRefundTransactions($id: ID!, $after: String) {
    node(id: $id) {
      ... on Refund {
        transactions(first: 20, after: $after) {
          pageInfo { hasNextPage endCursor }
          nodes { kind status amountSet { shopMoney { amount currencyCode } } }
        }
      }
    }
  }
`;

const REFUND_LINES_PAGE = `#graphql
  query TallyReconcileRefundLines($id: ID!, $after: String) {
    node(id: $id) {
      ... on Refund {
        refundLineItems(first: 50, after: $after) {
          pageInfo { hasNextPage endCursor }
          nodes {
            lineItem { isGiftCard }
            subtotalSet { shopMoney { amount currencyCode } }
            totalTaxSet { shopMoney { amount currencyCode } }
          }
        }
      }
    }
  }
`;

const REFUND_SHIPPING_PAGE = `#graphql
  query TallyReconcileRefundShipping($id: ID!, $after: String) {
    node(id: $id) {
      ... on Refund {
        refundShippingLines(first: 10, after: $after) {
          pageInfo { hasNextPage endCursor }
          nodes {
            subtotalAmountSet { shopMoney { amount currencyCode } }
            taxAmountSet { shopMoney { amount currencyCode } }
          }
        }
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
  ORDER_LINES,
  ORDER_REFUNDS,
  REFUND_TRANSACTIONS_PAGE,
  REFUND_LINES_PAGE,
  REFUND_SHIPPING_PAGE,
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
  totalPriceSet?: ShopMoney | null;
  taxesIncluded?: boolean;
  dutiesIncluded?: boolean;
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

interface LineNode {
  id: string;
  isGiftCard: boolean;
  quantity: number;
  originalUnitPriceSet: ShopMoney;
  discountAllocations: Array<{ allocatedAmountSet: ShopMoney }>;
  taxLines: Array<{ priceSet: ShopMoney }>;
  duties: Array<{ price: ShopMoney }>;
}

/** An order's lines and tax, for the earning base (see `earningBase`). */
export interface OrderLines {
  currentTotalTaxMinor: number;
  shippingTaxMinor: number;
  lines: LineNode[];
}

interface Connection<Node> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: Node[];
}

interface TransactionNode {
  kind: string;
  status: string;
  amountSet: ShopMoney;
}
interface RefundLineNode {
  lineItem: { isGiftCard: boolean } | null;
  subtotalSet: ShopMoney;
  totalTaxSet: ShopMoney;
}
interface RefundShippingNode {
  subtotalAmountSet: ShopMoney;
  taxAmountSet: ShopMoney;
}

export interface RefundNode {
  id: string;
  duties: Array<{ amountSet: ShopMoney }> | null;
  transactions: Connection<TransactionNode>;
  refundLineItems: Connection<RefundLineNode>;
  refundShippingLines: Connection<RefundShippingNode>;
}

const PAID = new Set(["PAID", "PARTIALLY_REFUNDED", "REFUNDED"]);

function minor(money: ShopMoney | null | undefined): number {
  if (!money) return 0;
  return toMinor(money.shopMoney.amount, money.shopMoney.currencyCode as CurrencyCode);
}

/** A refund read over GraphQL, through the same money rule as the webhook (`goodsMoneyBack`), all in shop money. */
export function refundFactOfNode(refund: RefundNode, currency: CurrencyCode): RefundFact {
  const money = goodsMoneyBack({
    currency,
    transactions: refund.transactions.nodes.map((transaction) => ({
      kind: transaction.kind,
      status: transaction.status,
      amountMinor: Math.max(0, minor(transaction.amountSet)),
    })),
    shippingLinesMinor: refund.refundShippingLines.nodes.reduce(
      (sum, line) => sum + minor(line.subtotalAmountSet) + minor(line.taxAmountSet),
      0,
    ),
    dutiesMinor: (refund.duties ?? []).reduce((sum, duty) => sum + minor(duty.amountSet), 0),
    giftCardLinesMinor: refund.refundLineItems.nodes
      .filter((line) => line.lineItem?.isGiftCard)
      .reduce((sum, line) => sum + minor(line.subtotalSet) + minor(line.totalTaxSet), 0),
  });
  return { refundGid: refund.id, goodsBackMinor: money.goodsBackMinor, moneyBackMinor: money.moneyBackMinor };
}

function goodsLinesOf(lines: LineNode[]): GoodsLine[] {
  return lines.map((line) => {
    const discounts = line.discountAllocations.reduce(
      (sum, allocation) => sum + minor(allocation.allocatedAmountSet),
      0,
    );
    return {
      lineGid: line.id,
      giftCard: line.isGiftCard,
      quantity: line.quantity,
      discountedMinor: Math.max(0, minor(line.originalUnitPriceSet) * line.quantity - discounts),
      taxMinor: line.taxLines.reduce((sum, tax) => sum + minor(tax.priceSet), 0),
      dutiesMinor: line.duties.reduce((sum, duty) => sum + minor(duty.price), 0),
    };
  });
}

/**
 * Shopify's view of an order, as the same events its webhooks would have delivered. `lines` is given when Tally
 * needs them (a payment it never saw, an edit waiting for prices); without them no payment is replayed.
 */
export function orderEventsOf(
  order: OrderNode,
  refundNodes: RefundNode[],
  lines?: OrderLines,
): { facts: OrderFacts; events: OrderEvent[] } {
  const currency = order.currencyCode as CurrencyCode;
  const refunds = refundNodes.map((refund) => refundFactOfNode(refund, currency));
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
  const flags = { taxesIncluded: order.taxesIncluded ?? false, dutiesIncluded: order.dutiesIncluded ?? false };
  const goodsLines = lines ? goodsLinesOf(lines.lines) : [];
  // The base is taken as at payment: subtotalPriceSet is before returns, as orders/paid saw it. Edits committed before
  // this read are already in it, so the read's own time stands in for the payment's.
  if (lines && order.displayFinancialStatus && PAID.has(order.displayFinancialStatus)) {
    events.push({
      kind: "paid",
      orderGid: order.id,
      orderName: order.name,
      subtotalMinor: facts.subtotalMinor,
      currency,
      ...flags,
      lines: goodsLines,
      orderGoodsTaxMinor: Math.max(0, lines.currentTotalTaxMinor - lines.shippingTaxMinor),
      paidAt: order.updatedAt,
      totalMinor: order.totalPriceSet ? minor(order.totalPriceSet) : null,
    });
  }
  if (lines) events.push({ kind: "updated", orderGid: order.id, orderName: order.name, ...flags, lines: goodsLines });
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

async function fetchLines(graphql: AdminGraphql, orderGid: string): Promise<OrderLines> {
  const out: OrderLines = { currentTotalTaxMinor: 0, shippingTaxMinor: 0, lines: [] };
  let after: string | null = null;
  do {
    const data: {
      order: {
        currentTotalTaxSet: ShopMoney | null;
        shippingLines: { nodes: Array<{ taxLines: Array<{ priceSet: ShopMoney }> }> };
        lineItems: Connection<LineNode>;
      } | null;
    } = await adminRequest(graphql, ORDER_LINES, { variables: { id: orderGid, after } });
    if (!data.order) break;
    out.currentTotalTaxMinor = minor(data.order.currentTotalTaxSet);
    out.shippingTaxMinor = data.order.shippingLines.nodes.reduce(
      (sum, line) => sum + line.taxLines.reduce((lineSum, tax) => lineSum + minor(tax.priceSet), 0),
      0,
    );
    out.lines.push(...data.order.lineItems.nodes);
    after = data.order.lineItems.pageInfo.hasNextPage ? data.order.lineItems.pageInfo.endCursor : null;
  } while (after);
  return out;
}

/** Reads a refund connection's remaining pages into it. */
async function restOf<Node>(
  graphql: AdminGraphql,
  query: string,
  field: "transactions" | "refundLineItems" | "refundShippingLines",
  refundGid: string,
  connection: Connection<Node>,
) {
  let after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
  while (after) {
    const data: { node: Record<string, Connection<Node>> | null } = await adminRequest(graphql, query, {
      variables: { id: refundGid, after },
    });
    const page = data.node?.[field];
    if (!page) break;
    connection.nodes.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  }
}

/** Every refund of the order Tally has not seen yet, each with all its transactions, lines and shipping lines. */
async function fetchRefunds(graphql: AdminGraphql, orderGid: string, known: Set<string>): Promise<RefundNode[]> {
  const data = await adminRequest<{ order: { refunds: RefundNode[] } | null }>(graphql, ORDER_REFUNDS, {
    variables: { id: orderGid },
  });
  const unseen = (data.order?.refunds ?? []).filter((refund) => !known.has(refund.id));
  for (const refund of unseen) {
    await restOf(graphql, REFUND_TRANSACTIONS_PAGE, "transactions", refund.id, refund.transactions);
    await restOf(graphql, REFUND_LINES_PAGE, "refundLineItems", refund.id, refund.refundLineItems);
    await restOf(graphql, REFUND_SHIPPING_PAGE, "refundShippingLines", refund.id, refund.refundShippingLines);
  }
  return unseen;
}

/** Shopify's search syntax for "changed after the watermark", overlapping a minute for clock skew. */
function since(watermark: string | null | undefined): string | undefined {
  if (!watermark) return undefined;
  return `updated_at:>'${new Date(Date.parse(watermark) - 60_000).toISOString()}'`;
}

async function syncCustomerNode(ctx: ServiceContext, node: CustomerNode, initial: boolean): Promise<boolean> {
  const state = shopifyCustomerStateSchema.catch("DISABLED").parse(node.state);
  const { applied } = await reconcileCustomer({
    ctx,
    input: {
      snapshot: {
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
      tags: node.tags,
      purchasing: node.amountSpent
        ? {
            ordersCount: Number(node.numberOfOrders),
            amountSpentMinor: toMinor(node.amountSpent.amount, node.amountSpent.currencyCode as CurrencyCode),
            currency: node.amountSpent.currencyCode,
          }
        : null,
    },
  });
  return applied;
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

async function guarded(result: ReconcileResult, apply: () => Promise<void>) {
  try {
    await apply();
  } catch (error) {
    result.failed += 1;
    result.firstError ??= error instanceof Error ? error.message : String(error);
  }
}

async function installSync(ctx: ServiceContext, graphql: AdminGraphql) {
  const result = newResult(true);
  for await (const line of bulkQuery(graphql, BULK_CUSTOMERS)) {
    result.customers += 1;
    await guarded(result, async () => {
      if (await syncCustomerNode(ctx, line as unknown as CustomerNode, true)) result.customersChanged += 1;
    });
  }
  for await (const line of bulkQuery(graphql, BULK_ORDERS)) {
    result.orders += 1;
    await guarded(result, async () => {
      const { facts } = orderEventsOf({ ...(line as unknown as OrderNode), fulfillments: [], refunds: [] }, []);
      await recordOrderBeforeInstall({ ctx, input: { facts } });
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
  const previous = await findJobState({ ctx, input: { job: "reconcile" } });
  const started = ctx.now.toISOString();
  if (!previous?.watermark) {
    const result = await installSync(ctx, graphql);
    await recordJobRun({ ctx, input: { job: "reconcile", watermark: started, result } });
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
      await guarded(result, async () => {
        if (await syncCustomerNode(ctx, node, false)) result.customersChanged += 1;
      });
    }
  }

  for await (const nodes of pages<OrderNode>(graphql, ORDERS_UPDATED_SINCE, "orders", since(previous.watermark))) {
    for (const node of nodes) {
      result.orders += 1;
      const needs = await orderSyncNeeds({ ctx, input: { orderGid: node.id } });
      const unseen = node.refunds.filter((refund) => !needs.knownRefunds.has(refund.id));
      const refundNodes = unseen.length ? await fetchRefunds(graphql, node.id, needs.knownRefunds) : [];
      const paidInShopify = node.displayFinancialStatus !== null && PAID.has(node.displayFinancialStatus);
      const lines =
        (paidInShopify && !needs.paid) || needs.linesWanted ? await fetchLines(graphql, node.id) : undefined;
      await guarded(result, async () => {
        const { facts, events } = orderEventsOf(node, refundNodes, lines);
        result.entriesWritten += (await applyOrderEvents({ ctx, input: { facts, events } })).entries;
      });
    }
  }

  await recordJobRun({ ctx, input: { job: "reconcile", watermark: started, result } });
  return result;
}
