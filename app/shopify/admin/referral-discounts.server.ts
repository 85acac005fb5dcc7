import { GraphqlQueryError } from "@shopify/shopify-api";
import { RewardRefused } from "~/domain/ledger";
import { formatMinor, type CurrencyCode } from "~/domain/shared";
import type { ReferralDiscountGateway } from "~/services/referrals/referral-discounts.server";
import { adminRequest, ShopifyUserErrors, type AdminGraphql } from "./graphql.server";

const REFERRAL_BASIC_DISCOUNT = `#graphql
  mutation TallyReferralDiscount($discount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $discount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

const REFERRAL_FREE_SHIPPING = `#graphql
  mutation TallyReferralFreeShipping($discount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $discount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

const REFERRAL_DISCOUNT_DEACTIVATE = `#graphql
  mutation TallyReferralDiscountDeactivate($id: ID!) {
    discountCodeDeactivate(id: $id) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

const REFERRAL_DISCOUNT_BY_CODE = `#graphql
  query TallyReferralDiscountByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) { id }
  }
`;

/** Shopify answered and did nothing (user errors, a refused query): safe to say so. Anything else may have acted. */
async function refusalsAsRewardRefused<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ShopifyUserErrors || error instanceof GraphqlQueryError)
      throw new RewardRefused(error.message);
    throw error;
  }
}

/**
 * Referral discount codes in Shopify: the friend's (any buyer, once: `context.all`, usage limit 1, once per customer,
 * the offer's minimum subtotal) and the advocate's (only them: `context.customers`). Amounts are written in the
 * shop currency's decimals. Looked up by code after a crash (codeDiscountNodeByCode), deactivated when staff cancel.
 */
export function shopifyReferralDiscounts(graphql: AdminGraphql): ReferralDiscountGateway {
  return {
    create: (discount) =>
      refusalsAsRewardRefused(async () => {
        const decimal = (minor: number) => formatMinor(minor, discount.currency as CurrencyCode);
        const common = {
          title: discount.title,
          code: discount.code,
          startsAt: new Date().toISOString(),
          usageLimit: 1,
          appliesOncePerCustomer: true,
          context: discount.customerGid ? { customers: { add: [discount.customerGid] } } : { all: "ALL" as const },
          minimumRequirement:
            discount.minimumSubtotalMinor > 0
              ? { subtotal: { greaterThanOrEqualToSubtotal: decimal(discount.minimumSubtotalMinor) } }
              : null,
        };
        if (discount.kind === "free_shipping") {
          const data = await adminRequest(graphql, REFERRAL_FREE_SHIPPING, { variables: { discount: common } });
          const result = data.discountCodeFreeShippingCreate;
          if (!result || result.userErrors.length) {
            throw new ShopifyUserErrors("discountCodeFreeShippingCreate", result?.userErrors ?? []);
          }
          return { shopifyGid: result.codeDiscountNode?.id ?? null };
        }
        const value =
          discount.kind === "percent_off"
            ? { percentage: (discount.percent ?? 0) / 100 }
            : { discountAmount: { amount: decimal(discount.valueMinor ?? 0), appliesOnEachItem: false } };
        const data = await adminRequest(graphql, REFERRAL_BASIC_DISCOUNT, {
          variables: { discount: { ...common, customerGets: { value, items: { all: true } } } },
        });
        const result = data.discountCodeBasicCreate;
        if (!result || result.userErrors.length) {
          throw new ShopifyUserErrors("discountCodeBasicCreate", result?.userErrors ?? []);
        }
        return { shopifyGid: result.codeDiscountNode?.id ?? null };
      }),
    deactivate: (shopifyGid) =>
      refusalsAsRewardRefused(async () => {
        const data = await adminRequest(graphql, REFERRAL_DISCOUNT_DEACTIVATE, { variables: { id: shopifyGid } });
        const result = data.discountCodeDeactivate;
        if (!result || result.userErrors.length) {
          throw new ShopifyUserErrors("discountCodeDeactivate", result?.userErrors ?? []);
        }
      }),
    findByCode: async (code) => {
      const data = await adminRequest(graphql, REFERRAL_DISCOUNT_BY_CODE, { variables: { code } });
      return data.codeDiscountNodeByCode ? { shopifyGid: data.codeDiscountNodeByCode.id } : null;
    },
  };
}
