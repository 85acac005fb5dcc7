import { gid, parseGid } from "../../ids";
import { toMinorUnits } from "../../money";
import type { AccountRef } from "../../operations/store-credit";
import type { ShopRecord } from "../../shops";
import { expireCredits, type StoreCreditAccountRecord, type StoreCreditTransaction } from "../../store/index";
import { connection, fromList, type ConnectionArgs } from "../connection";
import type { AdminContext, NodeFinders } from "../context";
import { dt, money, moneyBag, userErrors } from "../values";
import { orderView } from "./orders";

const TYPENAMES = {
  CREDIT: "StoreCreditAccountCreditTransaction",
  DEBIT: "StoreCreditAccountDebitTransaction",
  EXPIRATION: "StoreCreditAccountExpirationTransaction",
} as const;

/** An account as Admin GraphQL shows it, credits that expired since the last look expired first. */
export function storeCreditView(shop: ShopRecord, a: StoreCreditAccountRecord): Record<string, unknown> {
  expireCredits(a, Date.now(), () => shop.store.nextId("StoreCreditAccountTransaction"));
  return {
    __typename: "StoreCreditAccount",
    id: gid("StoreCreditAccount", a.id),
    balance: money(a.balanceCents, a.currency),
    owner: (_args: unknown, context: AdminContext) => {
      const c = shop.store.customers.findById(a.customerId);
      return c ? context.views.customer(shop, c) : null;
    },
    transactions: (args: ConnectionArgs, context: AdminContext) =>
      connection(args, context, true, {
        scan: (from, rev) => fromList(a.transactions, from, rev),
        view: (t) => storeCreditTransactionView(shop, a, t),
        search: {
          text: () => [],
          fields: {
            id: (t) => t.id,
            created_at: (t) => t.createdAt,
            expires_at: (t) => t.expiresAt,
            type: (t) => t.kind.toLowerCase(),
            event: (t) => t.event,
          },
          dates: ["created_at", "expires_at"],
          numbers: ["id"],
        },
        sort: { CREATED_AT: (t) => t.createdAt, EXPIRES_AT: (t) => t.expiresAt ?? "9999" },
      }),
  };
}

export function storeCreditTransactionView(
  shop: ShopRecord,
  a: StoreCreditAccountRecord,
  t: StoreCreditTransaction,
): Record<string, unknown> {
  const typename = TYPENAMES[t.kind];
  const credit = t.creditTransactionId ? a.transactions.find((x) => x.id === t.creditTransactionId) : undefined;
  return {
    __typename: typename,
    // An expiration has no id of its own in the schema; the sandbox keeps one for cursors.
    ...(t.kind === "EXPIRATION" ? {} : { id: gid(typename, t.id) }),
    amount: money(t.amountCents, a.currency),
    balanceAfterTransaction: money(t.balanceAfterCents, a.currency),
    createdAt: dt(t.createdAt),
    event: t.event,
    origin: t.origin ? orderTransactionView(shop, a, t) : null,
    account: () => storeCreditView(shop, a),
    ...(t.kind === "CREDIT"
      ? { expiresAt: dt(t.expiresAt), remainingAmount: money(t.remainingCents ?? 0, a.currency) }
      : {}),
    ...(credit ? { creditTransaction: () => storeCreditTransactionView(shop, a, credit) } : {}),
  };
}

/** The order payment a debit was: Shopify's `origin`, an OrderTransaction on the store credit gateway. */
function orderTransactionView(shop: ShopRecord, a: StoreCreditAccountRecord, t: StoreCreditTransaction) {
  const origin = t.origin!;
  return {
    __typename: "OrderTransaction",
    id: gid("OrderTransaction", origin.transactionId),
    kind: "SALE",
    status: "SUCCESS",
    gateway: "shopify_store_credit",
    amountSet: moneyBag(-t.amountCents, a.currency),
    createdAt: dt(t.createdAt),
    processedAt: dt(t.createdAt),
    order: () => {
      const o = shop.store.orders.findById(origin.orderId);
      return o ? orderView(shop, o) : null;
    },
  };
}

/** A customer's accounts, one per currency, for Customer.storeCreditAccounts. */
export function storeCreditAccountsOf(shop: ShopRecord, customerId: string) {
  return (args: ConnectionArgs, ctx: AdminContext) =>
    connection(args, ctx, true, {
      scan: (from, rev) => fromList([...shop.store.storeCreditAccountsOf(customerId)], from, rev),
      view: (a) => storeCreditView(shop, a),
      search: {
        text: (a) => [a.currency],
        fields: { id: (a) => a.id, currency_code: (a) => a.currency },
        numbers: ["id"],
      },
    });
}

export const storeCreditNodes: NodeFinders = {
  StoreCreditAccount: (shop, id) => {
    const a = shop.store.storeCredit.get(id);
    return a ? storeCreditView(shop, a) : null;
  },
};

export const storeCreditQueries = (ctx: AdminContext) => ({
  storeCreditAccount: ({ id }: { id: string }) =>
    ctx.views.node(ctx.shop, id.startsWith("gid://shopify/StoreCreditAccount/") ? id : "x"),
});

/** The account a mutation's `id` names: a store credit account, or its owner (a customer). */
function accountRef(id: string): AccountRef {
  const parsed = parseGid(id);
  if (parsed?.type === "StoreCreditAccount") return { accountId: parsed.id };
  return { customerId: parsed?.type === "Customer" ? parsed.id : "" };
}

export const storeCreditMutations = (ctx: AdminContext) => {
  const { shop, ops } = ctx;
  return {
    storeCreditAccountCredit: ({
      id,
      creditInput,
    }: {
      id: string;
      creditInput: { creditAmount: { amount: string; currencyCode: string }; expiresAt?: string | null };
    }) => {
      try {
        const { account, transaction } = ops.storeCredit.credit(
          shop,
          accountRef(id),
          toMinorUnits(creditInput.creditAmount.amount, creditInput.creditAmount.currencyCode),
          creditInput.creditAmount.currencyCode,
          creditInput.expiresAt ?? null,
        );
        return {
          storeCreditAccountTransaction: storeCreditTransactionView(shop, account, transaction),
          userErrors: [],
        };
      } catch (error) {
        return { storeCreditAccountTransaction: null, userErrors: userErrors(error) };
      }
    },
    storeCreditAccountDebit: ({
      id,
      debitInput,
    }: {
      id: string;
      debitInput: { debitAmount: { amount: string; currencyCode: string } };
    }) => {
      try {
        const { account, transaction } = ops.storeCredit.debit(
          shop,
          accountRef(id),
          toMinorUnits(debitInput.debitAmount.amount, debitInput.debitAmount.currencyCode),
          debitInput.debitAmount.currencyCode,
        );
        return {
          storeCreditAccountTransaction: storeCreditTransactionView(shop, account, transaction),
          userErrors: [],
        };
      } catch (error) {
        return { storeCreditAccountTransaction: null, userErrors: userErrors(error) };
      }
    },
  };
};
