import { randomBytes } from "node:crypto";
import { decimalAmount, graphqlDecimal } from "../money";
import { allocate, orderFigures, refundable, refundUnits, taxOn, type PlannedRefundLine } from "../order-math";
import * as payloads from "../payloads";
import type { ShopRecord } from "../shops";
import {
  CATALOG,
  type AddressRecord,
  type CustomerRecord,
  type EditRecord,
  type OrderLine,
  type OrderRecord,
  type RefundRecord,
} from "../store/index";
import { iso, type OperationsBase, SandboxError } from "./base";
import type { CustomerOperations } from "./customers";
import type { AutomaticCheckoutDiscount, CheckoutDiscount, DiscountOperations } from "./discounts";
import type { SegmentOperations } from "./segments";
import type { StoreCreditOperations } from "./store-credit";

/** Each line's goods in minor units: gift cards count 0, as discounts never apply to them. Throws on an unknown product. */
function goodsOf(lines: { productIndex: number; quantity: number }[]): number[] {
  return lines.map((l) => {
    const product = CATALOG[l.productIndex];
    if (!product) throw new SandboxError(`No product ${l.productIndex}`, ["lines"]);
    return product.giftCard ? 0 : product.cents * l.quantity;
  });
}

/** Orders from checkout to refund, and abandoned checkouts, each firing the webhooks Shopify fires for it. */
export class OrderOperations {
  constructor(
    private readonly base: OperationsBase,
    private readonly customers: CustomerOperations,
    private readonly segments: SegmentOperations,
    private readonly discounts: DiscountOperations,
    private readonly storeCredit: StoreCreditOperations,
  ) {}

  /** A new line priced as the shop prices: gift cards untaxed, tax per line (inside the price in a VAT shop). */
  private priceLine(
    shop: ShopRecord,
    wanted: { productIndex: number; quantity: number },
    discountCents: number,
    taxExempt: boolean,
  ): OrderLine {
    const product = CATALOG[wanted.productIndex];
    if (!product) throw new SandboxError(`No product ${wanted.productIndex}`, ["lines"]);
    const gross = product.cents * wanted.quantity;
    const taxed = !product.giftCard && !taxExempt;
    return {
      id: shop.store.nextId("LineItem"),
      productIndex: wanted.productIndex,
      title: product.title,
      sku: product.sku,
      quantity: wanted.quantity,
      unitCents: product.cents,
      ...(product.giftCard ? { giftCard: true } : {}),
      discountCents,
      taxCents: taxed ? taxOn(gross - discountCents, shop.taxRate, shop.taxesIncluded) : 0,
    };
  }

  /**
   * What a discount code takes off these lines for this customer, by checkout's rules (DiscountOperations.atCheckout);
   * throws checkout's refusal, a SandboxError, when it does not apply. The storefront's cart asks it too.
   */
  discountFor(
    shop: ShopRecord,
    input: {
      customer: CustomerRecord | undefined;
      lines: { productIndex: number; quantity: number }[];
      discountCode: string;
      /** Shipping charged, in minor units. */
      shippingCents?: number;
    },
  ): CheckoutDiscount {
    const products = input.lines.map((l) => CATALOG[l.productIndex]!);
    return this.discounts.atCheckout(shop, input.discountCode, {
      customer: input.customer,
      goodsCents: goodsOf(input.lines).reduce((s, g) => s + g, 0),
      goodsUnits: input.lines.map((l, i) => (products[i]!.giftCard ? 0 : l.quantity)),
      unitCents: products.map((p) => p.cents),
      shippingCents: input.shippingCents ?? 0,
    });
  }

  /**
   * A checkout completed: a discount code applied as checkout applies it (refused with checkout's words when it does
   * not), a guest's customer created or reused by email, the order paid. Fires orders/create, orders/paid,
   * customers/update and customers/purchasing_summary, and segment moves.
   */
  place(
    shop: ShopRecord,
    input: {
      customerId?: string | null;
      email?: string;
      lines: { productIndex: number; quantity: number }[];
      discountCode?: string;
      shippingCents?: number;
      /** Pay with the customer's store credit in the shop's currency: all it covers (true), or up to an amount. */
      useStoreCredit?: boolean | number;
      /** Where it ships, as typed at checkout; by default the customer's address (`shippingAddressOf`). */
      shippingAddress?: Partial<AddressRecord>;
    },
  ): OrderRecord {
    const store = shop.store;
    let customer = input.customerId ? store.customers.findById(input.customerId) : undefined;
    if (input.customerId && !customer) throw new SandboxError("Customer does not exist", ["customerId"], "NOT_FOUND");
    if (!customer && input.email) customer = store.customers.findByEmail(input.email);
    const goods = goodsOf(input.lines);
    const shipping = input.shippingCents ?? 0;
    const entered = input.discountCode?.trim()
      ? this.discountFor(shop, {
          customer,
          lines: input.lines,
          discountCode: input.discountCode,
          shippingCents: shipping,
        })
      : undefined;
    const products = input.lines.map((l) => CATALOG[l.productIndex]!);
    const eligible = this.discounts.automaticAtCheckout(shop, {
      customer,
      goodsCents: goods.reduce((sum, g) => sum + g, 0),
      goodsUnits: input.lines.map((l, i) => (products[i]!.giftCard ? 0 : l.quantity)),
      unitCents: products.map((p) => p.cents),
    });
    // An order discount from a code and an automatic one do not combine here (combinesWith is not enforced): the
    // shopper gets the better of the two, as Shopify's checkout does for discounts that cannot combine.
    const codeWins =
      !eligible ||
      !entered ||
      entered.goodsDiscountCents === 0 ||
      entered.goodsDiscountCents >= eligible.goodsDiscountCents;
    const discount = codeWins ? entered : undefined;
    const automatic = eligible && (!entered || entered.goodsDiscountCents === 0 || !codeWins) ? eligible : undefined;
    const credit = input.useStoreCredit ? customer && this.storeCredit.describe(shop, customer.id) : null;
    if (input.useStoreCredit && !credit?.account.balanceCents)
      throw new SandboxError("There is no store credit to use", ["storeCredit"], "INVALID");
    // A guest checkout creates (or reuses) a DISABLED customer for the email, as Shopify does, once it goes through.
    if (!customer && input.email) customer = this.customers.create(shop, { email: input.email, state: "DISABLED" });
    const segmentsBefore = this.segments.membershipOf(shop, customer);
    const goodsDiscount = (discount?.goodsDiscountCents ?? 0) + (automatic?.goodsDiscountCents ?? 0);
    const discounts = allocate(goodsDiscount, goods);
    const lines = input.lines.map((l, i) => this.priceLine(shop, l, discounts[i]!, customer?.taxExempt ?? false));
    const now = iso();
    const order = store.orders.add((index, id, number) => {
      const record: OrderRecord = {
        index,
        id,
        number,
        customerIndex: customer?.index ?? null,
        email: customer?.email ?? input.email ?? null,
        lines,
        discountCodes: discount ? [orderDiscountCode(discount, shop.currency)] : [],
        ...(automatic ? { automaticDiscounts: [orderAutomaticDiscount(automatic, shop.currency)] } : {}),
        subtotalCents: 0,
        discountCents: goodsDiscount,
        shippingCents: shipping,
        ...(discount?.shippingDiscountCents ? { shippingDiscountCents: discount.shippingDiscountCents } : {}),
        taxCents: 0,
        totalCents: 0,
        refundedCents: 0,
        taxesIncluded: shop.taxesIncluded,
        edits: [],
        financialStatus: "PAID",
        fulfillmentStatus: "UNFULFILLED",
        fulfillments: [],
        refunds: [],
        cancelledAt: null,
        cancelReason: null,
        createdAt: now,
        updatedAt: now,
        processedAt: now,
        currency: shop.currency,
        ...(input.shippingAddress ? { shippingAddress: typedAddress(input.shippingAddress, id, customer) } : {}),
      };
      Object.assign(record, totalsOf(record));
      record.receivedCents = record.totalCents;
      const fromCredit = credit
        ? Math.min(
            credit.account.balanceCents,
            record.totalCents,
            typeof input.useStoreCredit === "number" ? input.useStoreCredit : Infinity,
          )
        : 0;
      record.payments = [
        ...(fromCredit > 0
          ? [
              {
                gateway: "shopify_store_credit" as const,
                amountCents: fromCredit,
                transactionId: store.nextId("OrderTransaction"),
              },
            ]
          : []),
        ...(record.totalCents - fromCredit > 0
          ? [
              {
                gateway: "bogus" as const,
                amountCents: record.totalCents - fromCredit,
                transactionId: store.nextId("OrderTransaction"),
              },
            ]
          : []),
      ];
      return record;
    });
    const creditPayment = order.payments?.find((p) => p.gateway === "shopify_store_credit");
    if (creditPayment && customer)
      this.storeCredit.debit(shop, { customerId: customer.id }, creditPayment.amountCents, shop.currency, {
        event: "ORDER_PAYMENT",
        origin: { orderId: order.id, transactionId: creditPayment.transactionId },
      });
    if (discount) this.discounts.recordUse(discount, customer, order.totalCents);
    if (automatic) this.discounts.recordAutomaticUse(automatic);
    const info = this.base.info(shop);
    this.base.emit(shop, "orders/create", payloads.orderPayload("orders/create", info, order));
    this.base.emit(shop, "orders/paid", payloads.orderPayload("orders/paid", info, order));
    if (customer)
      this.customers.changed(
        shop,
        customer,
        store.customers.update(customer.index, () => undefined, now),
        segmentsBefore,
      );
    this.purchasingSummary(shop, order);
    return order;
  }

  /**
   * A staff order edit, committed: new line items for what is added, removed units on existing lines. The order's
   * figures follow; money owed either way is left for a payment or a refund, as Shopify leaves it.
   */
  edit(
    shop: ShopRecord,
    orderId: string,
    input: { add: { productIndex: number; quantity: number }[]; remove: { lineItemId: string; quantity: number }[] },
  ): OrderRecord {
    const order = this.orderOrThrow(shop, orderId);
    if (order.cancelledAt) throw new SandboxError("A cancelled order can't be edited", ["orderId"]);
    if (input.add.length === 0 && input.remove.length === 0)
      throw new SandboxError("An edit must add or remove something", ["lineItems"]);
    const customer = order.customerIndex === null ? undefined : shop.store.customers.find(order.customerIndex);
    const segmentsBefore = this.segments.membershipOf(shop, customer);
    const rows = refundable(order);
    const now = iso();
    const edit: EditRecord = {
      id: shop.store.nextId("OrderEdit"),
      committedAt: now,
      additions: [],
      removals: [],
    };
    const after = shop.store.orders.update(
      order.index,
      (o) => {
        for (const wanted of input.remove) {
          const lineId = wanted.lineItemId.replace(/^gid:\/\/shopify\/LineItem\//, "");
          const row = rows.find((r) => r.lineId === lineId);
          const line = o.lines.find((l) => l.id === lineId);
          if (!row || !line) throw new SandboxError(`Order has no line item ${wanted.lineItemId}`, ["lineItems"]);
          if (!Number.isInteger(wanted.quantity) || wanted.quantity < 1 || wanted.quantity > row.quantity)
            throw new SandboxError(`Quantity for line item ${lineId} must be between 1 and ${row.quantity}`, [
              "lineItems",
              "quantity",
            ]);
          line.removed = (line.removed ?? 0) + wanted.quantity;
          edit.removals.push({ lineId, delta: wanted.quantity });
        }
        for (const wanted of input.add) {
          if (!Number.isInteger(wanted.quantity) || wanted.quantity < 1)
            throw new SandboxError("Quantity must be at least 1", ["lineItems", "quantity"]);
          const line = this.priceLine(shop, wanted, 0, customer?.taxExempt ?? false);
          o.lines.push(line);
          edit.additions.push({ lineId: line.id, delta: wanted.quantity });
        }
        Object.assign(o, totalsOf(o));
        o.edits = [...(o.edits ?? []), edit];
        const outstanding = o.totalCents - o.refundedCents - ((o.receivedCents ?? o.totalCents) - o.refundedCents);
        if (outstanding > 0) o.financialStatus = "PARTIALLY_PAID";
      },
      now,
    );
    if (order.customerIndex !== null)
      shop.store.orders.adjustSpent(order.customerIndex, 0, after.totalCents - order.totalCents);
    const info = this.base.info(shop);
    this.base.emit(shop, "orders/edited", payloads.orderEditedPayload(after, edit));
    this.base.emit(shop, "orders/updated", payloads.orderPayload("orders/updated", info, after));
    this.segments.settle(shop, segmentsBefore, customer);
    return after;
  }

  private orderOrThrow(shop: ShopRecord, orderId: string) {
    const order = shop.store.orders.findById(orderId);
    if (!order) throw new SandboxError("Order does not exist", ["orderId"], "NOT_FOUND");
    return order;
  }

  fulfil(shop: ShopRecord, orderId: string): OrderRecord {
    const order = this.orderOrThrow(shop, orderId);
    const now = iso();
    const after = shop.store.orders.update(
      order.index,
      (o) => {
        o.fulfillmentStatus = "FULFILLED";
        o.fulfillments.push({ id: shop.store.nextId("Fulfillment"), createdAt: now });
      },
      now,
    );
    const info = this.base.info(shop);
    this.base.emit(shop, "orders/fulfilled", payloads.orderPayload("orders/fulfilled", info, after));
    this.base.emit(shop, "orders/updated", payloads.orderPayload("orders/updated", info, after));
    return after;
  }

  /**
   * Refunds lines (whole units), an amount typed without lines, or with neither everything left (shipping included).
   * Recorded as Shopify records it: refund line items only for lines the merchant picked, shipping in
   * `refund_shipping_lines`, one transaction (whose status says whether money moved) and a `refund_discrepancy` order
   * adjustment wherever the money differs from the lines and shipping (positive: the merchant kept it, e.g. a
   * restocking fee; negative: the customer got more, e.g. an amount typed with no lines).
   */
  refund(
    shop: ShopRecord,
    orderId: string,
    input: {
      lines?: { lineItemId: string; quantity: number }[];
      amountCents?: number;
      note?: string;
      shippingCents?: number;
      restockingFeeCents?: number;
      viaReturn?: boolean;
      transactionStatus?: "success" | "failure";
      restockOnly?: boolean;
    },
  ): OrderRecord {
    const order = this.orderOrThrow(shop, orderId);
    const customer = order.customerIndex === null ? undefined : shop.store.customers.find(order.customerIndex);
    const segmentsBefore = this.segments.membershipOf(shop, customer);
    const left = order.totalCents - order.refundedCents;
    const rows = refundable(order);
    const restockType = input.viaReturn || input.restockOnly ? "return" : "no_restock";
    const shippingLeft =
      order.shippingCents -
      (order.shippingDiscountCents ?? 0) -
      order.refunds.filter((r) => r.status === "success").reduce((s, r) => s + r.shippingCents, 0);
    let planned: PlannedRefundLine[];
    const everything = !input.lines?.length && input.amountCents === undefined;
    if (input.lines?.length) {
      planned = input.lines.map((wanted) => {
        const lineId = wanted.lineItemId.replace(/^gid:\/\/shopify\/LineItem\//, "");
        const row = rows.find((r) => r.lineId === lineId);
        if (!row) throw new SandboxError(`Order has no line item ${wanted.lineItemId}`, ["refundLineItems"]);
        if (!Number.isInteger(wanted.quantity) || wanted.quantity < 1 || wanted.quantity > row.quantity)
          throw new SandboxError(`Quantity for line item ${lineId} must be between 1 and ${row.quantity}`, [
            "refundLineItems",
            "quantity",
          ]);
        return refundUnits(row, wanted.quantity, restockType);
      });
    } else if (everything) {
      planned = rows
        .filter((r) => r.quantity > 0 || r.subtotalCents > 0)
        .map((r) => refundUnits(r, r.quantity, restockType));
    } else {
      planned = [];
    }
    const included = order.taxesIncluded ?? false;
    const linesMoney = planned.reduce((s, l) => s + l.subtotalCents + (included ? 0 : l.taxCents), 0);
    const shipping = input.shippingCents ?? (everything ? shippingLeft : 0);
    if (shipping < 0 || shipping > shippingLeft)
      throw new SandboxError(`Shipping refund must be between 0 and ${decimalAmount(shippingLeft, shop.currency)}`, [
        "shipping",
      ]);
    const fee = input.restockingFeeCents ?? 0;
    const calculated = linesMoney + shipping;
    const amount = input.restockOnly ? 0 : (input.amountCents ?? calculated - fee);
    if (input.restockOnly) {
      if (planned.length === 0) throw new SandboxError("A restock needs line items", ["refundLineItems"]);
    } else if (amount <= 0 || amount > left) {
      throw new SandboxError(
        `Refund amount must be between ${decimalAmount(1, shop.currency)} and ${decimalAmount(left, shop.currency)}`,
        ["amount"],
      );
    }
    const status = input.restockOnly ? null : (input.transactionStatus ?? "success");
    const now = iso();
    const discrepancy = input.restockOnly ? 0 : calculated - amount;
    const refund: RefundRecord = {
      id: shop.store.nextId("Refund"),
      createdAt: now,
      amountCents: amount,
      status,
      shippingCents: shipping,
      adjustments:
        discrepancy !== 0
          ? [
              {
                id: shop.store.nextId("OrderAdjustment"),
                kind: "refund_discrepancy",
                amountCents: discrepancy,
                reason: fee > 0 && discrepancy === fee ? "restock" : "Refund discrepancy",
              },
            ]
          : [],
      returnId: input.viaReturn ? shop.store.nextId("Return") : null,
      note: input.note ?? null,
      userId: shop.staff[0]!.id,
      transactionId: shop.store.nextId("OrderTransaction"),
      lines: planned.map((l) => ({ ...l, id: shop.store.nextId("RefundLineItem") })),
    };
    const given = status === "success" ? amount : 0;
    const after = shop.store.orders.update(
      order.index,
      (o) => {
        o.refundedCents += given;
        o.refunds.push(refund);
        if (o.refundedCents >= o.totalCents) o.financialStatus = "REFUNDED";
        else if (o.refundedCents > 0) o.financialStatus = "PARTIALLY_REFUNDED";
      },
      now,
    );
    if (order.customerIndex !== null && given > 0) shop.store.orders.adjustSpent(order.customerIndex, 0, -given);
    const info = this.base.info(shop);
    this.base.emit(shop, "refunds/create", payloads.refundPayload(info, after, refund));
    this.base.emit(shop, "orders/updated", payloads.orderPayload("orders/updated", info, after));
    this.purchasingSummary(shop, after);
    this.segments.settle(shop, segmentsBefore, customer);
    return after;
  }

  /** Shopify's customers/purchasing_summary: the customer's order count and amount spent after this order changed. */
  private purchasingSummary(shop: ShopRecord, order: OrderRecord) {
    if (order.customerIndex === null) return;
    const customer = shop.store.customers.find(order.customerIndex);
    if (!customer) return;
    const stats = shop.store.orders.statsOf(customer.index);
    this.base.emit(
      shop,
      "customers/purchasing_summary",
      payloads.purchasingSummaryPayload(this.base.info(shop), customer, stats, order),
    );
  }

  cancel(shop: ShopRecord, orderId: string, reason = "CUSTOMER"): OrderRecord {
    const order = this.orderOrThrow(shop, orderId);
    if (order.cancelledAt) throw new SandboxError("Order has already been cancelled", ["orderId"]);
    const now = iso();
    const after = shop.store.orders.update(
      order.index,
      (o) => {
        o.cancelledAt = now;
        o.cancelReason = reason;
      },
      now,
    );
    const info = this.base.info(shop);
    this.base.emit(shop, "orders/cancelled", payloads.orderPayload("orders/cancelled", info, after));
    this.base.emit(shop, "orders/updated", payloads.orderPayload("orders/updated", info, after));
    return after;
  }

  /**
   * A shopper reaches checkout and leaves: checkouts/create, then checkouts/update as the contact is filled in. A guest
   * who typed an email gets a DISABLED customer for it (or the one that email already has), as Shopify makes one for
   * an abandoned checkout's contact (its Abandonment always has a customer); the checkout embeds that customer.
   */
  abandonCheckout(shop: ShopRecord, input: { customerId?: string; email?: string; productIndex?: number }) {
    let customer = input.customerId ? shop.store.customers.findById(input.customerId) : undefined;
    if (input.customerId && !customer) throw new SandboxError("Customer does not exist", ["customerId"], "NOT_FOUND");
    if (!customer && input.email)
      customer =
        shop.store.customers.findByEmail(input.email) ??
        this.customers.create(shop, { email: input.email, state: "DISABLED" });
    const product = CATALOG[input.productIndex ?? 0]!;
    const now = iso();
    const checkout = shop.store.checkouts.add((index, id) => ({
      index,
      id,
      token: randomBytes(16).toString("hex"),
      customerIndex: customer?.index ?? null,
      email: customer?.email ?? input.email ?? null,
      lines: [
        {
          id: shop.store.nextId("LineItem"),
          productIndex: input.productIndex ?? 0,
          title: product.title,
          sku: product.sku,
          quantity: 1,
          unitCents: product.cents,
        },
      ],
      totalCents: product.cents,
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    }));
    const info = this.base.info(shop);
    this.base.emit(shop, "checkouts/create", payloads.checkoutPayload("checkouts/create", info, checkout));
    this.base.emit(shop, "checkouts/update", payloads.checkoutPayload("checkouts/update", info, checkout));
    return checkout;
  }
}

/** An order's figures from its lines: subtotal and tax for the units still on it, and the total the customer owes. */
export function totalsOf(o: OrderRecord): { subtotalCents: number; taxCents: number; totalCents: number } {
  const { subtotalCents, taxCents } = orderFigures(o);
  const totalCents =
    subtotalCents + (o.taxesIncluded ? 0 : taxCents) + o.shippingCents - (o.shippingDiscountCents ?? 0);
  return { subtotalCents, taxCents, totalCents };
}

/** The code as the order records it: what it took off, and its kind as REST's discount_codes[].type names it. */
function orderDiscountCode(discount: CheckoutDiscount, currency: string): OrderRecord["discountCodes"][number] {
  const value = discount.record.value;
  const amountCents = discount.goodsDiscountCents + discount.shippingDiscountCents;
  if ("freeShipping" in value) return { code: discount.record.code, amountCents, type: "shipping", value: "100.0" };
  if ("percentage" in value) {
    const percent = Math.round(value.percentage * 10000) / 100;
    return {
      code: discount.record.code,
      amountCents,
      type: "percentage",
      value: percent
        .toFixed(2)
        .replace(/(\.\d*?)0+$/, "$1")
        .replace(/\.$/, ".0"),
    };
  }
  return {
    code: discount.record.code,
    amountCents,
    type: "fixed_amount",
    value: graphqlDecimal(value.amountCents, currency),
  };
}

/** An automatic discount as the order records it: its title, what it took off, its kind and value as REST writes them. */
function orderAutomaticDiscount(
  discount: AutomaticCheckoutDiscount,
  currency: string,
): NonNullable<OrderRecord["automaticDiscounts"]>[number] {
  const value = discount.record.value;
  const { title } = discount.record;
  const amountCents = discount.goodsDiscountCents;
  if ("percentage" in value) {
    const percent = Math.round(value.percentage * 10000) / 100;
    return {
      title,
      amountCents,
      type: "percentage",
      value: percent
        .toFixed(2)
        .replace(/(\.\d*?)0+$/, "$1")
        .replace(/\.$/, ".0"),
    };
  }
  return { title, amountCents, type: "fixed_amount", value: graphqlDecimal(value.amountCents, currency) };
}

/** An address as a shopper types it at checkout: what they left out is blank, their name taken from the customer. */
function typedAddress(
  typed: Partial<AddressRecord>,
  orderId: string,
  customer: CustomerRecord | undefined,
): AddressRecord {
  return {
    id: `${orderId}1`,
    firstName: customer?.firstName ?? "",
    lastName: customer?.lastName ?? "",
    address2: null,
    city: "",
    province: "",
    provinceCode: "",
    country: "Canada",
    countryCode: "CA",
    zip: "",
    phone: null,
    company: null,
    address1: "",
    ...typed,
  };
}
