import { resourceId, resourceIndex } from "../ids";
import { CATALOG } from "./catalog";
import type { AddressRecord, CustomerRecord, CustomerTable } from "./customers";
import { DAY, rand, STREAM, type SeedPlan } from "./seed";

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
  /**
   * The code used, what it took off (goods and shipping), and its kind and value as REST writes them
   * (`percentage` "10.0", `fixed_amount` "5.00", `shipping` "100.0").
   */
  discountCodes: {
    code: string;
    amountCents: number;
    type?: "percentage" | "fixed_amount" | "shipping";
    value?: string;
  }[];
  /** Automatic discounts applied (no code): what each took off the goods, its kind and value as REST writes them. */
  automaticDiscounts?: { title: string; amountCents: number; type: "percentage" | "fixed_amount"; value: string }[];
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  /** What a free-shipping code took off the shipping charged. */
  shippingDiscountCents?: number;
  taxCents: number;
  totalCents: number;
  refundedCents: number;
  /** Prices include tax (Shopify's `taxes_included`): the subtotal then holds the tax. */
  taxesIncluded?: boolean;
  /**
   * How the order was paid, store credit first: each a sale transaction on a gateway (`shopify_store_credit`, or
   * `bogus` for the card). Absent on seeded orders, paid by card.
   */
  payments?: { gateway: "shopify_store_credit" | "bogus"; amountCents: number; transactionId: string }[];
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
  /**
   * Where the order ships, as typed at checkout. Absent (seeded orders, checkouts that typed none): the customer's
   * default address, or for a buyer without one an address of their own (`shippingAddressOf`).
   */
  shippingAddress?: AddressRecord;
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

/**
 * A shop's orders, seeded ones virtual until changed (as customers), with each customer's order count, amount spent
 * and order list kept beside them so a customer's figures never need a scan of every order.
 */
export class OrderTable {
  readonly overrides = new Map<number, OrderRecord>();
  private count = 0;
  private seededStats = { count: new Uint32Array(0), spentCents: new Float64Array(0) };
  private extraStats = new Map<number, { count: number; spentCents: number }>();
  private ordersByCustomer = new Map<number, number[]>();
  private seededOrderOffsets = new Uint32Array(1);
  private seededOrderList = new Uint32Array(0);
  /** Customers merged into another (Shopify's customer merge): their orders now belong to the one kept. */
  private readonly mergedInto = new Map<number, number>();

  constructor(
    private readonly shopNumber: number,
    private readonly plan: () => SeedPlan,
    private readonly customers: CustomerTable,
  ) {}

  /** Indexes the plan's seeded orders by owner (counts, amounts spent, order lists); called once, by ShopStore.seed. */
  seeded() {
    const { customers, orders } = this.plan();
    this.count = orders;
    const count = new Uint32Array(customers);
    const spent = new Float64Array(customers);
    const owners = new Int32Array(orders);
    for (let j = 0; j < orders; j++) {
      const owner = this.seededOrderOwner(j);
      owners[j] = owner ?? -1;
      if (owner === null) continue;
      count[owner]! += 1;
      spent[owner]! += this.seededOrderFigures(j).total;
    }
    const offsets = new Uint32Array(customers + 1);
    for (let c = 0; c < customers; c++) offsets[c + 1] = offsets[c]! + count[c]!;
    const cursor = offsets.slice(0, customers);
    const list = new Uint32Array(offsets[customers] ?? 0);
    for (let j = 0; j < orders; j++) {
      const owner = owners[j]!;
      if (owner >= 0) list[cursor[owner]!++] = j;
    }
    this.seededStats = { count, spentCents: spent };
    this.seededOrderOffsets = offsets;
    this.seededOrderList = list;
  }

  get slots() {
    return this.count;
  }

  find(index: number): OrderRecord | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.overrides.get(index) ?? this.seededOrder(index);
  }

  findById(id: string) {
    const index = resourceIndex("Order", this.shopNumber, id);
    return index === undefined ? undefined : this.find(index);
  }

  *scan(fromIndex = 0, reverse = false): Generator<OrderRecord> {
    if (reverse) {
      for (let i = Math.min(fromIndex, this.count - 1); i >= 0; i--) yield this.find(i)!;
      return;
    }
    for (let i = fromIndex; i < this.count; i++) yield this.find(i)!;
  }

  add(build: (index: number, id: string, number: number) => OrderRecord): OrderRecord {
    const index = this.count++;
    const order = build(index, resourceId("Order", this.shopNumber, index), 1001 + index);
    this.overrides.set(index, order);
    if (order.customerIndex !== null) {
      const list = this.ordersByCustomer.get(order.customerIndex) ?? [];
      list.push(index);
      this.ordersByCustomer.set(order.customerIndex, list);
      this.adjustSpent(order.customerIndex, 1, order.totalCents);
    }
    return order;
  }

  update(index: number, change: (o: OrderRecord) => void, now: string): OrderRecord {
    const current = this.find(index);
    if (!current) throw new Error(`No order ${index}`);
    const copy = structuredClone(current);
    change(copy);
    copy.updatedAt = now;
    this.overrides.set(index, copy);
    return copy;
  }

  /** A customer's order count and amount spent change by these deltas (a new order, an edit, a refund, a merge). */
  adjustSpent(customerIndex: number, orders: number, cents: number) {
    const extra = this.extraStats.get(customerIndex) ?? { count: 0, spentCents: 0 };
    extra.count += orders;
    extra.spentCents += cents;
    this.extraStats.set(customerIndex, extra);
  }

  /** A customer's order count and amount spent (minor units), as Shopify's numberOfOrders and amountSpent. */
  statsOf(customerIndex: number): { count: number; spentCents: number } {
    const extra = this.extraStats.get(customerIndex) ?? { count: 0, spentCents: 0 };
    const seeded = customerIndex < this.seededStats.count.length;
    return {
      count: (seeded ? this.seededStats.count[customerIndex]! : 0) + extra.count,
      spentCents: (seeded ? this.seededStats.spentCents[customerIndex]! : 0) + extra.spentCents,
    };
  }

  /** The indexes of a customer's orders, those of customers merged into it included. */
  indexesOf(customerIndex: number): number[] {
    const merged = [...this.mergedInto].filter(([, kept]) => kept === customerIndex).map(([from]) => from);
    if (this.mergedInto.has(customerIndex)) return [];
    return [...this.ownOrderIndexes(customerIndex), ...merged.flatMap((from) => this.ownOrderIndexes(from))];
  }

  /** Moves every order of `mergedIndex` to `keptIndex`, with its counts, as a completed customer merge does. */
  moveCustomerOrders(mergedIndex: number, keptIndex: number, now: string) {
    for (const orderIndex of this.indexesOf(mergedIndex)) {
      const order = this.find(orderIndex);
      if (order)
        this.overrides.set(orderIndex, { ...structuredClone(order), customerIndex: keptIndex, updatedAt: now });
    }
    const stats = this.statsOf(mergedIndex);
    this.adjustSpent(keptIndex, stats.count, stats.spentCents);
    this.adjustSpent(mergedIndex, -stats.count, -stats.spentCents);
    this.mergedInto.set(mergedIndex, keptIndex);
  }

  private ownOrderIndexes(customerIndex: number): number[] {
    const seeded =
      customerIndex < this.plan().customers
        ? Array.from(
            this.seededOrderList.subarray(
              this.seededOrderOffsets[customerIndex]!,
              this.seededOrderOffsets[customerIndex + 1]!,
            ),
          )
        : [];
    return [...seeded, ...(this.ordersByCustomer.get(customerIndex) ?? [])];
  }

  private seededOrderOwner(j: number): number | null {
    const { seed, customers, orders } = this.plan();
    if (customers === 0 || rand(seed, STREAM.orders, j, 1) < 0.05) return null;
    // The owner is one of the customers who existed by the order's date (seeded customers and orders are spread over
    // the same span in index order), so no customer's first order predates their account, as in a shop whose
    // customers are created at their first checkout. Squaring skews orders towards the newest of them: a customer
    // buys most often soon after joining, and a minority come back.
    const existing = Math.min(customers, Math.floor((j * customers) / Math.max(orders, 1)) + 1);
    return existing - 1 - Math.floor(rand(seed, STREAM.orders, j, 2) ** 2 * existing);
  }

  private seededOrderLines(j: number): OrderLine[] {
    const { seed } = this.plan();
    const count = 1 + Math.floor(rand(seed, STREAM.orders, j, 3) * 3);
    return Array.from({ length: count }, (_, k) => {
      const productIndex = Math.floor(rand(seed, STREAM.orders, j, 10 + k) * CATALOG.length);
      const product = CATALOG[productIndex]!;
      return {
        id: resourceId("LineItem", this.shopNumber, j * 4 + k),
        productIndex,
        title: product.title,
        sku: product.sku,
        quantity: 1 + Math.floor(rand(seed, STREAM.orders, j, 20 + k) * 2),
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
    const discounted = rand(this.plan().seed, STREAM.orders, j, 4) < 0.2 && goods > 0;
    const discount = discounted ? Math.round(goods * 0.1) : 0;
    const tax = Math.round((goods - discount) * 0.13);
    return { lines, subtotal, discount, discounted, tax, total: subtotal - discount + tax };
  }

  private seededOrder(j: number): OrderRecord {
    const { seed, startMs, endMs, orders } = this.plan();
    const r = (salt: number) => rand(seed, STREAM.orders, j, salt);
    const customerIndex = this.seededOrderOwner(j);
    const customer = customerIndex === null ? undefined : this.customers.find(customerIndex);
    const { lines, subtotal, discount, discounted, tax } = this.seededOrderFigures(j);
    const createdMs = startMs + Math.floor(((endMs - startMs - DAY) * j) / Math.max(orders, 1));
    const created = new Date(createdMs).toISOString();
    const fulfilled = createdMs < endMs - 3 * DAY && r(5) < 0.85;
    return {
      index: j,
      id: resourceId("Order", this.shopNumber, j),
      number: 1001 + j,
      customerIndex,
      email: customer?.email ?? `guest.${j}@example.com`,
      lines,
      discountCodes: discounted
        ? [{ code: "WELCOME10", amountCents: discount, type: "percentage", value: "10.0" }]
        : [],
      subtotalCents: subtotal - discount,
      discountCents: discount,
      shippingCents: 0,
      taxCents: tax,
      totalCents: subtotal - discount + tax,
      refundedCents: 0,
      financialStatus: "PAID",
      fulfillmentStatus: fulfilled ? "FULFILLED" : "UNFULFILLED",
      fulfillments: fulfilled
        ? [{ id: resourceId("Fulfillment", this.shopNumber, j), createdAt: new Date(createdMs + DAY).toISOString() }]
        : [],
      refunds: [],
      cancelledAt: null,
      cancelReason: null,
      createdAt: created,
      updatedAt: fulfilled ? new Date(createdMs + DAY).toISOString() : created,
      processedAt: created,
    };
  }
}

/**
 * Where an order ships: what checkout recorded, else the buyer's default address, else a street of the buyer's own
 * (every physical order ships somewhere, and two different buyers do not share a home by accident).
 */
export function shippingAddressOf(order: OrderRecord, customer: CustomerRecord | undefined): AddressRecord {
  if (order.shippingAddress) return order.shippingAddress;
  if (customer?.address) return customer.address;
  const who = customer ? `c${customer.index}` : `o${order.index}`;
  const street = 1 + ((customer?.index ?? order.index) % 9000);
  return {
    id: `${order.id}0`,
    firstName: customer?.firstName ?? "",
    lastName: customer?.lastName ?? "",
    address1: `${street} Sandbox Lane (${who})`,
    address2: null,
    city: "Ottawa",
    province: "Ontario",
    provinceCode: "ON",
    country: "Canada",
    countryCode: "CA",
    zip: "K1A 0A1",
    phone: customer?.phone ?? null,
    company: null,
  };
}
