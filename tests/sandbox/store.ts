import { resourceId, resourceIndex, type ResourceType } from "./ids";

export type CustomerState = "DISABLED" | "INVITED" | "ENABLED" | "DECLINED";
export type MarketingState = "SUBSCRIBED" | "NOT_SUBSCRIBED" | "UNSUBSCRIBED" | "PENDING";

export interface AddressRecord {
  id: string;
  firstName: string;
  lastName: string;
  address1: string;
  address2: string | null;
  city: string;
  province: string;
  provinceCode: string;
  country: string;
  countryCode: string;
  zip: string;
  phone: string | null;
  company: string | null;
}

export interface CustomerRecord {
  index: number;
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  state: CustomerState;
  note: string | null;
  verifiedEmail: boolean;
  taxExempt: boolean;
  tags: string[];
  marketing: {
    state: MarketingState;
    optInLevel: "SINGLE_OPT_IN" | "CONFIRMED_OPT_IN" | null;
    updatedAt: string | null;
  };
  address: AddressRecord | null;
  createdAt: string;
  updatedAt: string;
}

export interface OrderLine {
  id: string;
  productIndex: number;
  title: string;
  sku: string;
  /** Units ordered, including units an edit later removed (Shopify's `quantity`). */
  quantity: number;
  /** Unit price; includes tax when the order's prices do. */
  unitCents: number;
  /** A gift card sold: never taxed or discounted (`line_items[].gift_card`). */
  giftCard?: boolean;
  /** Units removed by order edits. */
  removed?: number;
  /** The line's discount allocation and tax for all `quantity` units, fixed when the line was priced. */
  discountCents?: number;
  taxCents?: number;
}

/** One committed order edit, as orders/edited reports it: line item ids and units. */
export interface EditRecord {
  id: string;
  committedAt: string;
  additions: { lineId: string; delta: number }[];
  removals: { lineId: string; delta: number }[];
}

export interface OrderRecord {
  index: number;
  id: string;
  number: number;
  customerIndex: number | null;
  email: string | null;
  lines: OrderLine[];
  discountCodes: { code: string; amountCents: number }[];
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  refundedCents: number;
  /** Prices include tax (Shopify's `taxes_included`): the subtotal then holds the tax. */
  taxesIncluded?: boolean;
  /** Money the customer has paid; an edit that adds goods leaves the difference outstanding. */
  receivedCents?: number;
  edits?: EditRecord[];
  financialStatus: "PENDING" | "PAID" | "PARTIALLY_PAID" | "PARTIALLY_REFUNDED" | "REFUNDED" | "VOIDED";
  fulfillmentStatus: "UNFULFILLED" | "FULFILLED";
  fulfillments: { id: string; createdAt: string }[];
  refunds: RefundRecord[];
  cancelledAt: string | null;
  cancelReason: string | null;
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  /** The store currency when the order was placed; a later change of store currency does not change it. */
  currency?: string;
}

/** One refunded line: its discounted subtotal (tax included when prices include it) and tax, in minor units. */
export interface RefundLine {
  id: string;
  lineId: string;
  /** Whole units given back. */
  quantity: number;
  subtotalCents: number;
  taxCents: number;
  restockType: "no_restock" | "return" | "cancel";
}

/**
 * One refund as Shopify records it: line items given back (none when the merchant typed an amount), shipping given
 * back, one transaction (its status decides whether money moved), and order adjustments where the money and the
 * lines differ (a restocking fee the merchant kept, an amount typed without lines).
 */
export interface RefundRecord {
  id: string;
  createdAt: string;
  /** What the refund transaction paid back. */
  amountCents: number;
  /** The transaction's status; a failed one gave nothing back. Null when no money moved at all (restock only). */
  status: "success" | "failure" | null;
  shippingCents: number;
  adjustments: { id: string; kind: "refund_discrepancy"; amountCents: number; reason: string }[];
  returnId: string | null;
  note: string | null;
  userId: string | null;
  transactionId: string;
  lines: RefundLine[];
}

export interface CheckoutRecord {
  index: number;
  id: string;
  token: string;
  customerIndex: number | null;
  email: string | null;
  lines: OrderLine[];
  totalCents: number;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

export interface DiscountCodeRecord {
  id: string;
  codeId: string;
  code: string;
  title: string;
  /** Either a percentage (0..1) or a fixed amount in minor units. */
  value: { percentage: number } | { amountCents: number };
  appliesOncePerCustomer: boolean;
  usageLimit: number | null;
  customerIds: string[] | "all";
  startsAt: string;
  endsAt: string | null;
  usageCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface StoreCreditTransaction {
  id: string;
  amountCents: number;
  balanceAfterCents: number;
  createdAt: string;
  expiresAt: string | null;
  kind: "CREDIT" | "DEBIT";
}

export interface StoreCreditAccountRecord {
  id: string;
  customerId: string;
  currency: string;
  balanceCents: number;
  transactions: StoreCreditTransaction[];
}

export interface MetafieldRecord {
  id: string;
  ownerGid: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

export interface Product {
  title: string;
  sku: string;
  cents: number;
  giftCard?: boolean;
}

export const CATALOG: readonly Product[] = [
  { title: "Aviator sunglasses", sku: "SUN-001", cents: 8999 },
  { title: "Canvas tote", sku: "BAG-002", cents: 2400 },
  { title: "Merino beanie", sku: "HAT-003", cents: 3500 },
  { title: "Ceramic mug", sku: "MUG-004", cents: 1800 },
  { title: "Linen shirt", sku: "SHI-005", cents: 6800 },
  { title: "Trail socks (3 pack)", sku: "SOC-006", cents: 2200 },
  { title: "Leather wallet", sku: "WAL-007", cents: 5400 },
  { title: "Gift card", sku: "GFT-008", cents: 5000, giftCard: true },
];

const FIRST = [
  "Ada",
  "Bob",
  "Chloé",
  "Dev",
  "Emeka",
  "Fatima",
  "Giulia",
  "Hiro",
  "Ines",
  "Jonas",
  "Kai",
  "Leila",
  "Mateo",
  "Noor",
  "Olga",
  "Priya",
  "Quinn",
  "Rafael",
  "Sofia",
  "Tomás",
  "Uma",
  "Viktor",
  "Wen",
  "Yusuf",
  "Zoë",
];
const LAST = [
  "Okafor",
  "Biller",
  "Nguyen",
  "Schmidt",
  "García",
  "Kowalski",
  "Tanaka",
  "Rossi",
  "Dubois",
  "Haddad",
  "Larsen",
  "Moreau",
  "Singh",
  "Cohen",
  "Silva",
  "Murphy",
  "Ivanova",
  "Park",
  "Novak",
  "Ali",
];
const CITIES = [
  { city: "Ottawa", province: "Ontario", provinceCode: "ON", zip: "K2P 2L8" },
  { city: "Montréal", province: "Quebec", provinceCode: "QC", zip: "H2X 1Y4" },
  { city: "Vancouver", province: "British Columbia", provinceCode: "BC", zip: "V6B 1A1" },
  { city: "Halifax", province: "Nova Scotia", provinceCode: "NS", zip: "B3H 1X1" },
];

/** A stateless hash-based generator: record i of a seed is computable without generating records 0..i-1. */
function rand(seed: number, stream: number, i: number, salt = 0): number {
  let h =
    Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35) ^ Math.imul(i + 1, 0x27d4eb2f) ^ salt;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

const pick = <T>(list: readonly T[], r: number): T => list[Math.floor(r * list.length)]!;
const DAY = 86_400_000;

export interface SeedOptions {
  customers: number;
  orders: number;
  abandonedCheckouts?: number;
  seed?: number;
  /** Seeded history ends here (default: start of the current UTC day), so timestamps are never in the future. */
  until?: string;
}

interface SeedPlan {
  seed: number;
  customers: number;
  orders: number;
  checkouts: number;
  startMs: number;
  endMs: number;
}

/**
 * One shop's data. Seeded records are virtual (recomputed from the seed on read) until something changes them; then
 * the changed copy lives in an override map. That keeps a million-customer shop to a few typed arrays.
 */
export class ShopStore {
  readonly customerOverrides = new Map<number, CustomerRecord>();
  readonly deletedCustomers = new Set<number>();
  readonly orderOverrides = new Map<number, OrderRecord>();
  readonly checkoutOverrides = new Map<number, CheckoutRecord>();
  readonly discountCodes: DiscountCodeRecord[] = [];
  readonly storeCredit = new Map<string, StoreCreditAccountRecord>();
  readonly metafields: MetafieldRecord[] = [];
  private plan: SeedPlan = { seed: 0, customers: 0, orders: 0, checkouts: 0, startMs: 0, endMs: 0 };
  private customerCount = 0;
  private orderCount = 0;
  private checkoutCount = 0;
  private orderStats = { count: new Uint32Array(0), spentCents: new Float64Array(0) };
  private extraStats = new Map<number, { count: number; spentCents: number }>();
  private ordersByCustomer = new Map<number, number[]>();
  private seededOrderOffsets = new Uint32Array(1);
  private seededOrderList = new Uint32Array(0);
  private counters = new Map<ResourceType, number>();

  constructor(
    readonly shopNumber: number,
    readonly currency: string,
  ) {}

  id(type: ResourceType, index: number) {
    return resourceId(type, this.shopNumber, index);
  }

  indexOf(type: ResourceType, id: string) {
    return resourceIndex(type, this.shopNumber, id);
  }

  /** A fresh id for a record that is not indexed by position (line items, addresses, discounts...). */
  nextId(type: ResourceType): string {
    const next = (this.counters.get(type) ?? 5_000_000_000) + 1;
    this.counters.set(type, next);
    return this.id(type, next);
  }

  seed(options: SeedOptions) {
    if (this.customerCount > 0 || this.orderCount > 0) throw new Error("This shop is already seeded");
    const endMs = options.until ? Date.parse(options.until) : Math.floor(Date.now() / DAY) * DAY;
    this.plan = {
      seed: options.seed ?? 1,
      customers: options.customers,
      orders: options.orders,
      checkouts: options.abandonedCheckouts ?? Math.floor(options.orders / 10),
      startMs: endMs - 730 * DAY,
      endMs,
    };
    this.customerCount = options.customers;
    this.orderCount = options.orders;
    this.checkoutCount = this.plan.checkouts;
    const count = new Uint32Array(options.customers);
    const spent = new Float64Array(options.customers);
    const owners = new Int32Array(options.orders);
    for (let j = 0; j < options.orders; j++) {
      const owner = this.seededOrderOwner(j);
      owners[j] = owner ?? -1;
      if (owner === null) continue;
      count[owner]! += 1;
      spent[owner]! += this.seededOrderTotal(j);
    }
    const offsets = new Uint32Array(options.customers + 1);
    for (let c = 0; c < options.customers; c++) offsets[c + 1] = offsets[c]! + count[c]!;
    const cursor = offsets.slice(0, options.customers);
    const list = new Uint32Array(offsets[options.customers] ?? 0);
    for (let j = 0; j < options.orders; j++) {
      const owner = owners[j]!;
      if (owner >= 0) list[cursor[owner]!++] = j;
    }
    this.orderStats = { count, spentCents: spent };
    this.seededOrderOffsets = offsets;
    this.seededOrderList = list;
  }

  get seedPlan(): Readonly<SeedPlan> {
    return this.plan;
  }

  // Customers -------------------------------------------------------------------------------------------------------

  get customerSlots() {
    return this.customerCount;
  }

  findCustomer(index: number): CustomerRecord | undefined {
    if (index < 0 || index >= this.customerCount || this.deletedCustomers.has(index)) return undefined;
    return this.customerOverrides.get(index) ?? this.seededCustomer(index);
  }

  findCustomerById(id: string) {
    const index = this.indexOf("Customer", id);
    return index === undefined ? undefined : this.findCustomer(index);
  }

  /**
   * Changed and created customers are all in the overrides; an untouched seeded customer's email names its index
   * (`first.last.{index}@example.com`), so a lookup never scans a million generated records.
   */
  findCustomerByEmail(email: string): CustomerRecord | undefined {
    const wanted = email.toLowerCase();
    for (const c of this.customerOverrides.values()) if (c.email?.toLowerCase() === wanted) return c;
    const seeded = /\.(\d+)@example\.com$/.exec(wanted);
    const index = seeded ? Number(seeded[1]) : -1;
    if (index < 0 || index >= this.plan.customers || this.customerOverrides.has(index)) return undefined;
    const c = this.findCustomer(index);
    return c?.email?.toLowerCase() === wanted ? c : undefined;
  }

  *customers(fromIndex = 0, reverse = false): Generator<CustomerRecord> {
    if (reverse) {
      for (let i = Math.min(fromIndex, this.customerCount - 1); i >= 0; i--) {
        const c = this.findCustomer(i);
        if (c) yield c;
      }
      return;
    }
    for (let i = fromIndex; i < this.customerCount; i++) {
      const c = this.findCustomer(i);
      if (c) yield c;
    }
  }

  addCustomer(fields: Partial<Omit<CustomerRecord, "index" | "id">>, now: string): CustomerRecord {
    const index = this.customerCount++;
    const record: CustomerRecord = {
      index,
      id: this.id("Customer", index),
      firstName: null,
      lastName: null,
      email: null,
      phone: null,
      state: "DISABLED",
      note: null,
      verifiedEmail: true,
      taxExempt: false,
      tags: [],
      marketing: { state: "NOT_SUBSCRIBED", optInLevel: null, updatedAt: null },
      address: null,
      createdAt: now,
      updatedAt: now,
      ...fields,
    };
    this.customerOverrides.set(index, record);
    return record;
  }

  /** Applies a change to a customer and bumps updatedAt, returning the new copy. */
  updateCustomer(index: number, change: (c: CustomerRecord) => void, now: string): CustomerRecord {
    const current = this.findCustomer(index);
    if (!current) throw new Error(`No customer ${index}`);
    const copy = structuredClone(current);
    change(copy);
    copy.updatedAt = now;
    this.customerOverrides.set(index, copy);
    return copy;
  }

  deleteCustomer(index: number) {
    this.deletedCustomers.add(index);
    this.customerOverrides.delete(index);
  }

  /** Customers merged into another (Shopify's customer merge): their orders now belong to the one kept. */
  private readonly mergedInto = new Map<number, number>();

  /** Moves every order of `mergedIndex` to `keptIndex`, with its counts, as a completed customer merge does. */
  mergeCustomerOrders(mergedIndex: number, keptIndex: number, now: string) {
    for (const orderIndex of this.customerOrderIndexes(mergedIndex)) {
      const order = this.findOrder(orderIndex);
      if (order)
        this.orderOverrides.set(orderIndex, { ...structuredClone(order), customerIndex: keptIndex, updatedAt: now });
    }
    const stats = this.customerOrderStats(mergedIndex);
    this.adjustSpent(keptIndex, stats.count, stats.spentCents);
    this.adjustSpent(mergedIndex, -stats.count, -stats.spentCents);
    this.mergedInto.set(mergedIndex, keptIndex);
  }

  customerOrderStats(index: number): { count: number; spentCents: number } {
    const extra = this.extraStats.get(index) ?? { count: 0, spentCents: 0 };
    const seeded = index < this.orderStats.count.length;
    return {
      count: (seeded ? this.orderStats.count[index]! : 0) + extra.count,
      spentCents: (seeded ? this.orderStats.spentCents[index]! : 0) + extra.spentCents,
    };
  }

  customerOrderIndexes(index: number): number[] {
    const merged = [...this.mergedInto].filter(([, kept]) => kept === index).map(([from]) => from);
    if (this.mergedInto.has(index)) return [];
    return [...this.ownOrderIndexes(index), ...merged.flatMap((from) => this.ownOrderIndexes(from))];
  }

  private ownOrderIndexes(index: number): number[] {
    const seeded =
      index < this.plan.customers
        ? Array.from(
            this.seededOrderList.subarray(this.seededOrderOffsets[index]!, this.seededOrderOffsets[index + 1]!),
          )
        : [];
    return [...seeded, ...(this.ordersByCustomer.get(index) ?? [])];
  }

  private seededCustomer(i: number): CustomerRecord {
    const { seed, startMs, endMs, customers } = this.plan;
    if (i >= customers) throw new Error(`Customer ${i} is not seeded`);
    const r = (salt: number) => rand(seed, 1, i, salt);
    const firstName = pick(FIRST, r(1));
    const lastName = pick(LAST, r(2));
    const roll = r(3);
    const state: CustomerState =
      roll < 0.6 ? "ENABLED" : roll < 0.9 ? "DISABLED" : roll < 0.98 ? "INVITED" : "DECLINED";
    const createdMs = startMs + Math.floor(((endMs - startMs - DAY) * i) / Math.max(customers, 1));
    const updatedMs = Math.min(endMs - 1000, createdMs + Math.floor(r(4) * 60 * DAY));
    const subscribed = r(5) < 0.4;
    const tags: string[] = [];
    if (r(6) < 0.1) tags.push("vip");
    if (r(7) < 0.05) tags.push("wholesale");
    const hasAddress = r(8) < 0.7;
    const place = pick(CITIES, r(9));
    const id = this.id("Customer", i);
    const phone = r(10) < 0.3 ? `+1613${String(5_000_000 + (i % 5_000_000)).padStart(7, "0")}` : null;
    return {
      index: i,
      id,
      firstName,
      lastName,
      email: `${ascii(firstName)}.${ascii(lastName)}.${i}@example.com`,
      phone,
      state,
      note: null,
      verifiedEmail: state === "ENABLED",
      taxExempt: r(11) < 0.03,
      tags,
      marketing: subscribed
        ? { state: "SUBSCRIBED", optInLevel: "SINGLE_OPT_IN", updatedAt: new Date(createdMs).toISOString() }
        : { state: "NOT_SUBSCRIBED", optInLevel: "SINGLE_OPT_IN", updatedAt: null },
      address: hasAddress
        ? {
            id: this.id("MailingAddress", i),
            firstName,
            lastName,
            address1: `${1 + Math.floor(r(12) * 999)} O'Connor Street`,
            address2: null,
            city: place.city,
            province: place.province,
            provinceCode: place.provinceCode,
            country: "Canada",
            countryCode: "CA",
            zip: place.zip,
            phone,
            company: null,
          }
        : null,
      createdAt: new Date(createdMs).toISOString(),
      updatedAt: new Date(updatedMs).toISOString(),
    };
  }

  // Orders ----------------------------------------------------------------------------------------------------------

  get orderSlots() {
    return this.orderCount;
  }

  findOrder(index: number): OrderRecord | undefined {
    if (index < 0 || index >= this.orderCount) return undefined;
    return this.orderOverrides.get(index) ?? this.seededOrder(index);
  }

  findOrderById(id: string) {
    const index = this.indexOf("Order", id);
    return index === undefined ? undefined : this.findOrder(index);
  }

  *orders(fromIndex = 0, reverse = false): Generator<OrderRecord> {
    if (reverse) {
      for (let i = Math.min(fromIndex, this.orderCount - 1); i >= 0; i--) yield this.findOrder(i)!;
      return;
    }
    for (let i = fromIndex; i < this.orderCount; i++) yield this.findOrder(i)!;
  }

  addOrder(build: (index: number, id: string, number: number) => OrderRecord): OrderRecord {
    const index = this.orderCount++;
    const order = build(index, this.id("Order", index), 1001 + index);
    this.orderOverrides.set(index, order);
    if (order.customerIndex !== null) {
      const list = this.ordersByCustomer.get(order.customerIndex) ?? [];
      list.push(index);
      this.ordersByCustomer.set(order.customerIndex, list);
      this.adjustSpent(order.customerIndex, 1, order.totalCents);
    }
    return order;
  }

  updateOrder(index: number, change: (o: OrderRecord) => void, now: string): OrderRecord {
    const current = this.findOrder(index);
    if (!current) throw new Error(`No order ${index}`);
    const copy = structuredClone(current);
    change(copy);
    copy.updatedAt = now;
    this.orderOverrides.set(index, copy);
    return copy;
  }

  adjustSpent(customerIndex: number, orders: number, cents: number) {
    const extra = this.extraStats.get(customerIndex) ?? { count: 0, spentCents: 0 };
    extra.count += orders;
    extra.spentCents += cents;
    this.extraStats.set(customerIndex, extra);
  }

  private seededOrderOwner(j: number): number | null {
    const { seed, customers } = this.plan;
    if (customers === 0 || rand(seed, 2, j, 1) < 0.05) return null;
    // Squaring skews orders towards a minority of repeat buyers, as real stores look.
    return Math.floor(rand(seed, 2, j, 2) ** 2 * customers);
  }

  private seededOrderLines(j: number): OrderLine[] {
    const { seed } = this.plan;
    const count = 1 + Math.floor(rand(seed, 2, j, 3) * 3);
    return Array.from({ length: count }, (_, k) => {
      const productIndex = Math.floor(rand(seed, 2, j, 10 + k) * CATALOG.length);
      const product = CATALOG[productIndex]!;
      return {
        id: this.id("LineItem", j * 4 + k),
        productIndex,
        title: product.title,
        sku: product.sku,
        quantity: 1 + Math.floor(rand(seed, 2, j, 20 + k) * 2),
        unitCents: product.cents,
        ...(product.giftCard ? { giftCard: true } : {}),
      };
    });
  }

  /** A seeded order's figures: 10% off the goods one order in five, 13% tax on the goods; gift cards neither. */
  private seededOrderFigures(j: number) {
    const lines = this.seededOrderLines(j);
    const subtotal = lines.reduce((sum, l) => sum + l.quantity * l.unitCents, 0);
    const goods = lines.filter((l) => !l.giftCard).reduce((sum, l) => sum + l.quantity * l.unitCents, 0);
    const discounted = rand(this.plan.seed, 2, j, 4) < 0.2 && goods > 0;
    const discount = discounted ? Math.round(goods * 0.1) : 0;
    const tax = Math.round((goods - discount) * 0.13);
    return { lines, subtotal, discount, discounted, tax, total: subtotal - discount + tax };
  }

  private seededOrderTotal(j: number): number {
    return this.seededOrderFigures(j).total;
  }

  private seededOrder(j: number): OrderRecord {
    const { seed, startMs, endMs, orders } = this.plan;
    const r = (salt: number) => rand(seed, 2, j, salt);
    const customerIndex = this.seededOrderOwner(j);
    const customer = customerIndex === null ? undefined : this.findCustomer(customerIndex);
    const { lines, subtotal, discount, discounted, tax } = this.seededOrderFigures(j);
    const createdMs = startMs + Math.floor(((endMs - startMs - DAY) * j) / Math.max(orders, 1));
    const created = new Date(createdMs).toISOString();
    const fulfilled = createdMs < endMs - 3 * DAY && r(5) < 0.85;
    return {
      index: j,
      id: this.id("Order", j),
      number: 1001 + j,
      customerIndex,
      email: customer?.email ?? `guest.${j}@example.com`,
      lines,
      discountCodes: discounted ? [{ code: "WELCOME10", amountCents: discount }] : [],
      subtotalCents: subtotal - discount,
      discountCents: discount,
      shippingCents: 0,
      taxCents: tax,
      totalCents: subtotal - discount + tax,
      refundedCents: 0,
      financialStatus: "PAID",
      fulfillmentStatus: fulfilled ? "FULFILLED" : "UNFULFILLED",
      fulfillments: fulfilled
        ? [{ id: this.id("Fulfillment", j), createdAt: new Date(createdMs + DAY).toISOString() }]
        : [],
      refunds: [],
      cancelledAt: null,
      cancelReason: null,
      createdAt: created,
      updatedAt: fulfilled ? new Date(createdMs + DAY).toISOString() : created,
      processedAt: created,
    };
  }

  // Abandoned checkouts ---------------------------------------------------------------------------------------------

  get checkoutSlots() {
    return this.checkoutCount;
  }

  findCheckout(index: number): CheckoutRecord | undefined {
    if (index < 0 || index >= this.checkoutCount) return undefined;
    return this.checkoutOverrides.get(index) ?? this.seededCheckout(index);
  }

  addCheckout(build: (index: number, id: string) => CheckoutRecord): CheckoutRecord {
    const index = this.checkoutCount++;
    const checkout = build(index, this.id("Checkout", index));
    this.checkoutOverrides.set(index, checkout);
    return checkout;
  }

  private seededCheckout(k: number): CheckoutRecord {
    const { seed, startMs, endMs, checkouts, customers } = this.plan;
    const r = (salt: number) => rand(seed, 3, k, salt);
    const customerIndex = customers > 0 && r(1) < 0.5 ? Math.floor(r(2) * customers) : null;
    const productIndex = Math.floor(r(3) * CATALOG.length);
    const product = CATALOG[productIndex]!;
    const created = new Date(
      startMs + Math.floor(((endMs - startMs - DAY) * k) / Math.max(checkouts, 1)),
    ).toISOString();
    return {
      index: k,
      id: this.id("Checkout", k),
      token: `${seed}c${k}`.padEnd(32, "0"),
      customerIndex,
      email: customerIndex === null ? `abandoned.${k}@example.com` : (this.findCustomer(customerIndex)?.email ?? null),
      lines: [
        {
          id: this.id("LineItem", 4_000_000_000 + k),
          productIndex,
          title: product.title,
          sku: product.sku,
          quantity: 1,
          unitCents: product.cents,
        },
      ],
      totalCents: product.cents,
      createdAt: created,
      updatedAt: created,
      completedAt: null,
    };
  }
}

function ascii(name: string) {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}
