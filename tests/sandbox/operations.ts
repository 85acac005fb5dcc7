import { randomBytes } from "node:crypto";
import * as payloads from "./payloads";
import { decimalAmount } from "./money";
import type { ShopRecord } from "./shops";
import { allocate, orderFigures, refundable, refundUnits, taxOn, type PlannedRefundLine } from "./order-math";
import {
  CATALOG,
  type CustomerRecord,
  type DiscountCodeRecord,
  type EditRecord,
  type MetafieldRecord,
  type OrderLine,
  type OrderRecord,
  type RefundRecord,
} from "./store";
import type { WebhookDispatcher } from "./webhooks";

export class SandboxError extends Error {
  constructor(
    message: string,
    readonly field: string[] | null = null,
    readonly code = "INVALID",
  ) {
    super(message);
  }
}

const iso = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * Store changes, each firing the webhooks Shopify fires for it. GraphQL mutations and the control API both go through
 * here, so an app mutation and a shopper action look the same to webhook subscribers.
 */
export class Operations {
  constructor(private readonly webhooks: WebhookDispatcher) {}

  private info(shop: ShopRecord): payloads.ShopInfo {
    return {
      domain: shop.domain,
      numericId: shop.numericId,
      currency: shop.currency,
      taxRate: shop.taxRate,
      store: shop.store,
    };
  }

  emit(shop: ShopRecord, topic: string, body: string) {
    return this.webhooks.emit(shop.domain, topic, body);
  }

  private customerChanged(shop: ShopRecord, before: CustomerRecord | undefined, after: CustomerRecord) {
    const info = this.info(shop);
    if (!before) {
      this.emit(shop, "customers/create", payloads.customerPayload("customers/create", info, after));
      // Tags given at creation reach apps as customer.tags_added at the creation instant (2025-01 and later).
      if (after.tags.length)
        this.emit(shop, "customer.tags_added", payloads.customerTagsPayload("customer.tags_added", after, after.tags));
      return;
    }
    this.emit(shop, "customers/update", payloads.customerPayload("customers/update", info, after));
    if (before.state !== "ENABLED" && after.state === "ENABLED")
      this.emit(shop, "customers/enable", payloads.customerPayload("customers/enable", info, after));
    if (before.state === "ENABLED" && after.state === "DISABLED")
      this.emit(shop, "customers/disable", payloads.customerPayload("customers/disable", info, after));
    const added = after.tags.filter((t) => !before.tags.includes(t));
    const removed = before.tags.filter((t) => !after.tags.includes(t));
    if (added.length)
      this.emit(shop, "customer.tags_added", payloads.customerTagsPayload("customer.tags_added", after, added));
    if (removed.length)
      this.emit(shop, "customer.tags_removed", payloads.customerTagsPayload("customer.tags_removed", after, removed));
    if (before.marketing.state !== after.marketing.state)
      this.emit(shop, "customers_email_marketing_consent/update", payloads.marketingConsentPayload(after));
  }

  createCustomer(shop: ShopRecord, fields: Partial<CustomerRecord>): CustomerRecord {
    if (!fields.email && !fields.phone && !fields.firstName && !fields.lastName)
      throw new SandboxError("A name, phone number, or email address must be present", null, "BLANK");
    if (fields.email && shop.store.findCustomerByEmail(fields.email))
      throw new SandboxError("Email has already been taken", ["email"], "TAKEN");
    const now = iso();
    const { index: _i, id: _id, ...rest } = fields as CustomerRecord;
    const customer = shop.store.addCustomer(rest, now);
    this.customerChanged(shop, undefined, customer);
    return customer;
  }

  updateCustomer(shop: ShopRecord, index: number, change: (c: CustomerRecord) => void): CustomerRecord {
    const before = shop.store.findCustomer(index);
    if (!before) throw new SandboxError("Customer does not exist", ["id"], "NOT_FOUND");
    const after = shop.store.updateCustomer(index, change, iso());
    if (after.email && after.email !== before.email) {
      const other = shop.store.findCustomerByEmail(after.email);
      if (other && other.index !== index) {
        shop.store.customerOverrides.set(index, before);
        throw new SandboxError("Email has already been taken", ["email"], "TAKEN");
      }
    }
    this.customerChanged(shop, before, after);
    return after;
  }

  deleteCustomer(shop: ShopRecord, index: number) {
    const customer = shop.store.findCustomer(index);
    if (!customer) throw new SandboxError("Customer can't be found", ["id"], "NOT_FOUND");
    if (shop.store.customerOrderStats(index).count > 0)
      throw new SandboxError("Customer can’t be deleted because they have associated orders", ["id"], "INVALID");
    shop.store.deleteCustomer(index);
    this.emit(shop, "customers/delete", payloads.customerDeletePayload(customer.id));
  }

  /**
   * Shopify's customer merge, completed: the merged customer's orders move to the one kept, the kept one takes the
   * union of both tag lists (customers/update and customer.tags_added for what is new), then customers/merge names
   * both, then the merged customer is deleted (customers/delete).
   */
  mergeCustomers(shop: ShopRecord, keptIndex: number, mergedIndex: number) {
    const kept = shop.store.findCustomer(keptIndex);
    const merged = shop.store.findCustomer(mergedIndex);
    if (!kept || !merged) throw new SandboxError("Customer does not exist", ["customerIds"], "NOT_FOUND");
    if (keptIndex === mergedIndex) throw new SandboxError("A customer cannot be merged into itself", ["customerIds"]);
    const now = iso();
    shop.store.mergeCustomerOrders(mergedIndex, keptIndex, now);
    const after = this.updateCustomer(shop, keptIndex, (c) => {
      c.tags = [...new Set([...c.tags, ...merged.tags])].sort();
    });
    const jobId = randomBytes(8).toString("hex");
    this.emit(shop, "customers/merge", payloads.customerMergePayload(kept.id, merged.id, jobId));
    shop.store.deleteCustomer(mergedIndex);
    this.emit(shop, "customers/delete", payloads.customerDeletePayload(merged.id));
    return { kept: after, mergedId: merged.id, jobId };
  }

  /** The merchant edits the store's details (currency, time zone, name): shop/update. */
  updateShop(shop: ShopRecord, change: { currency?: string; timezone?: string; name?: string }) {
    if (change.currency && !/^[A-Z]{3}$/.test(change.currency))
      throw new SandboxError("Currency must be an ISO 4217 code", ["currency"]);
    if (change.currency) shop.currency = change.currency;
    if (change.timezone) shop.timezone = change.timezone;
    if (change.name) shop.name = change.name;
    const updatedAt = iso();
    this.emit(shop, "shop/update", payloads.shopUpdatePayload({ ...this.info(shop), ...shop }, updatedAt));
    return { shop: shop.domain, currency: shop.currency, timezone: shop.timezone, name: shop.name, updatedAt };
  }

  /** A shopper signs up for an account: a new ENABLED customer, or an existing guest becoming ENABLED. */
  createCustomerAccount(
    shop: ShopRecord,
    input: { email: string; firstName?: string; lastName?: string; acceptsMarketing?: boolean },
  ) {
    const existing = shop.store.findCustomerByEmail(input.email);
    const marketing = input.acceptsMarketing
      ? { state: "SUBSCRIBED" as const, optInLevel: "SINGLE_OPT_IN" as const, updatedAt: iso() }
      : undefined;
    if (existing) {
      return this.updateCustomer(shop, existing.index, (c) => {
        c.state = "ENABLED";
        c.verifiedEmail = true;
        if (input.firstName) c.firstName = input.firstName;
        if (input.lastName) c.lastName = input.lastName;
        if (marketing) c.marketing = marketing;
      });
    }
    return this.createCustomer(shop, {
      email: input.email,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      state: "ENABLED",
      verifiedEmail: true,
      ...(marketing ? { marketing } : {}),
    });
  }

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

  placeOrder(
    shop: ShopRecord,
    input: {
      customerId?: string | null;
      email?: string;
      lines: { productIndex: number; quantity: number }[];
      discountCode?: string;
      shippingCents?: number;
    },
  ): OrderRecord {
    const store = shop.store;
    let customer = input.customerId ? store.findCustomerById(input.customerId) : undefined;
    if (input.customerId && !customer) throw new SandboxError("Customer does not exist", ["customerId"], "NOT_FOUND");
    if (!customer && input.email) {
      // A guest checkout creates (or reuses) a DISABLED customer for the email, as Shopify does.
      customer =
        store.findCustomerByEmail(input.email) ?? this.createCustomer(shop, { email: input.email, state: "DISABLED" });
    }
    for (const l of input.lines) {
      if (!CATALOG[l.productIndex]) throw new SandboxError(`No product ${l.productIndex}`, ["lines"]);
    }
    // Discounts apply to goods, never to gift cards.
    const goods = input.lines.map((l) =>
      CATALOG[l.productIndex]!.giftCard ? 0 : CATALOG[l.productIndex]!.cents * l.quantity,
    );
    const goodsTotal = goods.reduce((s, g) => s + g, 0);
    let discount = 0;
    const codes: { code: string; amountCents: number }[] = [];
    if (input.discountCode) {
      const code = store.discountCodes.find((d) => d.code.toLowerCase() === input.discountCode!.toLowerCase());
      if (!code) throw new SandboxError(`Discount code ${input.discountCode} is not valid`, ["discountCode"]);
      if (code.customerIds !== "all" && (!customer || !code.customerIds.includes(customer.id)))
        throw new SandboxError(`Discount code ${code.code} is not available to this customer`, ["discountCode"]);
      if (code.usageLimit !== null && code.usageCount >= code.usageLimit)
        throw new SandboxError(`Discount code ${code.code} has reached its usage limit`, ["discountCode"]);
      discount =
        "percentage" in code.value
          ? Math.round(goodsTotal * code.value.percentage)
          : Math.min(goodsTotal, code.value.amountCents);
      code.usageCount += 1;
      codes.push({ code: code.code, amountCents: discount });
    }
    const discounts = allocate(discount, goods);
    const lines = input.lines.map((l, i) => this.priceLine(shop, l, discounts[i]!, customer?.taxExempt ?? false));
    const shipping = input.shippingCents ?? 0;
    const now = iso();
    const order = store.addOrder((index, id, number) => {
      const record: OrderRecord = {
        index,
        id,
        number,
        customerIndex: customer?.index ?? null,
        email: customer?.email ?? input.email ?? null,
        lines,
        discountCodes: codes,
        subtotalCents: 0,
        discountCents: discount,
        shippingCents: shipping,
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
      };
      Object.assign(record, totalsOf(record));
      record.receivedCents = record.totalCents;
      return record;
    });
    const info = this.info(shop);
    this.emit(shop, "orders/create", payloads.orderPayload("orders/create", info, order));
    this.emit(shop, "orders/paid", payloads.orderPayload("orders/paid", info, order));
    if (customer)
      this.customerChanged(
        shop,
        customer,
        store.updateCustomer(customer.index, () => undefined, now),
      );
    this.purchasingSummary(shop, order);
    return order;
  }

  /**
   * A staff order edit, committed: new line items for what is added, removed units on existing lines. The order's
   * figures follow; money owed either way is left for a payment or a refund, as Shopify leaves it.
   */
  editOrder(
    shop: ShopRecord,
    orderId: string,
    input: { add: { productIndex: number; quantity: number }[]; remove: { lineItemId: string; quantity: number }[] },
  ): OrderRecord {
    const order = this.orderOrThrow(shop, orderId);
    if (order.cancelledAt) throw new SandboxError("A cancelled order can't be edited", ["orderId"]);
    if (input.add.length === 0 && input.remove.length === 0)
      throw new SandboxError("An edit must add or remove something", ["lineItems"]);
    const customer = order.customerIndex === null ? undefined : shop.store.findCustomer(order.customerIndex);
    const rows = refundable(order);
    const now = iso();
    const edit: EditRecord = {
      id: shop.store.nextId("OrderEdit"),
      committedAt: now,
      additions: [],
      removals: [],
    };
    const after = shop.store.updateOrder(
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
      shop.store.adjustSpent(order.customerIndex, 0, after.totalCents - order.totalCents);
    const info = this.info(shop);
    this.emit(shop, "orders/edited", payloads.orderEditedPayload(after, edit));
    this.emit(shop, "orders/updated", payloads.orderPayload("orders/updated", info, after));
    return after;
  }

  private orderOrThrow(shop: ShopRecord, orderId: string) {
    const order = shop.store.findOrderById(orderId);
    if (!order) throw new SandboxError("Order does not exist", ["orderId"], "NOT_FOUND");
    return order;
  }

  fulfil(shop: ShopRecord, orderId: string): OrderRecord {
    const order = this.orderOrThrow(shop, orderId);
    const now = iso();
    const after = shop.store.updateOrder(
      order.index,
      (o) => {
        o.fulfillmentStatus = "FULFILLED";
        o.fulfillments.push({ id: shop.store.nextId("Fulfillment"), createdAt: now });
      },
      now,
    );
    const info = this.info(shop);
    this.emit(shop, "orders/fulfilled", payloads.orderPayload("orders/fulfilled", info, after));
    this.emit(shop, "orders/updated", payloads.orderPayload("orders/updated", info, after));
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
    const left = order.totalCents - order.refundedCents;
    const rows = refundable(order);
    const restockType = input.viaReturn || input.restockOnly ? "return" : "no_restock";
    const shippingLeft =
      order.shippingCents -
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
    const after = shop.store.updateOrder(
      order.index,
      (o) => {
        o.refundedCents += given;
        o.refunds.push(refund);
        if (o.refundedCents >= o.totalCents) o.financialStatus = "REFUNDED";
        else if (o.refundedCents > 0) o.financialStatus = "PARTIALLY_REFUNDED";
      },
      now,
    );
    if (order.customerIndex !== null && given > 0) shop.store.adjustSpent(order.customerIndex, 0, -given);
    const info = this.info(shop);
    this.emit(shop, "refunds/create", payloads.refundPayload(info, after, refund));
    this.emit(shop, "orders/updated", payloads.orderPayload("orders/updated", info, after));
    this.purchasingSummary(shop, after);
    return after;
  }

  /** Shopify's customers/purchasing_summary: the customer's order count and amount spent after this order changed. */
  private purchasingSummary(shop: ShopRecord, order: OrderRecord) {
    if (order.customerIndex === null) return;
    const customer = shop.store.findCustomer(order.customerIndex);
    if (!customer) return;
    const stats = shop.store.customerOrderStats(customer.index);
    this.emit(
      shop,
      "customers/purchasing_summary",
      payloads.purchasingSummaryPayload(this.info(shop), customer, stats, order),
    );
  }

  cancel(shop: ShopRecord, orderId: string, reason = "CUSTOMER"): OrderRecord {
    const order = this.orderOrThrow(shop, orderId);
    if (order.cancelledAt) throw new SandboxError("Order has already been cancelled", ["orderId"]);
    const now = iso();
    const after = shop.store.updateOrder(
      order.index,
      (o) => {
        o.cancelledAt = now;
        o.cancelReason = reason;
      },
      now,
    );
    const info = this.info(shop);
    this.emit(shop, "orders/cancelled", payloads.orderPayload("orders/cancelled", info, after));
    this.emit(shop, "orders/updated", payloads.orderPayload("orders/updated", info, after));
    return after;
  }

  /** A shopper reaches checkout and leaves: checkouts/create, then checkouts/update as the contact is filled in. */
  abandonCheckout(shop: ShopRecord, input: { customerId?: string; email?: string; productIndex?: number }) {
    const customer = input.customerId ? shop.store.findCustomerById(input.customerId) : undefined;
    const product = CATALOG[input.productIndex ?? 0]!;
    const now = iso();
    const checkout = shop.store.addCheckout((index, id) => ({
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
    const info = this.info(shop);
    this.emit(shop, "checkouts/create", payloads.checkoutPayload("checkouts/create", info, checkout));
    this.emit(shop, "checkouts/update", payloads.checkoutPayload("checkouts/update", info, checkout));
    return checkout;
  }

  createDiscountCode(
    shop: ShopRecord,
    input: Omit<DiscountCodeRecord, "id" | "codeId" | "usageCount" | "createdAt" | "updatedAt">,
  ) {
    if (shop.store.discountCodes.some((d) => d.code.toLowerCase() === input.code.toLowerCase()))
      throw new SandboxError(
        "Code must be unique. Please try a different code.",
        ["basicCodeDiscount", "code"],
        "TAKEN",
      );
    const now = iso();
    const record: DiscountCodeRecord = {
      ...input,
      id: shop.store.nextId("DiscountCodeNode"),
      codeId: shop.store.nextId("DiscountRedeemCode"),
      usageCount: 0,
      createdAt: now,
      updatedAt: now,
    };
    shop.store.discountCodes.push(record);
    return record;
  }

  creditStoreCredit(
    shop: ShopRecord,
    customerId: string,
    amountCents: number,
    currency: string,
    expiresAt: string | null,
  ) {
    if (currency !== shop.currency)
      throw new SandboxError(
        "The currency provided does not match the shop's currency.",
        ["creditInput", "creditAmount", "currencyCode"],
        "MISMATCHING_CURRENCY",
      );
    if (amountCents <= 0)
      throw new SandboxError(
        "A positive amount must be used to credit a store credit account.",
        ["creditInput", "creditAmount", "amount"],
        "NEGATIVE_OR_ZERO_AMOUNT",
      );
    let account = [...shop.store.storeCredit.values()].find(
      (a) => a.customerId === customerId && a.currency === currency,
    );
    if (!account) {
      account = {
        id: shop.store.nextId("StoreCreditAccount"),
        customerId,
        currency,
        balanceCents: 0,
        transactions: [],
      };
      shop.store.storeCredit.set(account.id, account);
    }
    account.balanceCents += amountCents;
    const transaction = {
      id: shop.store.nextId("StoreCreditAccountTransaction"),
      amountCents,
      balanceAfterCents: account.balanceCents,
      createdAt: iso(),
      expiresAt,
      kind: "CREDIT" as const,
    };
    account.transactions.push(transaction);
    return { account, transaction };
  }

  setMetafields(
    shop: ShopRecord,
    inputs: { ownerGid: string; namespace: string; key: string; type: string; value: string }[],
  ) {
    const now = iso();
    return inputs.map((input) => {
      const existing = shop.store.metafields.find(
        (m) => m.ownerGid === input.ownerGid && m.namespace === input.namespace && m.key === input.key,
      );
      if (existing) {
        existing.value = input.value;
        existing.type = input.type;
        existing.updatedAt = now;
        return existing;
      }
      const record: MetafieldRecord = { ...input, id: shop.store.nextId("Metafield"), createdAt: now, updatedAt: now };
      shop.store.metafields.push(record);
      return record;
    });
  }

  uninstall(shop: ShopRecord) {
    shop.installed = false;
    this.emit(shop, "app/uninstalled", payloads.appUninstalledPayload(this.info(shop), shop.name));
  }

  compliance(
    shop: ShopRecord,
    topic: "customers/data_request" | "customers/redact" | "shop/redact",
    customerId?: string,
  ) {
    const customer = customerId ? shop.store.findCustomerById(customerId) : undefined;
    return this.emit(shop, topic, payloads.compliancePayload(topic, this.info(shop), customer));
  }
}

/** An order's figures from its lines: subtotal and tax for the units still on it, and the total the customer owes. */
export function totalsOf(o: OrderRecord): { subtotalCents: number; taxCents: number; totalCents: number } {
  const { subtotalCents, taxCents } = orderFigures(o);
  const totalCents = subtotalCents + (o.taxesIncluded ? 0 : taxCents) + o.shippingCents;
  return { subtotalCents, taxCents, totalCents };
}
