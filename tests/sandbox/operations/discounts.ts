import { gid } from "../ids";
import * as payloads from "../payloads";
import type { ShopRecord } from "../shops";
import {
  discountStatus,
  type AutomaticDiscountRecord,
  type CustomerRecord,
  type DiscountCodeRecord,
  type DiscountValue,
} from "../store/index";
import { iso, type OperationsBase, SandboxError, SandboxErrors, type UserErrorSpec } from "./base";
import type { SegmentOperations } from "./segments";

/**
 * A DateTime input as Shopify keeps it: UTC, whole seconds ("2026-12-17T23:59:59-05:00" and
 * "2026-12-18T04:59:59.999Z" both read back "2026-12-18T04:59:59Z"); null for none. Unreadable input is kept as sent.
 */
function dateTime(at: string | null | undefined): string | null {
  if (!at) return null;
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? at : iso(Math.floor(ms / 1000) * 1000);
}

/** A code as discountCodeBasicCreate / discountCodeFreeShippingCreate receive it, already in minor units. */
export interface DiscountInput {
  /** The mutation's argument name, which Shopify's userErrors paths start with. */
  argument: "basicCodeDiscount" | "freeShippingCodeDiscount";
  code?: string | null;
  title?: string | null;
  value?: DiscountValue | null;
  appliesOncePerCustomer?: boolean | null;
  usageLimit?: number | null;
  /** Everyone ("all"), these customers, or null when the input gave no context at all. */
  customerIds: string[] | "all" | null;
  segmentIds?: string[];
  minimumSubtotalCents?: number | null;
  startsAt?: string | null;
  endsAt?: string | null;
  tags?: string[] | null;
  combinesWith?: DiscountCodeRecord["combinesWith"] | null;
}

/** An automatic discount as discountAutomaticBasicCreate receives it, amounts in minor units. */
export interface AutomaticDiscountInput {
  title?: string | null;
  value?: AutomaticDiscountRecord["value"] | null;
  /** Everyone ("all", also when the input gives no context: automatic discounts default to all buyers) or these. */
  customerIds: string[] | "all";
  segmentIds?: string[];
  minimumSubtotalCents?: number | null;
  startsAt?: string | null;
  endsAt?: string | null;
  combinesWith?: AutomaticDiscountRecord["combinesWith"] | null;
}

/**
 * What discountCodeBasicUpdate / discountAutomaticBasicUpdate change, amounts in minor units: only the fields the input
 * gives (a field left out stays as it is). `unmodelled` names input fields the sandbox does not update, refused loudly.
 */
export interface DiscountChange {
  /** The mutation's argument name, which Shopify's userErrors paths start with. */
  argument: "basicCodeDiscount" | "automaticBasicDiscount";
  title?: string | null;
  code?: string | null;
  value?: DiscountValue | null;
  startsAt?: string | null;
  endsAt?: string | null;
  combinesWith?: DiscountCodeRecord["combinesWith"] | null;
  unmodelled: string[];
}

/** What an automatic discount takes off one checkout's goods. */
export interface AutomaticCheckoutDiscount {
  record: AutomaticDiscountRecord;
  goodsDiscountCents: number;
}

/** What a code takes off one checkout. */
export interface CheckoutDiscount {
  record: DiscountCodeRecord;
  goodsDiscountCents: number;
  shippingDiscountCents: number;
}

/**
 * The checkout's words when a code does not apply (shopify.dev has none; these are what Shopify checkout shows
 * shoppers). A code's reason stays hidden behind "Enter a valid discount code" when it does not exist or is not running.
 */
export const CHECKOUT_REFUSALS = {
  invalid: "Enter a valid discount code",
  notForYou: "The discount code isn't available to you right now",
  usedUp: "This discount has reached its usage limit",
  notForCart: "The discount code isn't valid for the items in your cart",
} as const;

const MAX_CODE = 255;

/**
 * Shopify's refusal of a discount code, as discountCodeBasicCreate and discountCodeBasicUpdate both give it: the first
 * that applies of blank, longer than 255 characters, a line break, or a code another discount has (matched
 * case-insensitively, as checkout matches codes; `record`, the discount being updated, keeps its own). `code` is
 * trimmed already; `at` makes the mutation argument's path. None when the code is fine.
 */
function codeErrors(
  shop: ShopRecord,
  code: string,
  at: (...path: string[]) => string[],
  record?: DiscountCodeRecord,
): UserErrorSpec[] {
  const refusal = (message: string, errorCode: string) => [{ field: at("code"), message, code: errorCode }];
  if (!code) return refusal("Code can't be blank", "BLANK");
  if (code.length > MAX_CODE) return refusal(`Code is too long (maximum is ${MAX_CODE} characters)`, "TOO_LONG");
  if (/[\r\n]/.test(code)) return refusal("Code cannot contain newline characters.", "INVALID");
  const holder = shop.store.discounts.findByCode(code);
  if (holder && holder !== record) return refusal("Code must be unique. Please try a different code.", "TAKEN");
  return [];
}

/**
 * Discount codes: created by an app or a merchant (discounts/create), deactivated (its end set to now:
 * discounts/update), deleted (discounts/delete), and applied at checkout, where who may use a code, how often, from
 * when to when and above which subtotal are enforced as Shopify enforces them.
 */
export class DiscountOperations {
  constructor(
    private readonly base: OperationsBase,
    private readonly segments: SegmentOperations,
  ) {}

  create(shop: ShopRecord, input: DiscountInput): DiscountCodeRecord {
    const at = (...path: string[]) => [input.argument, ...path];
    const errors: UserErrorSpec[] = [];
    const code = input.code?.trim() ?? "";
    errors.push(...codeErrors(shop, code, at));
    if (!input.title?.trim()) errors.push({ field: at("title"), message: "Title can't be blank", code: "BLANK" });
    if (input.customerIds === null)
      errors.push({ field: at("context"), message: "Context can't be blank", code: "BLANK" });
    const value = input.value;
    if (!value) errors.push({ field: at("customerGets", "value"), message: "Value can't be blank", code: "BLANK" });
    else if ("percentage" in value && !(value.percentage > 0 && value.percentage <= 1))
      errors.push({
        field: at("customerGets", "value", "percentage"),
        message: "Value must be between 0.0 and 1.0",
        code: "VALUE_OUTSIDE_RANGE",
      });
    else if ("amountCents" in value && value.amountCents <= 0)
      errors.push({
        field: at("customerGets", "value", "discountAmount", "amount"),
        message: "Value must be greater than 0",
        code: "GREATER_THAN",
      });
    if (input.usageLimit !== null && input.usageLimit !== undefined && input.usageLimit < 1)
      errors.push({ field: at("usageLimit"), message: "Usage limit must be greater than 0", code: "GREATER_THAN" });
    if ((input.minimumSubtotalCents ?? 0) < 0)
      errors.push({
        field: at("minimumRequirement", "subtotal", "greaterThanOrEqualToSubtotal"),
        message: "Minimum subtotal must be greater than or equal to 0",
        code: "GREATER_THAN_OR_EQUAL_TO",
      });
    const startsAt = dateTime(input.startsAt) ?? iso();
    const endsAt = dateTime(input.endsAt);
    if (endsAt && Date.parse(endsAt) <= Date.parse(startsAt))
      errors.push({
        field: at("endsAt"),
        message: "Ends at needs to be after starts_at",
        code: "END_DATE_BEFORE_START_DATE",
      });
    if (Array.isArray(input.customerIds))
      input.customerIds.forEach((id, i) => {
        if (!shop.store.customers.findById(id))
          errors.push({
            field: at("context", "customers", "add", String(i)),
            message: "Customer does not exist",
            code: "INVALID",
          });
      });
    (input.segmentIds ?? []).forEach((id, i) => {
      if (!this.segments.find(shop, id))
        errors.push({
          field: at("context", "customerSegments", "add", String(i)),
          message: "Segment does not exist",
          code: "INVALID",
        });
    });
    if (errors.length) throw new SandboxErrors(errors);
    const now = iso();
    const record: DiscountCodeRecord = {
      id: shop.store.nextId("DiscountCodeNode"),
      codeId: shop.store.nextId("DiscountRedeemCode"),
      code,
      title: input.title!.trim(),
      value: value!,
      appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
      usageLimit: input.usageLimit ?? null,
      customerIds: input.segmentIds?.length ? "all" : input.customerIds!,
      ...(input.segmentIds?.length ? { segmentIds: input.segmentIds } : {}),
      minimumSubtotalCents: input.minimumSubtotalCents ?? null,
      startsAt,
      endsAt,
      usageCount: 0,
      usedBy: [],
      totalSalesCents: 0,
      tags: input.tags ?? [],
      combinesWith: input.combinesWith ?? { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
      createdAt: now,
      updatedAt: now,
    };
    shop.store.discounts.add(record);
    this.base.emit(shop, "discounts/create", payloads.discountPayload("discounts/create", record));
    return record;
  }

  private findOrThrow(shop: ShopRecord, id: string) {
    const record = shop.store.discounts.findById(id);
    if (!record) throw new SandboxError("Discount does not exist", ["id"], "INVALID");
    return record;
  }

  /**
   * discountCodeBasicUpdate (`id` a code discount's) or discountAutomaticBasicUpdate (an automatic one's): the fields
   * given change, checked as creating checks them (a blank title, a value out of range, an end before the start, a code
   * another discount has), all or nothing. Fires discounts/update.
   */
  update(shop: ShopRecord, id: string, change: DiscountChange): DiscountCodeRecord | AutomaticDiscountRecord {
    const at = (...path: string[]) => [change.argument, ...path];
    const record =
      change.argument === "basicCodeDiscount"
        ? shop.store.discounts.findById(id)
        : shop.store.discounts.automatic.find((d) => d.id === id);
    if (!record) throw new SandboxError("Discount does not exist", ["id"], "INVALID");
    const errors: UserErrorSpec[] = change.unmodelled.map((field) => ({
      field: at(field),
      message: "SANDBOX_NOT_IMPLEMENTED",
      code: "INVALID",
    }));
    if (change.title !== undefined && !change.title?.trim())
      errors.push({ field: at("title"), message: "Title can't be blank", code: "BLANK" });
    const code = change.code?.trim();
    if (change.code !== undefined && "code" in record) errors.push(...codeErrors(shop, code ?? "", at, record));
    const value = change.value;
    if (value === null)
      errors.push({ field: at("customerGets", "value"), message: "Value can't be blank", code: "BLANK" });
    else if (value && "freeShipping" in value)
      errors.push({ field: at("customerGets", "value"), message: "Value is invalid", code: "INVALID" });
    else if (value && "percentage" in value && !(value.percentage > 0 && value.percentage <= 1))
      errors.push({
        field: at("customerGets", "value", "percentage"),
        message: "Value must be between 0.0 and 1.0",
        code: "VALUE_OUTSIDE_RANGE",
      });
    else if (value && "amountCents" in value && value.amountCents <= 0)
      errors.push({
        field: at("customerGets", "value", "discountAmount", "amount"),
        message: "Value must be greater than 0",
        code: "GREATER_THAN",
      });
    const startsAt = change.startsAt !== undefined ? (dateTime(change.startsAt) ?? record.startsAt) : record.startsAt;
    const endsAt = change.endsAt !== undefined ? dateTime(change.endsAt) : record.endsAt;
    if (endsAt && Date.parse(endsAt) <= Date.parse(startsAt))
      errors.push({
        field: at("endsAt"),
        message: "Ends at needs to be after starts_at",
        code: "END_DATE_BEFORE_START_DATE",
      });
    if (errors.length) throw new SandboxErrors(errors);
    if (change.title !== undefined) record.title = change.title!.trim();
    if (code && "code" in record && code !== record.code) shop.store.discounts.recode(record, code);
    if (value) record.value = value as DiscountCodeRecord["value"] & AutomaticDiscountRecord["value"];
    record.startsAt = startsAt;
    record.endsAt = endsAt;
    if (change.combinesWith) record.combinesWith = change.combinesWith;
    record.updatedAt = iso();
    this.base.emit(
      shop,
      "discounts/update",
      payloads.discountPayload(
        "discounts/update",
        record,
        change.argument === "basicCodeDiscount" ? "DiscountCodeNode" : "DiscountAutomaticNode",
      ),
    );
    return record;
  }

  /** discountCodeDeactivate: the code ends now (status EXPIRED); already ended codes are left as they are. */
  deactivate(shop: ShopRecord, id: string) {
    const record = this.findOrThrow(shop, id);
    if (discountStatus(record) === "EXPIRED") return record;
    const now = iso();
    record.endsAt = now;
    if (Date.parse(record.startsAt) > Date.parse(now)) record.startsAt = now;
    record.updatedAt = now;
    this.base.emit(shop, "discounts/update", payloads.discountPayload("discounts/update", record));
    return record;
  }

  delete(shop: ShopRecord, id: string) {
    const record = this.findOrThrow(shop, id);
    shop.store.discounts.remove(record);
    this.base.emit(shop, "discounts/delete", payloads.discountDeletePayload(record, iso()));
    return gid("DiscountCodeNode", record.id);
  }

  /**
   * What a code takes off this checkout, or the checkout's refusal: not a running code, not for this customer (a
   * customer list or segments), used up (usage limit, or once per customer), or a subtotal under the minimum.
   * `goodsCents` are the goods' gross prices (gift cards are never discounted); the shipping is what was charged.
   */
  atCheckout(
    shop: ShopRecord,
    code: string,
    cart: {
      customer: CustomerRecord | undefined;
      goodsCents: number;
      goodsUnits: number[];
      unitCents: number[];
      shippingCents: number;
    },
  ): CheckoutDiscount {
    const refuse = (message: string) => new SandboxError(message, ["discountCode"], "INVALID");
    const record = shop.store.discounts.findByCode(code);
    if (!record || discountStatus(record) !== "ACTIVE") throw refuse(CHECKOUT_REFUSALS.invalid);
    const { customer } = cart;
    if (record.customerIds !== "all" && (!customer || !record.customerIds.includes(customer.id)))
      throw refuse(CHECKOUT_REFUSALS.notForYou);
    if (record.segmentIds?.length) {
      const segments = record.segmentIds.map((id) => this.segments.find(shop, id)).filter((s) => s !== undefined);
      if (!customer || !segments.some((s) => this.segments.isMember(shop, s, customer)))
        throw refuse(CHECKOUT_REFUSALS.notForYou);
    }
    if (record.usageLimit !== null && record.usageCount >= record.usageLimit) throw refuse(CHECKOUT_REFUSALS.usedUp);
    if (record.appliesOncePerCustomer && customer && record.usedBy?.includes(customer.id))
      throw refuse(CHECKOUT_REFUSALS.usedUp);
    if (record.minimumSubtotalCents && cart.goodsCents < record.minimumSubtotalCents)
      throw refuse(CHECKOUT_REFUSALS.notForCart);
    const value = record.value;
    if ("freeShipping" in value) {
      const free =
        value.maximumShippingCents === null || cart.shippingCents <= value.maximumShippingCents
          ? cart.shippingCents
          : 0;
      return { record, goodsDiscountCents: 0, shippingDiscountCents: free };
    }
    let goodsDiscountCents: number;
    if ("percentage" in value) goodsDiscountCents = Math.round(cart.goodsCents * value.percentage);
    else if (value.appliesOnEachItem)
      goodsDiscountCents = cart.unitCents.reduce(
        (sum, unit, i) => sum + Math.min(unit, value.amountCents) * cart.goodsUnits[i]!,
        0,
      );
    else goodsDiscountCents = Math.min(cart.goodsCents, value.amountCents);
    return { record, goodsDiscountCents, shippingDiscountCents: 0 };
  }

  /**
   * discountAutomaticBasicCreate: validated as the code mutation is (title, value, dates, customers and segments that
   * exist), on the `automaticBasicDiscount` argument's paths. Fires discounts/create.
   */
  createAutomatic(shop: ShopRecord, input: AutomaticDiscountInput): AutomaticDiscountRecord {
    const at = (...path: string[]) => ["automaticBasicDiscount", ...path];
    const errors: UserErrorSpec[] = [];
    if (!input.title?.trim()) errors.push({ field: at("title"), message: "Title can't be blank", code: "BLANK" });
    const value = input.value;
    if (!value) errors.push({ field: at("customerGets", "value"), message: "Value can't be blank", code: "BLANK" });
    else if ("percentage" in value && !(value.percentage > 0 && value.percentage <= 1))
      errors.push({
        field: at("customerGets", "value", "percentage"),
        message: "Value must be between 0.0 and 1.0",
        code: "VALUE_OUTSIDE_RANGE",
      });
    else if ("amountCents" in value && value.amountCents <= 0)
      errors.push({
        field: at("customerGets", "value", "discountAmount", "amount"),
        message: "Value must be greater than 0",
        code: "GREATER_THAN",
      });
    const startsAt = dateTime(input.startsAt) ?? iso();
    const endsAt = dateTime(input.endsAt);
    if (endsAt && Date.parse(endsAt) <= Date.parse(startsAt))
      errors.push({
        field: at("endsAt"),
        message: "Ends at needs to be after starts_at",
        code: "END_DATE_BEFORE_START_DATE",
      });
    if (Array.isArray(input.customerIds))
      input.customerIds.forEach((id, i) => {
        if (!shop.store.customers.findById(id))
          errors.push({
            field: at("context", "customers", "add", String(i)),
            message: "Customer does not exist",
            code: "INVALID",
          });
      });
    (input.segmentIds ?? []).forEach((id, i) => {
      if (!this.segments.find(shop, id))
        errors.push({
          field: at("context", "customerSegments", "add", String(i)),
          message: "Segment does not exist",
          code: "INVALID",
        });
    });
    if (errors.length) throw new SandboxErrors(errors);
    const now = iso();
    const record: AutomaticDiscountRecord = {
      id: shop.store.nextId("DiscountAutomaticNode"),
      title: input.title!.trim(),
      value: value!,
      customerIds: input.segmentIds?.length ? "all" : input.customerIds,
      ...(input.segmentIds?.length ? { segmentIds: input.segmentIds } : {}),
      minimumSubtotalCents: input.minimumSubtotalCents ?? null,
      startsAt,
      endsAt,
      usageCount: 0,
      combinesWith: input.combinesWith ?? { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
      createdAt: now,
      updatedAt: now,
    };
    shop.store.discounts.automatic.push(record);
    this.base.emit(
      shop,
      "discounts/create",
      payloads.discountPayload("discounts/create", record, "DiscountAutomaticNode"),
    );
    return record;
  }

  /** discountAutomaticDelete: gone at once, discounts/delete fired. */
  deleteAutomatic(shop: ShopRecord, id: string) {
    const list = shop.store.discounts.automatic;
    const record = list.find((d) => d.id === id);
    if (!record) throw new SandboxError("Discount does not exist", ["id"], "INVALID");
    list.splice(list.indexOf(record), 1);
    this.base.emit(shop, "discounts/delete", payloads.discountDeletePayload(record, iso(), "DiscountAutomaticNode"));
    return gid("DiscountAutomaticNode", record.id);
  }

  /**
   * The automatic discount this cart gets, if any: among the running ones whose buyers include this customer (a
   * customer list, or membership of a segment, read at checkout) and whose minimum the goods reach, the one that takes
   * off most. Without a customer (a guest checkout not signed in), only discounts for all buyers apply.
   */
  automaticAtCheckout(
    shop: ShopRecord,
    cart: { customer: CustomerRecord | undefined; goodsCents: number; goodsUnits: number[]; unitCents: number[] },
  ): AutomaticCheckoutDiscount | undefined {
    const { customer } = cart;
    let best: AutomaticCheckoutDiscount | undefined;
    for (const record of shop.store.discounts.automatic) {
      if (discountStatus(record) !== "ACTIVE") continue;
      if (record.customerIds !== "all" && (!customer || !record.customerIds.includes(customer.id))) continue;
      if (record.segmentIds?.length) {
        const segments = record.segmentIds.map((id) => this.segments.find(shop, id)).filter((x) => x !== undefined);
        if (!customer || !segments.some((segment) => this.segments.isMember(shop, segment, customer))) continue;
      }
      if (record.minimumSubtotalCents && cart.goodsCents < record.minimumSubtotalCents) continue;
      const value = record.value;
      const goodsDiscountCents =
        "percentage" in value
          ? Math.round(cart.goodsCents * value.percentage)
          : value.appliesOnEachItem
            ? cart.unitCents.reduce((sum, unit, i) => sum + Math.min(unit, value.amountCents) * cart.goodsUnits[i]!, 0)
            : Math.min(cart.goodsCents, value.amountCents);
      if (goodsDiscountCents > 0 && (!best || goodsDiscountCents > best.goodsDiscountCents))
        best = { record, goodsDiscountCents };
    }
    return best;
  }

  /** An order got the automatic discount: asyncUsageCount. */
  recordAutomaticUse(discount: AutomaticCheckoutDiscount) {
    discount.record.usageCount += 1;
  }

  /** An order was placed with the code: asyncUsageCount, who used it, and its total sales. */
  recordUse(discount: CheckoutDiscount, customer: CustomerRecord | undefined, orderTotalCents: number) {
    const record = discount.record;
    record.usageCount += 1;
    if (customer) record.usedBy = [...(record.usedBy ?? []), customer.id];
    record.totalSalesCents = (record.totalSalesCents ?? 0) + orderTotalCents;
  }
}
