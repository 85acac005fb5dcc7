import {
  GraphQLError,
  Kind,
  execute,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isAbstractType,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { gid, parseGid } from "../ids";
import { decimalAmount, graphqlDecimal, majorValue, toMinorUnits } from "../money";
import { type Operations, SandboxError } from "../operations";
import type { ShopRecord } from "../shops";
import { lineAmounts } from "../order-math";
import type {
  CustomerRecord,
  DiscountCodeRecord,
  MetafieldRecord,
  OrderRecord,
  RefundRecord,
  StoreCreditAccountRecord,
} from "../store";
import { CATALOG } from "../store";
import { idLowerBound, matches, parseSearch, SearchError, type SearchFields, type SearchQuery } from "./search";
import { adminSchema } from "./schema";

export interface BulkRunner {
  start(shop: ShopRecord, query: string): { id: string; error?: string };
  current(shop: ShopRecord): Record<string, unknown> | null;
  find(shop: ShopRecord, id: string): Record<string, unknown> | null;
}

export interface AdminContext {
  shop: ShopRecord;
  ops: Operations;
  bulk: BulkRunner;
  /** Set while a bulk operation pages through its root connection; nested connections then return everything. */
  bulkWindow?: { after: string | null; size: number; next?: string | null };
}

const MAX_PAGE = 250;
const MAX_QUERY_COST = 1000;

const dt = (iso: string | null) => (iso ? iso.replace(/\.\d{3}Z$/, "Z") : null);
/** MoneyV2, its Decimal as Shopify prints it: "12.5", "12.0", "1500.0" (JPY), "1.5" (KWD). */
const money = (cents: number, currencyCode: string) => ({ amount: graphqlDecimal(cents, currencyCode), currencyCode });
const moneyBag = (cents: number, currency: string) => ({
  shopMoney: money(cents, currency),
  presentmentMoney: money(cents, currency),
});
const encodeCursor = (id: string) =>
  Buffer.from(JSON.stringify({ last_id: Number(id), last_value: id })).toString("base64");

function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString()) as { last_value?: unknown };
    if (typeof parsed.last_value === "string" && /^\d+$/.test(parsed.last_value)) return parsed.last_value;
  } catch {
    // falls through to the error Shopify gives for a cursor it did not issue
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: "BAD_REQUEST" } });
}

interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
  query?: string | null;
  sortKey?: string | null;
}

/**
 * A connection over records ordered by id. `scan(startId, reverse)` yields records from a position so a page costs
 * O(page) even over a million seeded rows when no filter is given.
 */
function connection<T extends { id: string }>(
  args: ConnectionArgs,
  ctx: AdminContext,
  nested: boolean,
  opts: {
    scan: (fromId: string | null, reverse: boolean) => Iterable<T>;
    view: (item: T) => unknown;
    search?: SearchFields<T>;
    sort?: Record<string, (item: T) => string | number>;
  },
) {
  const bulk = ctx.bulkWindow;
  let first = args.first ?? null;
  const last = args.last ?? null;
  if (bulk && !nested) first = bulk.size;
  else if (bulk && nested) first = Number.MAX_SAFE_INTEGER;
  else {
    if (first === null && last === null)
      throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
    if ((first ?? 0) > MAX_PAGE || (last ?? 0) > MAX_PAGE)
      throw new GraphQLError(`The requested page size is over the limit of ${MAX_PAGE}.`, {
        extensions: { code: "BAD_REQUEST" },
      });
  }
  let query: SearchQuery;
  try {
    query = parseSearch(args.query);
  } catch (error) {
    throw new GraphQLError((error as Error).message);
  }
  const after = bulk && !nested ? bulk.after : args.after;
  const reverse = Boolean(args.reverse) !== (last !== null && first === null);
  const count = first ?? last!;
  const sortKey = args.sortKey && args.sortKey !== "ID" && args.sortKey !== "RELEVANCE" ? args.sortKey : null;
  const accept = (item: T) => {
    try {
      return !opts.search || matches(query, item, opts.search);
    } catch (error) {
      if (error instanceof SearchError) return false;
      throw error;
    }
  };
  let page: T[] = [];
  let hasMore = false;
  if (sortKey && opts.sort?.[sortKey]) {
    const key = opts.sort[sortKey]!;
    const all = [...opts.scan(null, false)].filter(accept);
    all.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      return ka < kb ? -1 : ka > kb ? 1 : BigInt(a.id) < BigInt(b.id) ? -1 : 1;
    });
    if (reverse) all.reverse();
    const cursorId = after ? decodeCursor(after) : args.before ? decodeCursor(args.before) : null;
    let start = 0;
    if (cursorId && after) start = all.findIndex((i) => i.id === cursorId) + 1;
    page = all.slice(start, start + count);
    hasMore = start + count < all.length;
  } else {
    const cursorId = after ? decodeCursor(after) : args.before ? decodeCursor(args.before) : null;
    const lower = idLowerBound(query);
    let fromId: string | null = null;
    if (cursorId) fromId = (reverse ? BigInt(cursorId) - 1n : BigInt(cursorId) + 1n).toString();
    if (!reverse && lower !== null && (fromId === null || lower > BigInt(fromId))) fromId = lower.toString();
    for (const item of opts.scan(fromId, reverse)) {
      if (!accept(item)) continue;
      if (page.length === count) {
        hasMore = true;
        break;
      }
      page.push(item);
    }
  }
  const edges = page.map((item) => ({ cursor: encodeCursor(item.id), node: opts.view(item) }));
  if (bulk && !nested) bulk.next = hasMore ? (edges.at(-1)?.cursor ?? null) : null;
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: first !== null ? hasMore : Boolean(args.before),
      hasPreviousPage: first !== null ? Boolean(after) : hasMore,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

function customerSearch(shop: ShopRecord): SearchFields<CustomerRecord> {
  return {
    text: (c) => [c.firstName, c.lastName, c.email, c.phone, `${c.firstName ?? ""} ${c.lastName ?? ""}`],
    fields: {
      id: (c) => c.id,
      email: (c) => c.email,
      phone: (c) => c.phone,
      first_name: (c) => c.firstName,
      last_name: (c) => c.lastName,
      state: (c) => c.state,
      customer_account_status: (c) => c.state,
      tag: (c) => c.tags,
      tag_not: (c) => c.tags.map((t) => `!${t}`),
      updated_at: (c) => c.updatedAt,
      created_at: (c) => c.createdAt,
      customer_date: (c) => c.createdAt,
      tax_exempt: (c) => c.taxExempt,
      accepts_marketing: (c) => c.marketing.state === "SUBSCRIBED",
      email_marketing_state: (c) => c.marketing.state,
      orders_count: (c) => shop.store.customerOrderStats(c.index).count,
      number_of_orders: (c) => shop.store.customerOrderStats(c.index).count,
      total_spent: (c) => majorValue(shop.store.customerOrderStats(c.index).spentCents, shop.currency),
      amount_spent: (c) => majorValue(shop.store.customerOrderStats(c.index).spentCents, shop.currency),
      country: (c) => c.address?.country ?? null,
    },
    dates: ["updated_at", "created_at", "customer_date"],
    numbers: ["id", "orders_count", "number_of_orders", "total_spent", "amount_spent"],
  };
}

function orderSearch(shop: ShopRecord): SearchFields<OrderRecord> {
  return {
    text: (o) => [`#${o.number}`, String(o.number), o.email],
    fields: {
      id: (o) => o.id,
      name: (o) => `#${o.number}`,
      email: (o) => o.email,
      customer_id: (o) => (o.customerIndex === null ? null : shop.store.id("Customer", o.customerIndex)),
      updated_at: (o) => o.updatedAt,
      created_at: (o) => o.createdAt,
      processed_at: (o) => o.processedAt,
      financial_status: (o) => o.financialStatus,
      fulfillment_status: (o) => (o.fulfillmentStatus === "FULFILLED" ? "shipped" : "unshipped"),
      status: (o) => (o.cancelledAt ? "cancelled" : "open"),
      discount_code: (o) => o.discountCodes.map((d) => d.code),
      test: () => false,
    },
    dates: ["updated_at", "created_at", "processed_at"],
    numbers: ["id"],
  };
}

function scanCustomers(shop: ShopRecord) {
  return function* (fromId: string | null, reverse: boolean): Generator<CustomerRecord> {
    const store = shop.store;
    let start = reverse ? store.customerSlots - 1 : 0;
    if (fromId !== null) {
      const idx = store.indexOf("Customer", fromId);
      const base = BigInt(store.id("Customer", 0));
      start =
        idx ?? (BigInt(fromId) < base ? (reverse ? -1 : 0) : reverse ? store.customerSlots - 1 : store.customerSlots);
    }
    yield* store.customers(start, reverse);
  };
}

function scanOrders(shop: ShopRecord, only?: number[]) {
  return function* (fromId: string | null, reverse: boolean): Generator<OrderRecord> {
    const store = shop.store;
    if (only) {
      const sorted = [...only].sort((a, b) => a - b);
      if (reverse) sorted.reverse();
      for (const i of sorted) {
        const o = store.findOrder(i)!;
        if (fromId === null || (reverse ? BigInt(o.id) <= BigInt(fromId) : BigInt(o.id) >= BigInt(fromId))) yield o;
      }
      return;
    }
    let start = reverse ? store.orderSlots - 1 : 0;
    if (fromId !== null) {
      const idx = store.indexOf("Order", fromId);
      const base = BigInt(store.id("Order", 0));
      start = idx ?? (BigInt(fromId) < base ? (reverse ? -1 : 0) : reverse ? store.orderSlots - 1 : store.orderSlots);
    }
    yield* store.orders(start, reverse);
  };
}

function* fromList<T extends { id: string }>(list: T[], fromId: string | null, reverse: boolean) {
  const sorted = [...list].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  if (reverse) sorted.reverse();
  for (const item of sorted) {
    if (fromId === null || (reverse ? BigInt(item.id) <= BigInt(fromId) : BigInt(item.id) >= BigInt(fromId)))
      yield item;
  }
}

// Views: plain objects whose properties graphql-js's default resolver reads; functions receive field arguments.

function shopView(shop: ShopRecord) {
  return {
    __typename: "Shop",
    id: gid("Shop", shop.numericId),
    name: shop.name,
    currencyCode: shop.currency,
    myshopifyDomain: shop.domain,
    email: shop.email,
    contactEmail: shop.email,
    url: `https://${shop.domain}`,
    ianaTimezone: shop.timezone,
    timezoneAbbreviation: "EST",
    plan: { displayName: shop.plan, partnerDevelopment: false, shopifyPlus: false, publicDisplayName: shop.plan },
    primaryDomain: {
      id: gid("Domain", shop.numericId),
      host: shop.domain,
      url: `https://${shop.domain}`,
      sslEnabled: true,
    },
    enabledPresentmentCurrencies: [shop.currency],
  };
}

function metafieldView(shop: ShopRecord, m: MetafieldRecord) {
  return {
    __typename: "Metafield",
    id: gid("Metafield", m.id),
    legacyResourceId: m.id,
    namespace: m.namespace,
    key: m.key,
    type: m.type,
    value: m.value,
    jsonValue: () => {
      try {
        return JSON.parse(m.value) as unknown;
      } catch {
        return m.value;
      }
    },
    createdAt: dt(m.createdAt),
    updatedAt: dt(m.updatedAt),
    ownerType: parseGid(m.ownerGid)?.type.toUpperCase() ?? "CUSTOMER",
    owner: () => nodeView(shop, m.ownerGid),
    compareDigest: Buffer.from(`${m.id}:${m.updatedAt}`).toString("base64"),
    description: null,
    definition: null,
  };
}

function metafieldsOf(shop: ShopRecord, ownerGid: string) {
  return {
    metafield: (args: { namespace?: string; key: string }) => {
      const [ns, key] = args.namespace ? [args.namespace, args.key] : (args.key.split(".", 2) as [string, string]);
      const m = shop.store.metafields.find((x) => x.ownerGid === ownerGid && x.namespace === ns && x.key === key);
      return m ? metafieldView(shop, m) : null;
    },
    metafields: (args: ConnectionArgs & { namespace?: string; keys?: string[] }, ctx: AdminContext) =>
      connection(args, ctx, true, {
        scan: (from, rev) =>
          fromList(
            shop.store.metafields.filter(
              (m) =>
                m.ownerGid === ownerGid &&
                (!args.namespace || m.namespace === args.namespace) &&
                (!args.keys || args.keys.includes(`${m.namespace}.${m.key}`)),
            ),
            from,
            rev,
          ),
        view: (m) => metafieldView(shop, m),
      }),
  };
}

function addressView(c: CustomerRecord) {
  const a = c.address!;
  return {
    __typename: "MailingAddress",
    id: `${gid("MailingAddress", a.id)}?model_name=CustomerAddress`,
    firstName: a.firstName,
    lastName: a.lastName,
    name: `${a.firstName} ${a.lastName}`,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    provinceCode: a.provinceCode,
    country: a.country,
    countryCodeV2: a.countryCode,
    countryCode: a.countryCode,
    zip: a.zip,
    phone: a.phone,
    company: a.company,
    formatted: () => [a.address1, `${a.city} ${a.provinceCode} ${a.zip}`, a.country],
  };
}

function customerView(shop: ShopRecord, c: CustomerRecord) {
  const store = shop.store;
  const ownerGid = gid("Customer", c.id);
  const stats = () => store.customerOrderStats(c.index);
  return {
    __typename: "Customer",
    id: ownerGid,
    legacyResourceId: c.id,
    firstName: c.firstName,
    lastName: c.lastName,
    displayName: [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || c.phone || "",
    email: c.email,
    phone: c.phone,
    state: c.state,
    note: c.note,
    verifiedEmail: c.verifiedEmail,
    validEmailAddress: Boolean(c.email),
    taxExempt: c.taxExempt,
    taxExemptions: [],
    tags: c.tags,
    locale: "en",
    createdAt: dt(c.createdAt),
    updatedAt: dt(c.updatedAt),
    canDelete: () => stats().count === 0,
    numberOfOrders: () => String(stats().count),
    amountSpent: () => money(stats().spentCents, shop.currency),
    lifetimeDuration: "about 1 year",
    defaultAddress: c.address ? addressView(c) : null,
    addresses: () => (c.address ? [addressView(c)] : []),
    defaultEmailAddress: c.email
      ? {
          emailAddress: c.email,
          marketingState: c.marketing.state,
          marketingOptInLevel: c.marketing.optInLevel,
          marketingUpdatedAt: dt(c.marketing.updatedAt),
          validFormat: true,
        }
      : null,
    defaultPhoneNumber: c.phone
      ? { phoneNumber: c.phone, marketingState: "NOT_SUBSCRIBED", marketingOptInLevel: null, marketingUpdatedAt: null }
      : null,
    emailMarketingConsent: c.email
      ? {
          marketingState: c.marketing.state,
          marketingOptInLevel: c.marketing.optInLevel,
          consentUpdatedAt: dt(c.marketing.updatedAt),
          sourceLocation: null,
        }
      : null,
    smsMarketingConsent: null,
    image: {
      url: "https://cdn.shopify.com/s/images/admin/customers/customer.png",
      altText: null,
      id: null,
      width: 100,
      height: 100,
    },
    orders: (args: ConnectionArgs, ctx: AdminContext) =>
      connection(args, ctx, true, {
        scan: scanOrders(shop, store.customerOrderIndexes(c.index)),
        view: (o) => orderView(shop, o),
        search: orderSearch(shop),
      }),
    lastOrder: () => {
      const list = store.customerOrderIndexes(c.index);
      const last = list.length ? store.findOrder(Math.max(...list)) : undefined;
      return last ? orderView(shop, last) : null;
    },
    storeCreditAccounts: (args: ConnectionArgs, ctx: AdminContext) =>
      connection(args, ctx, true, {
        scan: (from, rev) =>
          fromList(
            [...store.storeCredit.values()].filter((a) => a.customerId === c.id),
            from,
            rev,
          ),
        view: (a) => storeCreditView(shop, a),
      }),
    ...metafieldsOf(shop, ownerGid),
  };
}

function storeCreditView(shop: ShopRecord, a: StoreCreditAccountRecord): Record<string, unknown> {
  return {
    __typename: "StoreCreditAccount",
    id: gid("StoreCreditAccount", a.id),
    balance: money(a.balanceCents, a.currency),
    owner: () => {
      const c = shop.store.findCustomerById(a.customerId);
      return c ? customerView(shop, c) : null;
    },
    transactions: (args: ConnectionArgs, ctx: AdminContext) =>
      connection(args, ctx, true, {
        scan: (from, rev) => fromList(a.transactions, from, rev),
        view: (t) => storeCreditTransactionView(shop, a, t),
      }),
  };
}

function storeCreditTransactionView(
  shop: ShopRecord,
  a: StoreCreditAccountRecord,
  t: StoreCreditAccountRecord["transactions"][number],
) {
  return {
    __typename: t.kind === "CREDIT" ? "StoreCreditAccountCreditTransaction" : "StoreCreditAccountDebitTransaction",
    id: gid(t.kind === "CREDIT" ? "StoreCreditAccountCreditTransaction" : "StoreCreditAccountDebitTransaction", t.id),
    amount: money(t.amountCents, a.currency),
    balanceAfterTransaction: money(t.balanceAfterCents, a.currency),
    remainingAmount: money(t.amountCents, a.currency),
    createdAt: dt(t.createdAt),
    expiresAt: dt(t.expiresAt),
    event: "ADJUSTMENT",
    origin: null,
    account: () => storeCreditView(shop, a),
  };
}

/** A refund as Admin GraphQL shows it: its money in transactions, its lines, its shipping lines, each paged. */
function refundView(shop: ShopRecord, o: OrderRecord, r: RefundRecord): Record<string, unknown> {
  const cur = shop.currency;
  const given = r.status === "success" ? r.amountCents : 0;
  return {
    __typename: "Refund",
    id: gid("Refund", r.id),
    legacyResourceId: r.id,
    createdAt: dt(r.createdAt),
    updatedAt: dt(r.createdAt),
    processedAt: dt(r.createdAt),
    note: r.note,
    totalRefundedSet: moneyBag(given, cur),
    totalRefunded: money(given, cur),
    duties: [],
    order: () => orderView(shop, o),
    transactions: (args: ConnectionArgs, ctx: AdminContext) =>
      connection(args, ctx, true, {
        scan: (from, rev) => fromList(r.status === null ? [] : [{ id: r.transactionId, status: r.status }], from, rev),
        view: (t) => ({
          __typename: "OrderTransaction",
          id: gid("OrderTransaction", t.id),
          kind: "REFUND",
          status: t.status.toUpperCase(),
          gateway: "bogus",
          amountSet: moneyBag(r.amountCents, cur),
          createdAt: dt(r.createdAt),
          processedAt: dt(r.createdAt),
        }),
      }),
    refundLineItems: (args: ConnectionArgs, ctx: AdminContext) =>
      connection(args, ctx, true, {
        scan: (from, rev) => fromList(r.lines, from, rev),
        view: (l) => {
          const line = o.lines.find((x) => x.id === l.lineId)!;
          return {
            __typename: "RefundLineItem",
            id: gid("RefundLineItem", l.id),
            quantity: l.quantity,
            restockType: l.restockType.toUpperCase(),
            restocked: l.restockType !== "no_restock",
            subtotalSet: moneyBag(l.subtotalCents, cur),
            totalTaxSet: moneyBag(l.taxCents, cur),
            priceSet: moneyBag(line.unitCents, cur),
            lineItem: { __typename: "LineItem", id: gid("LineItem", line.id), isGiftCard: line.giftCard ?? false },
          };
        },
      }),
    refundShippingLines: (args: ConnectionArgs, ctx: AdminContext) =>
      connection(args, ctx, true, {
        scan: (from, rev) => fromList(r.shippingCents > 0 ? [{ id: r.id }] : [], from, rev),
        view: (line) => ({
          __typename: "RefundShippingLine",
          id: gid("RefundShippingLine", line.id),
          subtotalAmountSet: moneyBag(r.shippingCents, cur),
          taxAmountSet: moneyBag(0, cur),
        }),
      }),
  };
}

function orderView(shop: ShopRecord, o: OrderRecord): Record<string, unknown> {
  const cur = shop.currency;
  const fulfilled = o.fulfillmentStatus === "FULFILLED";
  const amounts = lineAmounts(o);
  const refundedLines = o.refunds.flatMap((r) => r.lines);
  const refundedUnits = (lineId: string) =>
    refundedLines.filter((l) => l.lineId === lineId).reduce((sum, l) => sum + l.quantity, 0);
  return {
    __typename: "Order",
    id: gid("Order", o.id),
    legacyResourceId: o.id,
    name: `#${o.number}`,
    number: o.number - 1000,
    email: o.email,
    confirmationNumber: `SBX${o.number}`,
    createdAt: dt(o.createdAt),
    updatedAt: dt(o.updatedAt),
    processedAt: dt(o.processedAt),
    cancelledAt: dt(o.cancelledAt),
    cancelReason: o.cancelReason,
    closed: false,
    closedAt: null,
    test: false,
    currencyCode: cur,
    presentmentCurrencyCode: cur,
    customer: () => {
      const c = o.customerIndex === null ? undefined : shop.store.findCustomer(o.customerIndex);
      return c ? customerView(shop, c) : null;
    },
    discountCode: o.discountCodes[0]?.code ?? null,
    discountCodes: o.discountCodes.map((d) => d.code),
    displayFinancialStatus: o.financialStatus,
    displayFulfillmentStatus: fulfilled ? "FULFILLED" : "UNFULFILLED",
    fullyPaid: (o.receivedCents ?? o.totalCents) >= o.totalCents,
    taxesIncluded: o.taxesIncluded ?? false,
    dutiesIncluded: false,
    subtotalPriceSet: moneyBag(o.subtotalCents, cur),
    currentSubtotalPriceSet: moneyBag(
      o.subtotalCents - refundedLines.reduce((sum, l) => sum + l.subtotalCents, 0),
      cur,
    ),
    totalPriceSet: moneyBag(o.totalCents, cur),
    currentTotalPriceSet: moneyBag(o.totalCents - o.refundedCents, cur),
    totalDiscountsSet: moneyBag(o.discountCents, cur),
    currentTotalDiscountsSet: moneyBag(o.discountCents, cur),
    totalTaxSet: moneyBag(o.taxCents, cur),
    currentTotalTaxSet: moneyBag(o.taxCents - refundedLines.reduce((sum, l) => sum + l.taxCents, 0), cur),
    totalShippingPriceSet: moneyBag(o.shippingCents, cur),
    totalTipReceivedSet: moneyBag(0, cur),
    totalRefundedSet: moneyBag(o.refundedCents, cur),
    netPaymentSet: moneyBag((o.receivedCents ?? o.totalCents) - o.refundedCents, cur),
    totalOutstandingSet: moneyBag(o.totalCents - (o.receivedCents ?? o.totalCents), cur),
    shippingLines: (args: ConnectionArgs, ctx: AdminContext) =>
      connection(args, ctx, true, {
        scan: (from, rev) => fromList(o.shippingCents > 0 ? [{ id: String(9_000_000_000 + o.index) }] : [], from, rev),
        view: (line) => ({
          __typename: "ShippingLine",
          id: gid("ShippingLine", line.id),
          title: "Standard",
          code: "Standard",
          isRemoved: false,
          originalPriceSet: moneyBag(o.shippingCents, cur),
          discountedPriceSet: moneyBag(o.shippingCents, cur),
          currentDiscountedPriceSet: moneyBag(o.shippingCents, cur),
          taxLines: [],
          discountAllocations: [],
        }),
      }),
    tags: [],
    note: null,
    sourceName: "web",
    lineItems: (args: ConnectionArgs, ctx: AdminContext) =>
      connection(args, ctx, true, {
        scan: (from, rev) => fromList(o.lines, from, rev),
        view: (l) => {
          const line = amounts.find((a) => a.lineId === l.id)!;
          const current = line.currentQuantity - refundedUnits(l.id);
          return {
            __typename: "LineItem",
            id: gid("LineItem", l.id),
            title: l.title,
            name: l.title,
            sku: l.sku,
            isGiftCard: l.giftCard ?? false,
            quantity: l.quantity,
            currentQuantity: current,
            refundableQuantity: current,
            unfulfilledQuantity: fulfilled ? 0 : current,
            variantTitle: null,
            vendor: shop.name,
            product: null,
            variant: null,
            originalUnitPriceSet: moneyBag(l.unitCents, cur),
            discountedUnitPriceSet: moneyBag(l.unitCents, cur),
            originalTotalSet: moneyBag(l.unitCents * l.quantity, cur),
            discountedTotalSet: () => moneyBag(l.unitCents * l.quantity, cur),
            totalDiscountSet: moneyBag(line.discountCents, cur),
            discountAllocations:
              line.discountCents > 0
                ? [{ __typename: "DiscountAllocation", allocatedAmountSet: moneyBag(line.discountCents, cur) }]
                : [],
            taxLines:
              line.taxCents > 0
                ? [
                    {
                      __typename: "TaxLine",
                      priceSet: moneyBag(line.taxCents, cur),
                      rate: shop.taxRate,
                      title: shop.taxRate === 0.13 ? "HST" : "VAT",
                      channelLiable: false,
                    },
                  ]
                : [],
            duties: [],
            taxable: !l.giftCard,
            requiresShipping: CATALOG[l.productIndex]?.sku !== "GFT-008",
          };
        },
      }),
    fulfillments: () =>
      o.fulfillments.map((f) => ({
        __typename: "Fulfillment",
        id: gid("Fulfillment", f.id),
        legacyResourceId: f.id,
        createdAt: dt(f.createdAt),
        updatedAt: dt(f.createdAt),
        status: "SUCCESS",
        displayStatus: "FULFILLED",
        name: `#${o.number}-F1`,
        deliveredAt: null,
        estimatedDeliveryAt: null,
        inTransitAt: null,
        totalQuantity: o.lines.reduce((s, l) => s + l.quantity, 0),
        trackingInfo: () => [],
      })),
    refunds: (args: { first?: number | null }) =>
      o.refunds.slice(0, args.first ?? undefined).map((r) => refundView(shop, o, r)),
    ...metafieldsOf(shop, gid("Order", o.id)),
  };
}

function discountView(shop: ShopRecord, d: DiscountCodeRecord) {
  const now = Date.now();
  const status =
    Date.parse(d.startsAt) > now ? "SCHEDULED" : d.endsAt && Date.parse(d.endsAt) < now ? "EXPIRED" : "ACTIVE";
  const codeDiscount = {
    __typename: "DiscountCodeBasic",
    title: d.title,
    status,
    startsAt: dt(d.startsAt),
    endsAt: dt(d.endsAt),
    createdAt: dt(d.createdAt),
    updatedAt: dt(d.updatedAt),
    usageLimit: d.usageLimit,
    appliesOncePerCustomer: d.appliesOncePerCustomer,
    asyncUsageCount: d.usageCount,
    summary:
      "percentage" in d.value
        ? `${Math.round(d.value.percentage * 100)}% off entire order`
        : `${decimalAmount(d.value.amountCents, shop.currency)} off entire order`,
    discountClass: "ORDER",
    discountClasses: ["ORDER"],
    codesCount: { count: 1, precision: "EXACT" },
    codes: (args: ConnectionArgs, ctx: AdminContext) =>
      connection(args, ctx, true, {
        scan: (from, rev) => fromList([{ id: d.codeId }], from, rev),
        view: () => ({
          __typename: "DiscountRedeemCode",
          id: gid("DiscountRedeemCode", d.codeId),
          code: d.code,
          asyncUsageCount: d.usageCount,
          createdBy: null,
        }),
      }),
    customerGets: {
      appliesOnOneTimePurchase: true,
      appliesOnSubscription: false,
      items: { __typename: "AllDiscountItems", allItems: true },
      value:
        "percentage" in d.value
          ? { __typename: "DiscountPercentage", percentage: d.value.percentage }
          : {
              __typename: "DiscountAmount",
              amount: money(d.value.amountCents, shop.currency),
              appliesOnEachItem: false,
            },
    },
    customerSelection:
      d.customerIds === "all"
        ? { __typename: "DiscountCustomerAll", allCustomers: true }
        : {
            __typename: "DiscountCustomers",
            customers: (d.customerIds as string[])
              .map((id) => shop.store.findCustomerById(id))
              .filter((c): c is CustomerRecord => Boolean(c))
              .map((c) => customerView(shop, c)),
          },
  };
  return {
    __typename: "DiscountCodeNode",
    id: gid("DiscountCodeNode", d.id),
    codeDiscount,
    ...metafieldsOf(shop, gid("DiscountCodeNode", d.id)),
  };
}

function nodeView(shop: ShopRecord, id: string): unknown {
  const parsed = parseGid(id);
  if (!parsed) return null;
  const store = shop.store;
  switch (parsed.type) {
    case "Customer": {
      const c = store.findCustomerById(parsed.id);
      return c ? customerView(shop, c) : null;
    }
    case "Order": {
      const o = store.findOrderById(parsed.id);
      return o ? orderView(shop, o) : null;
    }
    case "Refund": {
      // Refunds only exist on orders changed since seeding, which all live in the overrides.
      for (const o of store.orderOverrides.values()) {
        const r = o.refunds.find((x) => x.id === parsed.id);
        if (r) return refundView(shop, o, r);
      }
      return null;
    }
    case "DiscountCodeNode": {
      const d = store.discountCodes.find((x) => x.id === parsed.id);
      return d ? discountView(shop, d) : null;
    }
    case "StoreCreditAccount": {
      const a = store.storeCredit.get(parsed.id);
      return a ? storeCreditView(shop, a) : null;
    }
    case "Metafield": {
      const m = store.metafields.find((x) => x.id === parsed.id);
      return m ? metafieldView(shop, m) : null;
    }
    case "Shop":
      return parsed.id === shop.numericId ? shopView(shop) : null;
    default:
      return null;
  }
}

const userError = (error: unknown, extra: Record<string, unknown> = {}) => {
  if (error instanceof SandboxError) return { field: error.field, message: error.message, code: error.code, ...extra };
  throw error;
};

function customerIndexFromGid(shop: ShopRecord, id: string | undefined | null): number | undefined {
  const parsed = id ? parseGid(id) : undefined;
  if (!parsed || parsed.type !== "Customer") return undefined;
  const index = shop.store.indexOf("Customer", parsed.id);
  return index !== undefined && shop.store.findCustomer(index) ? index : undefined;
}

interface CustomerInput {
  id?: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[];
  taxExempt?: boolean;
  emailMarketingConsent?: {
    marketingState: CustomerRecord["marketing"]["state"];
    marketingOptInLevel?: CustomerRecord["marketing"]["optInLevel"];
    consentUpdatedAt?: string;
  };
  metafields?: { namespace?: string; key: string; type?: string; value: string }[];
}

function applyCustomerInput(c: CustomerRecord, input: CustomerInput) {
  if (input.email !== undefined) c.email = input.email;
  if (input.firstName !== undefined) c.firstName = input.firstName;
  if (input.lastName !== undefined) c.lastName = input.lastName;
  if (input.phone !== undefined) c.phone = input.phone;
  if (input.note !== undefined) c.note = input.note;
  if (input.taxExempt !== undefined) c.taxExempt = input.taxExempt;
  if (input.tags !== undefined) c.tags = normalizeTags(input.tags);
  if (input.emailMarketingConsent) {
    c.marketing = {
      state: input.emailMarketingConsent.marketingState,
      optInLevel: input.emailMarketingConsent.marketingOptInLevel ?? "SINGLE_OPT_IN",
      updatedAt: input.emailMarketingConsent.consentUpdatedAt ?? new Date().toISOString(),
    };
  }
}

const normalizeTags = (tags: string[]) =>
  [
    ...new Set(
      tags
        .flatMap((t) => t.split(","))
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ].sort((a, b) => a.localeCompare(b));

function rootResolvers(ctx: AdminContext) {
  const { shop, ops } = ctx;
  const store = shop.store;
  const setCustomerMetafields = (c: CustomerRecord, metafields: CustomerInput["metafields"]) => {
    if (metafields?.length)
      ops.setMetafields(
        shop,
        metafields.map((m) => ({
          ownerGid: gid("Customer", c.id),
          namespace: m.namespace ?? "custom",
          key: m.key,
          type: m.type ?? "single_line_text_field",
          value: m.value,
        })),
      );
  };
  return {
    shop: () => shopView(shop),
    customer: ({ id }: { id: string }) => nodeView(shop, id.startsWith("gid://shopify/Customer/") ? id : "x"),
    order: ({ id }: { id: string }) => nodeView(shop, id.startsWith("gid://shopify/Order/") ? id : "x"),
    node: ({ id }: { id: string }) => nodeView(shop, id),
    nodes: ({ ids }: { ids: string[] }) => ids.map((id) => nodeView(shop, id)),
    customers: (args: ConnectionArgs) =>
      connection(args, ctx, false, {
        scan: scanCustomers(shop),
        view: (c) => customerView(shop, c),
        search: customerSearch(shop),
        sort: {
          UPDATED_AT: (c) => c.updatedAt,
          CREATED_AT: (c) => c.createdAt,
          NAME: (c) => `${c.firstName ?? ""} ${c.lastName ?? ""}`,
        },
      }),
    orders: (args: ConnectionArgs) =>
      connection(args, ctx, false, {
        scan: scanOrders(shop),
        view: (o) => orderView(shop, o),
        search: orderSearch(shop),
        sort: { UPDATED_AT: (o) => o.updatedAt, CREATED_AT: (o) => o.createdAt, PROCESSED_AT: (o) => o.processedAt },
      }),
    customersCount: ({ query, limit }: { query?: string; limit?: number | null }) =>
      countOf(store.customers(), customerSearch(shop), query, limit),
    ordersCount: ({ query, limit }: { query?: string; limit?: number | null }) =>
      countOf(store.orders(), orderSearch(shop), query, limit),
    codeDiscountNodeByCode: ({ code }: { code: string }) => {
      const d = store.discountCodes.find((x) => x.code.toLowerCase() === code.toLowerCase());
      return d ? discountView(shop, d) : null;
    },
    codeDiscountNodes: (args: ConnectionArgs) =>
      connection(args, ctx, false, {
        scan: (from, rev) => fromList(store.discountCodes, from, rev),
        view: (d) => discountView(shop, d),
        search: {
          text: (d) => [d.code, d.title],
          fields: { code: (d) => d.code, title: (d) => d.title, id: (d) => d.id },
          numbers: ["id"],
        },
      }),
    storeCreditAccount: ({ id }: { id: string }) => nodeView(shop, id),
    currentBulkOperation: () => ctx.bulk.current(shop),
    bulkOperation: ({ id }: { id: string }) => ctx.bulk.find(shop, id),

    customerCreate: ({ input }: { input: CustomerInput }) => {
      try {
        const fields = {
          tags: [],
          marketing: { state: "NOT_SUBSCRIBED", optInLevel: null, updatedAt: null },
        } as unknown as CustomerRecord;
        applyCustomerInput(fields, input);
        const c = ops.createCustomer(shop, fields);
        setCustomerMetafields(c, input.metafields);
        return { customer: customerView(shop, c), userErrors: [] };
      } catch (error) {
        return { customer: null, userErrors: [userError(error)] };
      }
    },
    customerUpdate: ({ input }: { input: CustomerInput }) => {
      const index = customerIndexFromGid(shop, input.id);
      if (index === undefined)
        return { customer: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] };
      try {
        const c = ops.updateCustomer(shop, index, (draft) => applyCustomerInput(draft, input));
        setCustomerMetafields(c, input.metafields);
        return { customer: customerView(shop, c), userErrors: [] };
      } catch (error) {
        return { customer: null, userErrors: [userError(error)] };
      }
    },
    customerDelete: ({ input }: { input: { id: string } }) => {
      const index = customerIndexFromGid(shop, input.id);
      if (index === undefined)
        return {
          deletedCustomerId: null,
          shop: shopView(shop),
          userErrors: [{ field: ["id"], message: "Customer can't be found" }],
        };
      try {
        ops.deleteCustomer(shop, index);
        return { deletedCustomerId: input.id, shop: shopView(shop), userErrors: [] };
      } catch (error) {
        return { deletedCustomerId: null, shop: shopView(shop), userErrors: [userError(error)] };
      }
    },
    customerEmailMarketingConsentUpdate: ({
      input,
    }: {
      input: { customerId: string; emailMarketingConsent: CustomerInput["emailMarketingConsent"] };
    }) => {
      const index = customerIndexFromGid(shop, input.customerId);
      if (index === undefined)
        return {
          customer: null,
          userErrors: [{ field: ["input", "customerId"], message: "Customer not found", code: "INVALID" }],
        };
      const c = ops.updateCustomer(shop, index, (draft) =>
        applyCustomerInput(draft, { emailMarketingConsent: input.emailMarketingConsent }),
      );
      return { customer: customerView(shop, c), userErrors: [] };
    },
    tagsAdd: ({ id, tags }: { id: string; tags: string[] }) => tagChange(id, tags, "add"),
    tagsRemove: ({ id, tags }: { id: string; tags: string[] }) => tagChange(id, tags, "remove"),
    discountCodeBasicCreate: ({ basicCodeDiscount: input }: { basicCodeDiscount: DiscountInput }) => {
      const value = input.customerGets?.value;
      if (!input.code)
        return {
          codeDiscountNode: null,
          userErrors: [
            { field: ["basicCodeDiscount", "code"], message: "Code can't be blank", code: "BLANK", extraInfo: null },
          ],
        };
      if (!value || (value.percentage === undefined && !value.discountAmount))
        return {
          codeDiscountNode: null,
          userErrors: [
            {
              field: ["basicCodeDiscount", "customerGets", "value"],
              message: "Value can't be blank",
              code: "BLANK",
              extraInfo: null,
            },
          ],
        };
      try {
        const d = ops.createDiscountCode(shop, {
          code: input.code,
          title: input.title ?? input.code,
          value:
            value.percentage !== undefined && value.percentage !== null
              ? { percentage: value.percentage }
              : { amountCents: toMinorUnits(value.discountAmount!.amount, shop.currency) },
          appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
          usageLimit: input.usageLimit ?? null,
          customerIds:
            input.customerSelection?.customers?.add?.map((c) => parseGid(c)?.id ?? c) ??
            input.context?.customers?.add?.map((c) => parseGid(c)?.id ?? c) ??
            "all",
          startsAt: input.startsAt ?? new Date().toISOString(),
          endsAt: input.endsAt ?? null,
        });
        return { codeDiscountNode: discountView(shop, d), userErrors: [] };
      } catch (error) {
        return { codeDiscountNode: null, userErrors: [userError(error, { extraInfo: null })] };
      }
    },
    storeCreditAccountCredit: ({
      id,
      creditInput,
    }: {
      id: string;
      creditInput: { creditAmount: { amount: string; currencyCode: string }; expiresAt?: string | null };
    }) => {
      const parsed = parseGid(id);
      let customerId: string | undefined;
      if (parsed?.type === "Customer" && store.findCustomerById(parsed.id)) customerId = parsed.id;
      if (parsed?.type === "StoreCreditAccount") customerId = store.storeCredit.get(parsed.id)?.customerId;
      if (!customerId)
        return {
          storeCreditAccountTransaction: null,
          userErrors: [{ field: ["id"], message: "Owner does not exist.", code: "ACCOUNT_NOT_FOUND" }],
        };
      try {
        const { account, transaction } = ops.creditStoreCredit(
          shop,
          customerId,
          toMinorUnits(creditInput.creditAmount.amount, creditInput.creditAmount.currencyCode),
          creditInput.creditAmount.currencyCode,
          creditInput.expiresAt ?? null,
        );
        return {
          storeCreditAccountTransaction: storeCreditTransactionView(shop, account, transaction),
          userErrors: [],
        };
      } catch (error) {
        return { storeCreditAccountTransaction: null, userErrors: [userError(error)] };
      }
    },
    metafieldsSet: ({
      metafields,
    }: {
      metafields: { ownerId: string; namespace?: string; key: string; type?: string; value: string }[];
    }) => {
      const errors = metafields.flatMap((m, i) =>
        nodeView(shop, m.ownerId)
          ? []
          : [
              {
                field: ["metafields", String(i), "ownerId"],
                message: "Owner does not exist.",
                code: "INVALID_VALUE",
                elementIndex: i,
              },
            ],
      );
      if (errors.length) return { metafields: null, userErrors: errors };
      const set = ops.setMetafields(
        shop,
        metafields.map((m) => ({
          ownerGid: m.ownerId,
          namespace: m.namespace ?? "$app",
          key: m.key,
          type: m.type ?? "single_line_text_field",
          value: m.value,
        })),
      );
      return { metafields: set.map((m) => metafieldView(shop, m)), userErrors: [] };
    },
    bulkOperationRunQuery: ({ query }: { query: string }) => {
      const started = ctx.bulk.start(shop, query);
      if (started.error)
        return { bulkOperation: null, userErrors: [{ field: ["query"], message: started.error, code: "INVALID" }] };
      return { bulkOperation: ctx.bulk.find(shop, started.id), userErrors: [] };
    },
  };

  function tagChange(id: string, tags: string[], mode: "add" | "remove") {
    const index = customerIndexFromGid(shop, id);
    if (index === undefined) return { node: null, userErrors: [{ field: ["id"], message: "Resource does not exist" }] };
    const wanted = normalizeTags(tags);
    const c = ops.updateCustomer(shop, index, (draft) => {
      draft.tags = normalizeTags(
        mode === "add" ? [...draft.tags, ...wanted] : draft.tags.filter((t) => !wanted.includes(t)),
      );
    });
    return { node: customerView(shop, c), userErrors: [] };
  }
}

interface DiscountInput {
  code?: string;
  title?: string;
  startsAt?: string;
  endsAt?: string | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean;
  customerGets?: { value?: { percentage?: number | null; discountAmount?: { amount: string } } };
  customerSelection?: { all?: boolean; customers?: { add?: string[] } };
  context?: { all?: string; customers?: { add?: string[] } };
}

function countOf<T>(
  items: Iterable<T>,
  spec: SearchFields<T>,
  query: string | undefined,
  limit: number | null | undefined,
) {
  const parsed = parseSearch(query);
  const cap = limit === null ? Infinity : (limit ?? 10_000);
  let count = 0;
  for (const item of items) {
    if (matches(parsed, item, spec)) count++;
    if (count > cap) return { count: cap, precision: "AT_LEAST" };
  }
  return { count, precision: "EXACT" };
}

/** Reports fields the sandbox does not model, instead of silently answering null. */
const sandboxFieldResolver: GraphQLFieldResolver<unknown, AdminContext> = (source, args, context, info) => {
  if (source && typeof source === "object") {
    const value = (source as Record<string, unknown>)[info.fieldName];
    if (typeof value === "function")
      return (value as (a: unknown, c: AdminContext, i: unknown) => unknown)(args, context, info);
    if (value !== undefined) return value;
  }
  if (info.fieldName === "__typename") return info.parentType.name;
  throw new GraphQLError(`The sandbox does not implement ${info.parentType.name}.${info.fieldName}`, {
    extensions: { code: "SANDBOX_NOT_IMPLEMENTED" },
  });
};

/** The Customer fields that hold protected customer data (level 2), by the access Shopify approves separately. */
const PROTECTED_CUSTOMER_FIELDS: Record<string, "name" | "email" | "phone" | "address"> = {
  firstName: "name",
  lastName: "name",
  email: "email",
  defaultEmailAddress: "email",
  phone: "phone",
  defaultPhoneNumber: "phone",
  defaultAddress: "address",
};

/**
 * Shopify's answer to an app not approved for some protected customer fields (shopify.dev, "Work with protected
 * customer data"): each such field of a Customer resolves to null with an ACCESS_DENIED error at its path, beside
 * the rest of the data. The shop's `withheldCustomerFields` (control: withholdProtectedData) says which.
 */
const protectedDataResolver: GraphQLFieldResolver<unknown, AdminContext> = (source, args, context, info) => {
  const access = info.parentType.name === "Customer" ? PROTECTED_CUSTOMER_FIELDS[info.fieldName] : undefined;
  if (access && context.shop.withheldCustomerFields.has(access)) {
    throw new GraphQLError(
      `This app is not approved to use the ${info.fieldName} field. See https://partners.shopify.com/apps/customer_data for more details.`,
      { extensions: { code: "ACCESS_DENIED" } },
    );
  }
  return sandboxFieldResolver(source, args, context, info);
};

// Cost --------------------------------------------------------------------------------------------------------------

/**
 * Shopify's calculated query cost, simplified: objects cost 1, scalars and enums 0, a connection 2 plus its page size
 * times the cost of one node, a mutation field 10. Good enough to make the throttle behave like Shopify's.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName?: string,
) {
  const operation = document.definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return 0;
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  const root = operation.operation === "mutation" ? schema.getMutationType()! : schema.getQueryType()!;
  const argValue = (node: ValueNode | undefined): unknown => {
    if (!node) return undefined;
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.VARIABLE) return variables[node.name.value];
    return undefined;
  };
  const walk = (set: SelectionSetNode | undefined, type: GraphQLOutputType): number => {
    if (!set) return 0;
    const named = getNamedType(type);
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const cond = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : named;
        total += walk(selection.selectionSet, (cond ?? named) as GraphQLOutputType);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment)
          total += walk(
            fragment.selectionSet,
            (schema.getType(fragment.typeCondition.name.value) ?? named) as GraphQLOutputType,
          );
      } else {
        total += fieldCost(selection, named);
      }
    }
    return total;
  };
  const fieldCost = (field: FieldNode, parent: ReturnType<typeof getNamedType>): number => {
    if (!isObjectType(parent) && !isAbstractType(parent)) return 0;
    const def = isObjectType(parent) ? parent.getFields()[field.name.value] : undefined;
    const fieldType = def?.type;
    if (!fieldType) return field.selectionSet ? 1 + walk(field.selectionSet, parent as GraphQLOutputType) : 0;
    const named = getNamedType(fieldType);
    if (!isObjectType(named) && !isAbstractType(named)) return 0;
    if (named.name.endsWith("Connection") && isObjectType(named)) {
      const first = argValue(field.arguments?.find((a) => a.name.value === "first")?.value);
      const last = argValue(field.arguments?.find((a) => a.name.value === "last")?.value);
      const size = Number(first ?? last ?? 0) || 0;
      const nodeType = named.getFields().nodes?.type;
      let perNode = 0;
      for (const sel of field.selectionSet?.selections ?? []) {
        if (sel.kind !== Kind.FIELD || !nodeType) continue;
        if (sel.name.value === "nodes") perNode += 1 + walk(sel.selectionSet, nodeType);
        if (sel.name.value === "edges")
          for (const inner of sel.selectionSet?.selections ?? [])
            if (inner.kind === Kind.FIELD && inner.name.value === "node")
              perNode += 1 + walk(inner.selectionSet, nodeType);
      }
      return 2 + size * Math.max(1, perNode);
    }
    const list = isListType(getNullableType(fieldType));
    return (list ? 1 : 1) + walk(field.selectionSet, fieldType);
  };
  let cost = 0;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    cost += operation.operation === "mutation" ? 10 : fieldCost(selection, root);
  }
  return cost;
}

// Request handling --------------------------------------------------------------------------------------------------

export interface GraphqlRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/** Maps graphql-js validation messages to the `extensions.code` names Shopify reports for the same mistake. */
function validationCode(message: string): string {
  if (message.startsWith("Cannot query field")) return "undefinedField";
  if (message.startsWith("Unknown argument")) return "argumentNotAccepted";
  if (message.includes("argument") && message.includes("required")) return "missingRequiredArguments";
  if (message.startsWith("Variable")) return "variableMismatch";
  if (message.startsWith("Unknown type")) return "undefinedType";
  if (message.startsWith("Field") && message.includes("must have a selection")) return "selectionMismatch";
  return "GRAPHQL_VALIDATION_FAILED";
}

export function runAdminGraphql(
  body: GraphqlRequestBody,
  ctx: AdminContext,
  apiVersion = "2026-10",
): Promise<Record<string, unknown>> | Record<string, unknown> {
  const schema = adminSchema(apiVersion === "unstable" ? "unstable" : "2026-10");
  if (typeof body.query !== "string" || !body.query.trim()) {
    return { errors: [{ message: "No query string was present", extensions: { code: "BAD_REQUEST" } }] };
  }
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    const e = error as GraphQLError;
    return { errors: [{ message: e.message, locations: e.locations, extensions: { code: "PARSE_ERROR" } }] };
  }
  const errors = validate(schema, document, specifiedRules);
  if (errors.length) {
    return {
      errors: errors.map((e) => ({
        message: e.message,
        locations: e.locations,
        path: e.path,
        extensions: { code: validationCode(e.message) },
      })),
    };
  }
  const variables = (body.variables && typeof body.variables === "object" ? body.variables : {}) as Record<
    string,
    unknown
  >;
  const operationName = typeof body.operationName === "string" ? body.operationName : undefined;
  const requested = estimateCost(schema, document, variables, operationName);
  const bucket = drain(ctx.shop);
  const throttleStatus = () => ({
    maximumAvailable: ctx.shop.throttle.maximumAvailable,
    currentlyAvailable: Math.floor(ctx.shop.bucket.available),
    restoreRate: ctx.shop.throttle.restoreRate,
  });
  if (requested > MAX_QUERY_COST) {
    return {
      errors: [
        {
          message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).`,
          extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_QUERY_COST },
        },
      ],
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: throttleStatus() } },
    };
  }
  if (bucket.available < requested) {
    return {
      errors: [
        {
          message: "Throttled",
          extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
        },
      ],
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: throttleStatus() } },
    };
  }
  bucket.available -= requested;
  const resolved = execute({
    schema,
    document,
    rootValue: rootResolvers(ctx),
    contextValue: ctx,
    variableValues: variables,
    operationName,
    fieldResolver: protectedDataResolver,
  });
  const finish = (result: Awaited<typeof resolved>) => {
    // Shopify charges the requested cost up front and refunds what the answer did not use (fewer nodes than `first`).
    const mutation = document.definitions.some(
      (d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === "mutation",
    );
    const actual = mutation ? requested : Math.min(requested, objectsIn(result.data));
    bucket.available = Math.min(ctx.shop.throttle.maximumAvailable, bucket.available + requested - actual);
    return {
      ...(result.errors ? { errors: result.errors.map((e) => e.toJSON()) } : {}),
      data: result.data ?? null,
      extensions: {
        cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: throttleStatus() },
      },
    };
  };
  return resolved instanceof Promise ? resolved.then(finish) : finish(resolved);
}

/** The objects an answer holds, each costing 1 as in `estimateCost`: what a query actually used. */
function objectsIn(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + objectsIn(item), 0);
  if (!value || typeof value !== "object") return 0;
  return 1 + Object.values(value).reduce((sum: number, item) => sum + objectsIn(item), 0);
}

/** Leaky bucket: restores `restoreRate` points a second up to the maximum. */
function drain(shop: ShopRecord) {
  const now = Date.now();
  const { bucket, throttle } = shop;
  bucket.available = Math.min(
    throttle.maximumAvailable,
    bucket.available + ((now - bucket.at) / 1000) * throttle.restoreRate,
  );
  bucket.at = now;
  return bucket;
}

export { customerView, orderView, nodeView };
