import type { ShopRecord } from "../shops";
import { iso, SandboxError } from "./base";

/** Store credit accounts: one per customer and currency, opened by the first credit. */
export class StoreCreditOperations {
  credit(shop: ShopRecord, customerId: string, amountCents: number, currency: string, expiresAt: string | null) {
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
}
