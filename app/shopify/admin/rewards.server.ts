import { GraphqlQueryError } from "@shopify/shopify-api";
import { RewardRefused } from "~/domain/ledger";
import { formatMinor, toMinor, type CurrencyCode } from "~/domain/shared";
import type { RewardIssuer, RewardLookup } from "~/services/rewards/redeem-points.server";
import { adminRequest, shopifyCurrency, ShopifyUserErrors, type AdminGraphql } from "./graphql.server";

const DISCOUNT_CODE_BASIC_CREATE = `#graphql
  mutation TallyRewardDiscount($discount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $discount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

const DISCOUNT_CODE_FREE_SHIPPING_CREATE = `#graphql
  mutation TallyRewardFreeShipping($discount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $discount) {
      codeDiscountNode { id }
      userErrors { field message code }
    }
  }
`;

const STORE_CREDIT_ACCOUNT_CREDIT = `#graphql
  mutation TallyRewardStoreCredit($id: ID!, $credit: StoreCreditAccountCreditInput!) {
    storeCreditAccountCredit(id: $id, creditInput: $credit) {
      storeCreditAccountTransaction {
        id
        account { owner { storeCreditAccounts(first: 5) { nodes { balance { amount currencyCode } } } } }
      }
      userErrors { field message code }
    }
  }
`;

const CODE_DISCOUNT_NODE_BY_CODE = `#graphql
  query TallyRewardByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) { id }
  }
`;

function decimal(amountMinor: number, currency: string): string {
  return formatMinor(amountMinor, currency as CurrencyCode);
}

/**
 * Shopify answered and created nothing: its user errors, or a GraphQL error response (the operation did not run).
 * A network failure is not one of these: the mutation may have run, so it must not give points back.
 */
function asRefusal(error: unknown): unknown {
  if (error instanceof ShopifyUserErrors) return new RewardRefused(error.message);
  if (error instanceof GraphqlQueryError) return new RewardRefused(error.message);
  return error;
}

/** Creates rewards in Shopify: single-use codes only this customer can use, or native store credit. */
export function shopifyRewardIssuer(graphql: AdminGraphql): RewardIssuer {
  const issue = createReward(graphql);
  return async (reward) => {
    try {
      return await issue(reward);
    } catch (error) {
      throw asRefusal(error);
    }
  };
}

function createReward(graphql: AdminGraphql): RewardIssuer {
  return async (reward) => {
    const { option } = reward;
    const common = {
      title: `Tally reward: ${reward.title}`,
      code: reward.code,
      startsAt: new Date().toISOString(),
      usageLimit: 1,
      appliesOncePerCustomer: true,
      context: { customers: { add: [reward.customerGid] } },
      minimumRequirement:
        option.minimumSubtotalMinor > 0
          ? { subtotal: { greaterThanOrEqualToSubtotal: decimal(option.minimumSubtotalMinor, reward.currency) } }
          : null,
    };
    if (option.kind === "store_credit") {
      const data = await adminRequest(graphql, STORE_CREDIT_ACCOUNT_CREDIT, {
        variables: {
          id: reward.customerGid,
          credit: {
            creditAmount: {
              amount: decimal(option.amountMinor, reward.currency),
              currencyCode: shopifyCurrency(reward.currency),
            },
          },
        },
      });
      const result = data.storeCreditAccountCredit;
      if (!result || result.userErrors.length) {
        throw new ShopifyUserErrors("storeCreditAccountCredit", result?.userErrors ?? []);
      }
      const transaction = result.storeCreditAccountTransaction;
      // The customer's accounts after the credit, so the directory's figure moves with it (decision 027).
      const storeCreditAccounts = transaction?.account.owner.storeCreditAccounts.nodes.map(({ balance }) => {
        const currency = balance.currencyCode as CurrencyCode;
        return { currency, balanceMinor: toMinor(balance.amount, currency) };
      });
      return { shopifyGid: transaction?.id ?? null, storeCreditAccounts };
    }
    if (option.kind === "free_shipping") {
      const data = await adminRequest(graphql, DISCOUNT_CODE_FREE_SHIPPING_CREATE, { variables: { discount: common } });
      const result = data.discountCodeFreeShippingCreate;
      if (!result || result.userErrors.length) {
        throw new ShopifyUserErrors("discountCodeFreeShippingCreate", result?.userErrors ?? []);
      }
      return { shopifyGid: result.codeDiscountNode?.id ?? null };
    }
    const value =
      option.kind === "percent_off"
        ? { percentage: option.percent / 100 }
        : { discountAmount: { amount: decimal(option.amountMinor, reward.currency), appliesOnEachItem: false } };
    const data = await adminRequest(graphql, DISCOUNT_CODE_BASIC_CREATE, {
      variables: { discount: { ...common, customerGets: { value, items: { all: true } } } },
    });
    const result = data.discountCodeBasicCreate;
    if (!result || result.userErrors.length) {
      throw new ShopifyUserErrors("discountCodeBasicCreate", result?.userErrors ?? []);
    }
    return { shopifyGid: result.codeDiscountNode?.id ?? null };
  };
}

/**
 * Finds a reward's code in Shopify after a crash. Store credit has no code to find, and returning its points could
 * pay the customer twice, so it is left for staff ("unknown").
 */
export function shopifyRewardLookup(graphql: AdminGraphql): RewardLookup {
  return async (reward) => {
    if (reward.kind === "store_credit" || !reward.code) return "unknown";
    const data = await adminRequest(graphql, CODE_DISCOUNT_NODE_BY_CODE, { variables: { code: reward.code } });
    return data.codeDiscountNodeByCode ? { shopifyGid: data.codeDiscountNodeByCode.id } : null;
  };
}
