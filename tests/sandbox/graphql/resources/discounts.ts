import { gid, parseGid } from "../../ids";
import { decimalAmount, toMinorUnits } from "../../money";
import type { AutomaticDiscountInput, DiscountChange, DiscountInput } from "../../operations/discounts";
import type { ShopRecord } from "../../shops";
import {
  discountStatus,
  type AutomaticDiscountRecord,
  type CustomerRecord,
  type DiscountCodeRecord,
} from "../../store/index";
import { connection, fromList, type ConnectionArgs } from "../connection";
import type { AdminContext, NodeFinders } from "../context";
import { dt, money, userErrors } from "../values";
import { customerView } from "./customers";
import { metafieldsOf } from "./metafields";
import { segmentView } from "./segments";

/** Shopify's one-line summary of a code: "10% off entire order • Minimum purchase of 50.00 • One use per customer". */
function summaryOf(shop: ShopRecord, d: DiscountCodeRecord) {
  const value = d.value;
  const parts = [
    "freeShipping" in value
      ? "Free shipping on all products"
      : "percentage" in value
        ? `${Math.round(value.percentage * 10000) / 100}% off entire order`
        : `${decimalAmount(value.amountCents, shop.currency)} off ${value.appliesOnEachItem ? "each item" : "entire order"}`,
  ];
  if (d.minimumSubtotalCents) parts.push(`Minimum purchase of ${decimalAmount(d.minimumSubtotalCents, shop.currency)}`);
  if (d.segmentIds?.length) parts.push("For customers in segments");
  else if (d.customerIds !== "all")
    parts.push(`For ${d.customerIds.length} customer${d.customerIds.length === 1 ? "" : "s"}`);
  if (d.appliesOncePerCustomer) parts.push("One use per customer");
  if (d.usageLimit !== null) parts.push(`Limit of ${d.usageLimit} use${d.usageLimit === 1 ? "" : "s"}`);
  return parts.join(" • ");
}

/** Who may use a code, as `context` (and the deprecated `customerSelection`) answer it. */
function eligibility(shop: ShopRecord, d: Pick<DiscountCodeRecord, "segmentIds" | "customerIds">, deprecated: boolean) {
  if (d.segmentIds?.length)
    return {
      __typename: "DiscountCustomerSegments",
      segments: d.segmentIds
        .map((id) => shop.store.segments.find((s) => s.id === id))
        .filter((s) => s !== undefined)
        .map(segmentView),
    };
  if (d.customerIds === "all")
    return deprecated
      ? { __typename: "DiscountCustomerAll", allCustomers: true }
      : { __typename: "DiscountBuyerSelectionAll", all: "ALL" };
  return {
    __typename: "DiscountCustomers",
    customers: d.customerIds
      .map((id) => shop.store.customers.findById(id))
      .filter((c): c is CustomerRecord => Boolean(c))
      .map((c) => customerView(shop, c)),
  };
}

export function discountView(shop: ShopRecord, d: DiscountCodeRecord) {
  const value = d.value;
  const freeShipping = "freeShipping" in value;
  const common = {
    title: d.title,
    status: discountStatus(d),
    startsAt: dt(d.startsAt),
    endsAt: dt(d.endsAt),
    createdAt: dt(d.createdAt),
    updatedAt: dt(d.updatedAt),
    usageLimit: d.usageLimit,
    appliesOncePerCustomer: d.appliesOncePerCustomer,
    asyncUsageCount: d.usageCount,
    totalSales: money(d.totalSalesCents ?? 0, shop.currency),
    summary: summaryOf(shop, d),
    shortSummary: summaryOf(shop, d).split(" • ")[0],
    tags: d.tags ?? [],
    shareableUrls: [],
    hasTimelineComment: false,
    recurringCycleLimit: 1,
    combinesWith: d.combinesWith ?? { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
    discountClasses: [freeShipping ? "SHIPPING" : "ORDER"],
    discountClass: freeShipping ? "SHIPPING" : "ORDER",
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
    context: eligibility(shop, d, false),
    customerSelection: eligibility(shop, d, true),
    minimumRequirement: d.minimumSubtotalCents
      ? {
          __typename: "DiscountMinimumSubtotal",
          greaterThanOrEqualToSubtotal: money(d.minimumSubtotalCents, shop.currency),
        }
      : null,
  };
  const codeDiscount = freeShipping
    ? {
        __typename: "DiscountCodeFreeShipping",
        ...common,
        appliesOnOneTimePurchase: true,
        appliesOnSubscription: false,
        destinationSelection: { __typename: "DiscountCountryAll", allCountries: true },
        maximumShippingPrice:
          value.maximumShippingCents === null ? null : money(value.maximumShippingCents, shop.currency),
      }
    : {
        __typename: "DiscountCodeBasic",
        ...common,
        customerGets: {
          appliesOnOneTimePurchase: true,
          appliesOnSubscription: false,
          items: { __typename: "AllDiscountItems", allItems: true },
          value:
            "percentage" in value
              ? { __typename: "DiscountPercentage", percentage: value.percentage }
              : {
                  __typename: "DiscountAmount",
                  amount: money(value.amountCents, shop.currency),
                  appliesOnEachItem: value.appliesOnEachItem ?? false,
                },
        },
      };
  return {
    __typename: "DiscountCodeNode",
    id: gid("DiscountCodeNode", d.id),
    codeDiscount,
    ...metafieldsOf(shop, gid("DiscountCodeNode", d.id)),
  };
}

/** An automatic discount as DiscountAutomaticNode shows it, its discount a DiscountAutomaticBasic. */
export function automaticDiscountView(shop: ShopRecord, d: AutomaticDiscountRecord) {
  const value = d.value;
  const valueText =
    "percentage" in value
      ? `${Math.round(value.percentage * 10000) / 100}% off entire order`
      : `${decimalAmount(value.amountCents, shop.currency)} off ${value.appliesOnEachItem ? "each item" : "entire order"}`;
  const summary = [valueText, ...(d.segmentIds?.length ? ["For customers in segments"] : [])].join(" • ");
  return {
    __typename: "DiscountAutomaticNode",
    id: gid("DiscountAutomaticNode", d.id),
    automaticDiscount: {
      __typename: "DiscountAutomaticBasic",
      title: d.title,
      status: discountStatus(d),
      startsAt: dt(d.startsAt),
      endsAt: dt(d.endsAt),
      createdAt: dt(d.createdAt),
      updatedAt: dt(d.updatedAt),
      asyncUsageCount: d.usageCount,
      usageCount: d.usageCount,
      summary,
      shortSummary: valueText,
      tags: [],
      recurringCycleLimit: 1,
      combinesWith: d.combinesWith,
      discountClass: "ORDER",
      discountClasses: ["ORDER"],
      context: eligibility(shop, d, false),
      minimumRequirement: d.minimumSubtotalCents
        ? {
            __typename: "DiscountMinimumSubtotal",
            greaterThanOrEqualToSubtotal: money(d.minimumSubtotalCents, shop.currency),
          }
        : null,
      customerGets: {
        appliesOnOneTimePurchase: true,
        appliesOnSubscription: false,
        items: { __typename: "AllDiscountItems", allItems: true },
        value:
          "percentage" in value
            ? { __typename: "DiscountPercentage", percentage: value.percentage }
            : {
                __typename: "DiscountAmount",
                amount: money(value.amountCents, shop.currency),
                appliesOnEachItem: value.appliesOnEachItem ?? false,
              },
      },
    },
    ...metafieldsOf(shop, gid("DiscountAutomaticNode", d.id)),
  };
}

/** DiscountAutomaticBasicInput, as far as the sandbox models it (no items other than all, no recurring cycles). */
interface AutomaticBasicInput {
  title?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  minimumRequirement?: { subtotal?: { greaterThanOrEqualToSubtotal?: string | null } | null } | null;
  context?: {
    all?: string | null;
    customers?: { add?: string[] | null } | null;
    customerSegments?: { add?: string[] | null } | null;
  } | null;
  combinesWith?: {
    orderDiscounts?: boolean | null;
    productDiscounts?: boolean | null;
    shippingDiscounts?: boolean | null;
  } | null;
  customerGets?: {
    value?: {
      percentage?: number | null;
      discountAmount?: { amount: string; appliesOnEachItem?: boolean | null } | null;
    } | null;
  } | null;
}

/** The fields both code mutations share, as their GraphQL inputs carry them. */
interface CodeInput {
  code?: string | null;
  title?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean | null;
  minimumRequirement?: { subtotal?: { greaterThanOrEqualToSubtotal?: string | null } | null } | null;
  context?: {
    all?: string | null;
    customers?: { add?: string[] | null } | null;
    customerSegments?: { add?: string[] | null } | null;
  } | null;
  customerSelection?: {
    all?: boolean | null;
    customers?: { add?: string[] | null } | null;
    customerSegments?: { add?: string[] | null } | null;
  } | null;
  tags?: string[] | null;
  combinesWith?: {
    orderDiscounts?: boolean | null;
    productDiscounts?: boolean | null;
    shippingDiscounts?: boolean | null;
  } | null;
}

interface BasicInput extends CodeInput {
  customerGets?: {
    value?: {
      percentage?: number | null;
      discountAmount?: { amount: string; appliesOnEachItem?: boolean | null } | null;
    } | null;
  } | null;
}

interface FreeShippingInput extends CodeInput {
  maximumShippingPrice?: string | null;
}

const numericIds = (ids: string[] | null | undefined) => (ids ?? []).map((id) => parseGid(id)?.id ?? id);

/** A mutation's input as the operations take it: who may use it, amounts in minor units. */
function codeInput(shop: ShopRecord, argument: DiscountInput["argument"], input: CodeInput): DiscountInput {
  const selection = input.context ?? input.customerSelection;
  const customers = selection?.customers?.add;
  const segments = selection?.customerSegments?.add;
  const minimum = input.minimumRequirement?.subtotal?.greaterThanOrEqualToSubtotal;
  return {
    argument,
    code: input.code ?? null,
    title: input.title ?? null,
    appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
    usageLimit: input.usageLimit ?? null,
    customerIds: customers?.length ? numericIds(customers) : segments?.length || selection ? "all" : null,
    segmentIds: numericIds(segments),
    minimumSubtotalCents: minimum ? toMinorUnits(minimum, shop.currency) : null,
    startsAt: input.startsAt ?? null,
    endsAt: input.endsAt ?? null,
    tags: input.tags ?? [],
    combinesWith: {
      orderDiscounts: input.combinesWith?.orderDiscounts ?? false,
      productDiscounts: input.combinesWith?.productDiscounts ?? false,
      shippingDiscounts: input.combinesWith?.shippingDiscounts ?? false,
    },
  };
}

/** The fields an update mutation changes (the rest left out of the input stay), as the update operation takes them. */
/**
 * A basic discount's `customerGets.value` as the sandbox keeps it: a percentage (0.1 for 10%), or an amount in the
 * shop's minor units, off each item or the order; null when the input gives neither.
 */
function basicValue(shop: ShopRecord, value: NonNullable<BasicInput["customerGets"]>["value"] | undefined) {
  const amount = value?.discountAmount;
  if (value?.percentage !== undefined && value.percentage !== null) return { percentage: value.percentage };
  if (!amount) return null;
  return {
    amountCents: toMinorUnits(amount.amount, shop.currency),
    appliesOnEachItem: amount.appliesOnEachItem ?? false,
  };
}

const MODELLED_UPDATE_FIELDS = new Set(["title", "code", "startsAt", "endsAt", "customerGets", "combinesWith"]);

function discountChange(
  shop: ShopRecord,
  argument: DiscountChange["argument"],
  input: BasicInput | AutomaticBasicInput,
): DiscountChange {
  const given = Object.entries(input).filter(([, v]) => v !== undefined);
  const unmodelled = given.map(([key]) => key).filter((key) => !MODELLED_UPDATE_FIELDS.has(key));
  // Every discount the sandbox holds is on all items: `items: { all: true }` changes nothing, other items are unmodelled.
  const gets = input.customerGets as Record<string, unknown> | null | undefined;
  const allItems = (items: unknown) => JSON.stringify(items) === JSON.stringify({ all: true });
  if (
    gets &&
    Object.entries(gets).some(([key, v]) => key !== "value" && v !== undefined && !(key === "items" && allItems(v)))
  )
    unmodelled.push("customerGets");
  const value = input.customerGets?.value;
  return {
    argument,
    unmodelled,
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...("code" in input && input.code !== undefined ? { code: input.code } : {}),
    ...(input.startsAt !== undefined ? { startsAt: input.startsAt } : {}),
    ...(input.endsAt !== undefined ? { endsAt: input.endsAt } : {}),
    ...(value !== undefined
      ? {
          value: basicValue(shop, value),
        }
      : {}),
    ...(input.combinesWith
      ? {
          combinesWith: {
            orderDiscounts: input.combinesWith.orderDiscounts ?? false,
            productDiscounts: input.combinesWith.productDiscounts ?? false,
            shippingDiscounts: input.combinesWith.shippingDiscounts ?? false,
          },
        }
      : {}),
  };
}

export const discountNodes: NodeFinders = {
  DiscountCodeNode: (shop, id) => {
    const d = shop.store.discounts.findById(id);
    return d ? discountView(shop, d) : null;
  },
  DiscountAutomaticNode: (shop, id) => {
    const d = shop.store.discounts.automatic.find((x) => x.id === id);
    return d ? automaticDiscountView(shop, d) : null;
  },
};

export const discountQueries = (ctx: AdminContext) => {
  const { shop } = ctx;
  const store = shop.store;
  return {
    codeDiscountNodeByCode: ({ code }: { code: string }) => {
      const d = store.discounts.findByCode(code);
      return d ? discountView(shop, d) : null;
    },
    automaticDiscountNode: ({ id }: { id: string }) =>
      ctx.views.node(shop, id.startsWith("gid://shopify/DiscountAutomaticNode/") ? id : "x"),
    automaticDiscountNodes: (args: ConnectionArgs) =>
      connection(args, ctx, false, {
        scan: (from, rev) => fromList(store.discounts.automatic, from, rev),
        view: (d) => automaticDiscountView(shop, d),
      }),
    codeDiscountNode: ({ id }: { id: string }) =>
      ctx.views.node(shop, id.startsWith("gid://shopify/DiscountCodeNode/") ? id : "x"),
    codeDiscountNodes: (args: ConnectionArgs) =>
      connection(args, ctx, false, {
        scan: (from, rev) => fromList(store.discountCodes, from, rev),
        view: (d) => discountView(shop, d),
        search: {
          text: (d) => [d.code, d.title],
          fields: {
            code: (d) => d.code,
            title: (d) => d.title,
            id: (d) => d.id,
            status: (d) => discountStatus(d).toLowerCase(),
            discount_type: (d) =>
              "freeShipping" in d.value ? "free_shipping" : "percentage" in d.value ? "percentage" : "fixed_amount",
            times_used: (d) => d.usageCount,
          },
          numbers: ["id", "times_used"],
        },
      }),
  };
};

export const discountMutations = (ctx: AdminContext) => {
  const { shop, ops } = ctx;
  const create = (input: DiscountInput) => {
    try {
      return { codeDiscountNode: discountView(shop, ops.discounts.create(shop, input)), userErrors: [] };
    } catch (error) {
      return { codeDiscountNode: null, userErrors: userErrors(error, { extraInfo: null }) };
    }
  };
  return {
    discountCodeBasicCreate: ({ basicCodeDiscount: input }: { basicCodeDiscount: BasicInput }) => {
      const value = input.customerGets?.value;
      return create({
        ...codeInput(shop, "basicCodeDiscount", input),
        value: basicValue(shop, value),
      });
    },
    discountCodeFreeShippingCreate: ({
      freeShippingCodeDiscount: input,
    }: {
      freeShippingCodeDiscount: FreeShippingInput;
    }) =>
      create({
        ...codeInput(shop, "freeShippingCodeDiscount", input),
        value: {
          freeShipping: true,
          maximumShippingCents: input.maximumShippingPrice
            ? toMinorUnits(input.maximumShippingPrice, shop.currency)
            : null,
        },
      }),
    discountAutomaticBasicCreate: ({
      automaticBasicDiscount: input,
    }: {
      automaticBasicDiscount: AutomaticBasicInput;
    }) => {
      const value = input.customerGets?.value;
      const customers = input.context?.customers?.add;
      const segments = input.context?.customerSegments?.add;
      const minimum = input.minimumRequirement?.subtotal?.greaterThanOrEqualToSubtotal;
      const automatic: AutomaticDiscountInput = {
        title: input.title ?? null,
        value: basicValue(shop, value),
        customerIds: customers?.length ? numericIds(customers) : "all",
        segmentIds: numericIds(segments),
        minimumSubtotalCents: minimum ? toMinorUnits(minimum, shop.currency) : null,
        startsAt: input.startsAt ?? null,
        endsAt: input.endsAt ?? null,
        combinesWith: {
          orderDiscounts: input.combinesWith?.orderDiscounts ?? false,
          productDiscounts: input.combinesWith?.productDiscounts ?? false,
          shippingDiscounts: input.combinesWith?.shippingDiscounts ?? false,
        },
      };
      try {
        return {
          automaticDiscountNode: automaticDiscountView(shop, ops.discounts.createAutomatic(shop, automatic)),
          userErrors: [],
        };
      } catch (error) {
        return { automaticDiscountNode: null, userErrors: userErrors(error, { extraInfo: null }) };
      }
    },
    discountCodeBasicUpdate: ({ id, basicCodeDiscount: input }: { id: string; basicCodeDiscount: BasicInput }) => {
      try {
        const numeric = id.startsWith("gid://shopify/DiscountCodeNode/") ? (parseGid(id)?.id ?? "") : "";
        ops.discounts.update(shop, numeric, discountChange(shop, "basicCodeDiscount", input));
        return { codeDiscountNode: discountView(shop, shop.store.discounts.findById(numeric)!), userErrors: [] };
      } catch (error) {
        return { codeDiscountNode: null, userErrors: userErrors(error, { extraInfo: null }) };
      }
    },
    discountAutomaticBasicUpdate: ({
      id,
      automaticBasicDiscount: input,
    }: {
      id: string;
      automaticBasicDiscount: AutomaticBasicInput;
    }) => {
      try {
        const numeric = id.startsWith("gid://shopify/DiscountAutomaticNode/") ? (parseGid(id)?.id ?? "") : "";
        const record = ops.discounts.update(shop, numeric, discountChange(shop, "automaticBasicDiscount", input));
        return {
          automaticDiscountNode: automaticDiscountView(shop, record as AutomaticDiscountRecord),
          userErrors: [],
        };
      } catch (error) {
        return { automaticDiscountNode: null, userErrors: userErrors(error, { extraInfo: null }) };
      }
    },
    discountAutomaticDelete: ({ id }: { id: string }) => {
      try {
        return {
          deletedAutomaticDiscountId: ops.discounts.deleteAutomatic(shop, parseGid(id)?.id ?? ""),
          userErrors: [],
        };
      } catch (error) {
        return { deletedAutomaticDiscountId: null, userErrors: userErrors(error, { extraInfo: null }) };
      }
    },
    discountCodeDeactivate: ({ id }: { id: string }) => {
      try {
        const d = ops.discounts.deactivate(shop, parseGid(id)?.id ?? "");
        return { codeDiscountNode: discountView(shop, d), userErrors: [] };
      } catch (error) {
        return { codeDiscountNode: null, userErrors: userErrors(error, { extraInfo: null }) };
      }
    },
    discountCodeDelete: ({ id }: { id: string }) => {
      try {
        return { deletedCodeDiscountId: ops.discounts.delete(shop, parseGid(id)?.id ?? ""), userErrors: [] };
      } catch (error) {
        return { deletedCodeDiscountId: null, userErrors: userErrors(error, { extraInfo: null }) };
      }
    },
  };
};
