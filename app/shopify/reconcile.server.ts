import type { OrderEvent, RefundFact } from "~/domain/ledger";
import { goodsMoneyBack, type GoodsLine } from "~/domain/program";
import { shopifyCustomerStateSchema, toMinor, type CurrencyCode, type ProtectedField } from "~/domain/shared";
import type { ServiceContext } from "~/services/context";
import { reconcileCustomer } from "~/services/customers/sync-customer.server";
import {
  applyOrderEvents,
  orderSyncNeeds,
  recordOrderBeforeInstall,
  type OrderFacts,
} from "~/services/orders/apply-order-event.server";
import { recordProtectedDataAccess } from "~/services/shops/protected-data-access.server";
import { findJobState, recordJobRun } from "~/services/sync/job-state.server";
import type {
  TallyReconcileCustomersQuery,
  TallyReconcileOrderLinesQuery,
  TallyReconcileOrdersQuery,
  TallyReconcileRefundsQuery,
} from "~/types/admin.generated";
import { adminRequest, type AdminGraphql } from "./admin-graphql.server";
import { bulkQuery, type BulkLine } from "./bulk-sync.server";
import { withoutWithheldFields } from "./protected-data";
import { customerRecordSchema, orderRecordSchema, type CustomerRecord, type OrderRecord } from "./sync-records";

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
        taxExempt
        lastOrder { processedAt }
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
        taxExempt
        lastOrder { processedAt }
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

// Which protected customer fields Shopify lets Tally see: one customer, every field Tally reads. Withheld ones answer
// null beside an ACCESS_DENIED error each (shopify.dev, "Work with protected customer data").
const PROTECTED_DATA_PROBE = `#graphql
  query TallyProtectedDataProbe {
    customers(first: 1) {
      nodes {
        id
        firstName
        lastName
        defaultEmailAddress { emailAddress }
        defaultPhoneNumber { phoneNumber }
        defaultAddress { city }
      }
    }
  }
`;

type PagedCustomer = TallyReconcileCustomersQuery["customers"]["nodes"][number];
type PagedOrder = TallyReconcileOrdersQuery["orders"]["nodes"][number];
/** An order as reconciliation reads it: a bulk record, or a paged node with its refunds and fulfilments. */
type OrderNode = OrderRecord &
  Partial<Pick<PagedOrder, "totalPriceSet" | "taxesIncluded" | "dutiesIncluded">> &
  Pick<PagedOrder, "fulfillments" | "refunds">;
type LineNode = NonNullable<TallyReconcileOrderLinesQuery["order"]>["lineItems"]["nodes"][number];
export type RefundNode = NonNullable<TallyReconcileRefundsQuery["order"]>["refunds"][number];
type Connection<Node> = { pageInfo: { hasNextPage: boolean; endCursor?: string | null }; nodes: Node[] };

// The paged queries' answers are records of the same shape as the bulk lines, so one sync path takes both.
type Fits<Record, Selected extends Record> = Selected;
export type _PagedCustomerFits = Fits<CustomerRecord, PagedCustomer>;
export type _PagedOrderFits = Fits<OrderNode, PagedOrder>;

/** An order's lines and tax, for the earning base (see `earningBase`). */
export interface OrderLines {
  currentTotalTaxMinor: number;
  shippingTaxMinor: number;
  lines: LineNode[];
}

const PAID = new Set(["PAID", "PARTIALLY_REFUNDED", "REFUNDED"]);

function minor(money: { shopMoney: { amount: string; currencyCode: string } } | null | undefined): number {
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
    cancelledAt: order.cancelledAt ?? null,
    processedAt: order.processedAt,
    updatedAt: order.updatedAt,
    customer: order.customer
      ? {
          customerGid: order.customer.id,
          email: order.customer.defaultEmailAddress?.emailAddress ?? null,
          firstName: order.customer.firstName ?? null,
          lastName: order.customer.lastName ?? null,
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

/** Every page of a connection, from the first, as `fetchPage(after)` reads them. */
async function* pages<Node>(fetchPage: (after: string | null) => Promise<Connection<Node>>) {
  let after: string | null = null;
  do {
    const page: Connection<Node> = await fetchPage(after);
    yield page.nodes;
    after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null;
  } while (after);
}

const empty = { pageInfo: { hasNextPage: false }, nodes: [] };

async function fetchLines(graphql: AdminGraphql, orderGid: string): Promise<OrderLines> {
  const out: OrderLines = { currentTotalTaxMinor: 0, shippingTaxMinor: 0, lines: [] };
  for await (const nodes of pages(async (after) => {
    const { order } = await adminRequest(graphql, ORDER_LINES, { variables: { id: orderGid, after } });
    if (!order) return empty;
    out.currentTotalTaxMinor = minor(order.currentTotalTaxSet);
    out.shippingTaxMinor = order.shippingLines.nodes.reduce(
      (sum, line) => sum + line.taxLines.reduce((lineSum, tax) => lineSum + minor(tax.priceSet), 0),
      0,
    );
    return order.lineItems;
  })) {
    out.lines.push(...nodes);
  }
  return out;
}

/** Reads the rest of a refund's connection (past its first page) into it. */
async function restOf<Node>(connection: Connection<Node>, fetchPage: (after: string) => Promise<Connection<Node>>) {
  let after = connection.pageInfo.hasNextPage ? (connection.pageInfo.endCursor ?? null) : null;
  while (after) {
    const page = await fetchPage(after);
    connection.nodes.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null;
  }
}

/** Every refund of the order Tally has not seen yet, each with all its transactions, lines and shipping lines. */
async function fetchRefunds(graphql: AdminGraphql, orderGid: string, known: Set<string>): Promise<RefundNode[]> {
  const data = await adminRequest(graphql, ORDER_REFUNDS, { variables: { id: orderGid } });
  const unseen = (data.order?.refunds ?? []).filter((refund) => !known.has(refund.id));
  for (const refund of unseen) {
    const variables = (after: string) => ({ variables: { id: refund.id, after } });
    await restOf(refund.transactions, async (after) => {
      const { node } = await adminRequest(graphql, REFUND_TRANSACTIONS_PAGE, variables(after));
      return node && "transactions" in node ? node.transactions : empty;
    });
    await restOf(refund.refundLineItems, async (after) => {
      const { node } = await adminRequest(graphql, REFUND_LINES_PAGE, variables(after));
      return node && "refundLineItems" in node ? node.refundLineItems : empty;
    });
    await restOf(refund.refundShippingLines, async (after) => {
      const { node } = await adminRequest(graphql, REFUND_SHIPPING_PAGE, variables(after));
      return node && "refundShippingLines" in node ? node.refundShippingLines : empty;
    });
  }
  return unseen;
}

/** Shopify's search syntax for "changed after the watermark", overlapping a minute for clock skew. */
function since(watermark: string | null | undefined): string | undefined {
  if (!watermark) return undefined;
  return `updated_at:>'${new Date(Date.parse(watermark) - 60_000).toISOString()}'`;
}

async function syncCustomerNode(ctx: ServiceContext, node: CustomerRecord, initial: boolean): Promise<boolean> {
  const state = shopifyCustomerStateSchema.catch("DISABLED").parse(node.state);
  const { applied } = await reconcileCustomer({
    ctx,
    input: {
      snapshot: {
        customerGid: node.id,
        shopifyState: state,
        updatedAt: node.updatedAt,
        email: node.defaultEmailAddress?.emailAddress ?? null,
        firstName: node.firstName ?? null,
        lastName: node.lastName ?? null,
        phone: node.defaultPhoneNumber?.phoneNumber ?? null,
        city: node.defaultAddress?.city ?? null,
        province: node.defaultAddress?.province ?? null,
        countryCode: node.defaultAddress?.countryCodeV2 ?? null,
        createdAt: node.createdAt,
        ...(typeof node.taxExempt === "boolean" ? { taxExempt: node.taxExempt } : {}),
        existedBeforeInstall: initial,
      },
      lastOrderAt: node.lastOrder?.processedAt ?? null,
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
    result.firstError ??= error instanceof Error ? error.message : String(error);
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

/** Every customer through one bulk query, without the fields Shopify withholds (which would fail it whole). */
async function bulkCustomers(ctx: ServiceContext, graphql: AdminGraphql, result: ReconcileResult, initial: boolean) {
  const query = withoutWithheldFields(BULK_CUSTOMERS, result.withheld);
  await applyBulk(result, bulkQuery(graphql, query, customerRecordSchema), async (record) => {
    result.customers += 1;
    if (await syncCustomerNode(ctx, record, initial)) result.customersChanged += 1;
  });
}

/**
 * The install sync: every customer and order through two bulk queries. Customers who already had an account were
 * Members before Tally, so they get no sign-up bonus, and orders placed before install earn nothing; both are kept so
 * the directory and profiles are complete from the first day.
 */
async function installSync(ctx: ServiceContext, graphql: AdminGraphql, result: ReconcileResult) {
  await bulkCustomers(ctx, graphql, result, true);
  const orders = withoutWithheldFields(BULK_ORDERS, result.withheld);
  await applyBulk(result, bulkQuery(graphql, orders, orderRecordSchema), async (record) => {
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
  const withheld = new Set<ProtectedField>();
  await adminRequest(graphql, PROTECTED_DATA_PROBE, { withheld });
  const result = newResult(!previous?.watermark);
  result.withheld = [...withheld];
  const { previouslyWithheld } = await recordProtectedDataAccess({ ctx, input: { withheld } });
  if (result.initial) {
    await installSync(ctx, graphql, result);
    await recordJobRun({ ctx, input: { job: "reconcile", watermark: started, result } });
    return result;
  }
  if (previouslyWithheld.some((field) => !withheld.has(field))) await bulkCustomers(ctx, graphql, result, false);

  const search = since(previous?.watermark);
  const customerPages = pages(async (after) => {
    const data = await adminRequest(graphql, CUSTOMERS_UPDATED_SINCE, {
      variables: { after, query: search ?? null },
      withheld,
    });
    return data.customers;
  });
  for await (const nodes of customerPages) {
    for (const node of nodes) {
      result.customers += 1;
      await guarded(result, async () => {
        if (await syncCustomerNode(ctx, node, false)) result.customersChanged += 1;
      });
    }
  }

  const orderPages = pages(async (after) => {
    const data = await adminRequest(graphql, ORDERS_UPDATED_SINCE, {
      variables: { after, query: search ?? null },
      withheld,
    });
    return data.orders;
  });
  for await (const nodes of orderPages) {
    for (const node of nodes) {
      result.orders += 1;
      const needs = await orderSyncNeeds({ ctx, input: { orderGid: node.id } });
      const unseen = node.refunds.filter((refund) => !needs.knownRefunds.has(refund.id));
      const refundNodes = unseen.length ? await fetchRefunds(graphql, node.id, needs.knownRefunds) : [];
      const paidInShopify = PAID.has(node.displayFinancialStatus ?? "");
      const lines =
        (paidInShopify && !needs.paid) || needs.linesWanted ? await fetchLines(graphql, node.id) : undefined;
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
  await recordJobRun({ ctx, input: { job: "reconcile", watermark: started, result } });
  return result;
}
