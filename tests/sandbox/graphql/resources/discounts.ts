import { gid, parseGid } from "../../ids";
import { decimalAmount, toMinorUnits } from "../../money";
import type { ShopRecord } from "../../shops";
import type { CustomerRecord, DiscountCodeRecord } from "../../store/index";
import { connection, fromList, type ConnectionArgs } from "../connection";
import type { AdminContext, NodeFinders } from "../context";
import { dt, money, userError } from "../values";
import { customerView } from "./customers";
import { metafieldsOf } from "./metafields";

export function discountView(shop: ShopRecord, d: DiscountCodeRecord) {
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
              .map((id) => shop.store.customers.findById(id))
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

export const discountNodes: NodeFinders = {
  DiscountCodeNode: (shop, id) => {
    const d = shop.store.discountCodes.find((x) => x.id === id);
    return d ? discountView(shop, d) : null;
  },
};

export const discountQueries = (ctx: AdminContext) => {
  const { shop } = ctx;
  const store = shop.store;
  return {
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
  };
};

export const discountMutations = (ctx: AdminContext) => {
  const { shop, ops } = ctx;
  return {
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
        const d = ops.discounts.create(shop, {
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
  };
};
