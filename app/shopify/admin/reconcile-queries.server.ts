import type { ProtectedField } from "~/domain/shared";
import type {
  TallyReconcileCustomersQuery,
  TallyReconcileOrderLinesQuery,
  TallyReconcileOrdersQuery,
  TallyReconcileRefundsQuery,
} from "~/types/admin.generated";
import { bulkQuery, type BulkLine, type BulkResume } from "./bulk-query.server";
import { adminRequest, type AdminGraphql } from "./graphql.server";
import { withoutWithheldFields } from "./protected-data";
import { customerRecordSchema, orderRecordSchema, type CustomerRecord, type OrderRecord } from "./sync-records";

// What reconciliation reads from the Admin API: the install sync's two bulk queries, customers and orders changed
// since a watermark (paged), an order's lines and its refunds in full, and which protected customer fields Shopify
// lets Tally see. Reads only: what the answers mean is reconcile-records.ts, what is done with them app/jobs.

// The customer fields reconciliation reads, the same in every query: what customerRecordSchema parses.
const CUSTOMER_RECORD = `#graphql
  fragment TallyCustomerRecord on Customer {
    id
    firstName
    lastName
    state
    tags
    createdAt
    updatedAt
    defaultEmailAddress { emailAddress marketingState marketingUpdatedAt }
    defaultPhoneNumber { phoneNumber }
    defaultAddress { city province countryCodeV2 }
    numberOfOrders
    amountSpent { amount currencyCode }
    taxExempt
    locale
    lastOrder { processedAt }
  }
` as const;

const CUSTOMERS_UPDATED_SINCE = `#graphql
  query TallyReconcileCustomers($after: String, $query: String) {
    customers(first: 100, after: $after, query: $query, sortKey: UPDATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes { ...TallyCustomerRecord }
    }
  }
  ${CUSTOMER_RECORD}` as const;

// One customer read now (the profile's Sync customer), with the same fields as a reconciliation page.
const CUSTOMER_BY_ID = `#graphql
  query TallyCustomerNow($id: ID!) {
    customer(id: $id) { ...TallyCustomerRecord }
  }
  ${CUSTOMER_RECORD}` as const;

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
        node { ...TallyCustomerRecord }
      }
    }
  }
  ${CUSTOMER_RECORD}`;

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

// Sync customers reads every customer with their orders in one bulk operation: each order is a JSONL line of its own
// after its customer's, naming it in `__parentId` (so the order's own customer field is not asked for again).
const BULK_CUSTOMERS_WITH_ORDERS = `#graphql
  query TallyBulkCustomersWithOrders {
    customers {
      edges {
        node {
          ...TallyCustomerRecord
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
              }
            }
          }
        }
      }
    }
  }
  ${CUSTOMER_RECORD}`;

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

export type PagedCustomer = TallyReconcileCustomersQuery["customers"]["nodes"][number];
export type PagedOrder = TallyReconcileOrdersQuery["orders"]["nodes"][number];
export type LineNode = NonNullable<TallyReconcileOrderLinesQuery["order"]>["lineItems"]["nodes"][number];
export type RefundNode = NonNullable<TallyReconcileRefundsQuery["order"]>["refunds"][number];
type Connection<Node> = { pageInfo: { hasNextPage: boolean; endCursor?: string | null }; nodes: Node[] };
type OrderLinesNode = NonNullable<TallyReconcileOrderLinesQuery["order"]>;

/** An order's lines (every page) with the order's tax figures, as Shopify answers them. */
export interface OrderLinesRead {
  currentTotalTaxSet: OrderLinesNode["currentTotalTaxSet"] | null;
  shippingLines: OrderLinesNode["shippingLines"];
  lines: LineNode[];
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

/** Shopify's search syntax for "changed after the watermark", overlapping a minute for clock skew. */
function since(watermark: string | null | undefined): string | null {
  if (!watermark) return null;
  return `updated_at:>'${new Date(Date.parse(watermark) - 60_000).toISOString()}'`;
}

/**
 * Which protected customer fields Shopify withholds from Tally in this shop, asked on one customer with every field
 * Tally reads. Withheld ones answer null beside an ACCESS_DENIED error each (shopify.dev, "Work with protected
 * customer data").
 */
export async function probeProtectedData(graphql: AdminGraphql): Promise<Set<ProtectedField>> {
  const withheld = new Set<ProtectedField>();
  await adminRequest(graphql, PROTECTED_DATA_PROBE, { withheld });
  return withheld;
}

/** Resuming a bulk read: the operation already started and the lines applied; `onStarted` hears a new one's id. */
export interface BulkReadOptions {
  resume?: BulkResume | null;
  onStarted?: (bulkOperationId: string) => Promise<void>;
}

/** Every customer through one bulk query, without the fields Shopify withholds (which would fail it whole). */
export function bulkCustomers(
  graphql: AdminGraphql,
  withheld: Iterable<ProtectedField>,
  options: BulkReadOptions = {},
) {
  return bulkQuery(graphql, withoutWithheldFields(BULK_CUSTOMERS, withheld), customerRecordSchema, options);
}

/** Every order through one bulk query, without the customer fields Shopify withholds. */
export function bulkOrders(graphql: AdminGraphql, withheld: Iterable<ProtectedField>, options: BulkReadOptions = {}) {
  return bulkQuery(graphql, withoutWithheldFields(BULK_ORDERS, withheld), orderRecordSchema, options);
}

/** The text of Sync customers' bulk query (customers and their orders), without the fields Shopify withholds. */
export function customersWithOrdersQuery(withheld: Iterable<ProtectedField>): string {
  return withoutWithheldFields(BULK_CUSTOMERS_WITH_ORDERS, withheld);
}

export type { BulkLine, CustomerRecord, OrderRecord };

/**
 * Customers changed since the watermark (every customer without one), a page of up to 100 at a time. A protected
 * field withheld on a page is read as null and added to `withheld`.
 */
export function customersUpdatedSince(
  graphql: AdminGraphql,
  watermark: string | null | undefined,
  withheld: Set<ProtectedField>,
): AsyncIterable<PagedCustomer[]> {
  const query = since(watermark);
  return pages(async (after) => {
    const data = await adminRequest(graphql, CUSTOMERS_UPDATED_SINCE, { variables: { after, query }, withheld });
    return data.customers;
  });
}

/** Orders changed since the watermark, a page of up to 25 at a time; withheld customer fields as above. */
export function ordersUpdatedSince(
  graphql: AdminGraphql,
  watermark: string | null | undefined,
  withheld: Set<ProtectedField>,
): AsyncIterable<PagedOrder[]> {
  const query = since(watermark);
  return pages(async (after) => {
    const data = await adminRequest(graphql, ORDERS_UPDATED_SINCE, { variables: { after, query }, withheld });
    return data.orders;
  });
}

/** One customer now, as a reconciliation page reads them; null when Shopify has no such customer (deleted). */
export async function fetchCustomer(
  graphql: AdminGraphql,
  customerGid: string,
  withheld: Set<ProtectedField>,
): Promise<PagedCustomer | null> {
  const { customer } = await adminRequest(graphql, CUSTOMER_BY_ID, { variables: { id: customerGid }, withheld });
  return customer ?? null;
}

/** Every order of one customer (Shopify's `customer_id:` search), 25 a page, oldest change first. */
export function ordersOfCustomer(
  graphql: AdminGraphql,
  customerGid: string,
  withheld: Set<ProtectedField>,
): AsyncIterable<PagedOrder[]> {
  const query = `customer_id:${customerGid.split("/").pop()}`;
  return pages(async (after) => {
    const data = await adminRequest(graphql, ORDERS_UPDATED_SINCE, { variables: { after, query }, withheld });
    return data.orders;
  });
}

/** Every line of the order (50 a page) with its tax figures; no lines for an order Shopify no longer has. */
export async function fetchOrderLines(graphql: AdminGraphql, orderGid: string): Promise<OrderLinesRead> {
  const out: OrderLinesRead = { currentTotalTaxSet: null, shippingLines: { nodes: [] }, lines: [] };
  for await (const nodes of pages(async (after) => {
    const { order } = await adminRequest(graphql, ORDER_LINES, { variables: { id: orderGid, after } });
    if (!order) return empty;
    out.currentTotalTaxSet = order.currentTotalTaxSet;
    out.shippingLines = order.shippingLines;
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

/** Every refund of the order not in `known`, each with all its transactions, lines and shipping lines. */
export async function fetchUnseenRefunds(
  graphql: AdminGraphql,
  orderGid: string,
  known: ReadonlySet<string>,
): Promise<RefundNode[]> {
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
