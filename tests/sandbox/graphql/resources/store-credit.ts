import { gid, parseGid } from "../../ids";
import { toMinorUnits } from "../../money";
import type { ShopRecord } from "../../shops";
import type { StoreCreditAccountRecord } from "../../store/index";
import { connection, fromList, type ConnectionArgs } from "../connection";
import type { AdminContext, NodeFinders } from "../context";
import { dt, money, userError } from "../values";

export function storeCreditView(shop: ShopRecord, a: StoreCreditAccountRecord): Record<string, unknown> {
  return {
    __typename: "StoreCreditAccount",
    id: gid("StoreCreditAccount", a.id),
    balance: money(a.balanceCents, a.currency),
    owner: (_args: unknown, ctx: AdminContext) => {
      const c = shop.store.customers.findById(a.customerId);
      return c ? ctx.views.customer(shop, c) : null;
    },
    transactions: (args: ConnectionArgs, ctx: AdminContext) =>
      connection(args, ctx, true, {
        scan: (from, rev) => fromList(a.transactions, from, rev),
        view: (t) => storeCreditTransactionView(shop, a, t),
      }),
  };
}

export function storeCreditTransactionView(
  shop: ShopRecord,
  a: StoreCreditAccountRecord,
  t: StoreCreditAccountRecord["transactions"][number],
) {
  return {
    __typename: t.kind === "CREDIT" ? "StoreCreditAccountCreditTransaction" : "StoreCreditAccountDebitTransaction",
    id: gid(t.kind === "CREDIT" ? "StoreCreditAccountCreditTransaction" : "StoreCreditAccountDebitTransaction", t.id),
    amount: money(t.amountCents, a.currency),
    balanceAfterTransaction: money(t.balanceAfterCents, a.currency),
    remainingAmount: money(t.amountCents, a.currency),
    createdAt: dt(t.createdAt),
    expiresAt: dt(t.expiresAt),
    event: "ADJUSTMENT",
    origin: null,
    account: () => storeCreditView(shop, a),
  };
}

export const storeCreditNodes: NodeFinders = {
  StoreCreditAccount: (shop, id) => {
    const a = shop.store.storeCredit.get(id);
    return a ? storeCreditView(shop, a) : null;
  },
};

export const storeCreditQueries = (ctx: AdminContext) => ({
  storeCreditAccount: ({ id }: { id: string }) => ctx.views.node(ctx.shop, id),
});

export const storeCreditMutations = (ctx: AdminContext) => {
  const { shop, ops } = ctx;
  const store = shop.store;
  return {
    storeCreditAccountCredit: ({
      id,
      creditInput,
    }: {
      id: string;
      creditInput: { creditAmount: { amount: string; currencyCode: string }; expiresAt?: string | null };
    }) => {
      const parsed = parseGid(id);
      let customerId: string | undefined;
      if (parsed?.type === "Customer" && store.customers.findById(parsed.id)) customerId = parsed.id;
      if (parsed?.type === "StoreCreditAccount") customerId = store.storeCredit.get(parsed.id)?.customerId;
      if (!customerId)
        return {
          storeCreditAccountTransaction: null,
          userErrors: [{ field: ["id"], message: "Owner does not exist.", code: "ACCOUNT_NOT_FOUND" }],
        };
      try {
        const { account, transaction } = ops.storeCredit.credit(
          shop,
          customerId,
          toMinorUnits(creditInput.creditAmount.amount, creditInput.creditAmount.currencyCode),
          creditInput.creditAmount.currencyCode,
          creditInput.expiresAt ?? null,
        );
        return {
          storeCreditAccountTransaction: storeCreditTransactionView(shop, account, transaction),
          userErrors: [],
        };
      } catch (error) {
        return { storeCreditAccountTransaction: null, userErrors: [userError(error)] };
      }
    },
  };
};
