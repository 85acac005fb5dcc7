import { decimalAmount } from "../money";
import type { ShopRecord } from "../shops";
import {
  expireCredits,
  type StoreCreditAccountRecord,
  type StoreCreditEvent,
  type StoreCreditTransaction,
} from "../store/index";
import { iso, SandboxError } from "./base";

/** Which account a mutation names: an account's id, or its owner's (the account in the amount's currency). */
export type AccountRef = { accountId: string } | { customerId: string };

/**
 * Store credit, as shopify.dev describes it: one account per customer and currency, opened by the first credit in a
 * currency the shop sells in; debits spend the soonest-expiring credit first; a credit that expires leaves an
 * expiration transaction of what remained of it. Shopify sends no webhook for any of it.
 */
export class StoreCreditOperations {
  credit(
    shop: ShopRecord,
    ref: AccountRef,
    amountCents: number,
    currency: string,
    expiresAt: string | null,
    event: StoreCreditEvent = "ADJUSTMENT",
  ) {
    const field = (...path: string[]) => ["creditInput", ...path];
    let account: StoreCreditAccountRecord | undefined;
    if ("accountId" in ref) {
      account = shop.store.storeCredit.get(ref.accountId);
      if (!account) throw new SandboxError("The store credit account could not be found.", ["id"], "ACCOUNT_NOT_FOUND");
      if (account.currency !== currency)
        throw new SandboxError(
          "The currency provided does not match the currency of the store credit account.",
          field("creditAmount", "currencyCode"),
          "MISMATCHING_CURRENCY",
        );
    } else if (!shop.store.customers.findById(ref.customerId)) {
      throw new SandboxError("Owner does not exist.", ["id"], "OWNER_NOT_FOUND");
    }
    if (!shop.presentmentCurrencies.includes(currency))
      throw new SandboxError(
        "The currency provided is not currently supported.",
        field("creditAmount", "currencyCode"),
        "UNSUPPORTED_CURRENCY",
      );
    if (amountCents <= 0)
      throw new SandboxError(
        "A positive amount must be used to credit a store credit account.",
        field("creditAmount", "amount"),
        "NEGATIVE_OR_ZERO_AMOUNT",
      );
    if (expiresAt !== null && Date.parse(expiresAt) <= Date.now())
      throw new SandboxError("The expiry date must be in the future.", field("expiresAt"), "EXPIRES_AT_IN_PAST");
    account ??= this.accountOf(shop, (ref as { customerId: string }).customerId, currency, true)!;
    this.expire(shop, account);
    account.balanceCents += amountCents;
    const transaction: StoreCreditTransaction = {
      id: shop.store.nextId("StoreCreditAccountTransaction"),
      kind: "CREDIT",
      amountCents,
      balanceAfterCents: account.balanceCents,
      createdAt: iso(),
      expiresAt,
      remainingCents: amountCents,
      event,
    };
    account.transactions.push(transaction);
    return { account, transaction };
  }

  debit(
    shop: ShopRecord,
    ref: AccountRef,
    amountCents: number,
    currency: string,
    options: { event?: StoreCreditEvent; origin?: StoreCreditTransaction["origin"] } = {},
  ) {
    const field = (...path: string[]) => ["debitInput", ...path];
    const account =
      "accountId" in ref
        ? shop.store.storeCredit.get(ref.accountId)
        : this.accountOf(shop, ref.customerId, currency, false);
    if (!account) throw new SandboxError("The store credit account could not be found.", ["id"], "ACCOUNT_NOT_FOUND");
    if (account.currency !== currency)
      throw new SandboxError(
        "The currency provided does not match the currency of the store credit account.",
        field("debitAmount", "currencyCode"),
        "MISMATCHING_CURRENCY",
      );
    if (amountCents <= 0)
      throw new SandboxError(
        "A positive amount must be used to debit a store credit account.",
        field("debitAmount", "amount"),
        "NEGATIVE_OR_ZERO_AMOUNT",
      );
    this.expire(shop, account);
    if (amountCents > account.balanceCents)
      throw new SandboxError(
        "The store credit account does not have sufficient funds to satisfy the request.",
        field("debitAmount", "amount"),
        "INSUFFICIENT_FUNDS",
      );
    // The soonest-expiring credit is spent first; credits that never expire last, oldest first.
    let left = amountCents;
    const credits = account.transactions
      .filter((t) => t.kind === "CREDIT" && !t.expired && (t.remainingCents ?? 0) > 0)
      .sort((a, b) => (Date.parse(a.expiresAt ?? "9999-12-31") || 0) - (Date.parse(b.expiresAt ?? "9999-12-31") || 0));
    for (const credit of credits) {
      const spent = Math.min(left, credit.remainingCents!);
      credit.remainingCents! -= spent;
      left -= spent;
      if (left === 0) break;
    }
    account.balanceCents -= amountCents;
    const transaction: StoreCreditTransaction = {
      id: shop.store.nextId("StoreCreditAccountTransaction"),
      kind: "DEBIT",
      amountCents: -amountCents,
      balanceAfterCents: account.balanceCents,
      createdAt: iso(),
      expiresAt: null,
      event: options.event ?? "ADJUSTMENT",
      origin: options.origin ?? null,
    };
    account.transactions.push(transaction);
    return { account, transaction };
  }

  /** A customer's account in a currency; opened empty when `open` is set. */
  accountOf(shop: ShopRecord, customerId: string, currency: string, open: boolean) {
    let account = shop.store.storeCreditAccountsOf(customerId).find((a) => a.currency === currency);
    if (!account && open) {
      account = {
        id: shop.store.nextId("StoreCreditAccount"),
        customerId,
        currency,
        balanceCents: 0,
        transactions: [],
      };
      shop.store.addStoreCreditAccount(account);
    }
    return account;
  }

  /** Expires what is due by `atMs` (default now) in one account (see expireCredits). */
  expire(shop: ShopRecord, account: StoreCreditAccountRecord, atMs = Date.now()) {
    return expireCredits(account, atMs, () => shop.store.nextId("StoreCreditAccountTransaction"));
  }

  /** Expires, across the shop, what is due by `atMs`: tests jump ahead in time with it. */
  expireAll(shop: ShopRecord, atMs = Date.now()) {
    let expired = 0;
    for (const account of shop.store.storeCredit.values()) expired += this.expire(shop, account, atMs);
    return expired;
  }

  /** The balance a shopper can spend at checkout, in the shop's currency: text for the storefront. */
  describe(shop: ShopRecord, customerId: string) {
    const account = this.accountOf(shop, customerId, shop.currency, false);
    if (!account) return null;
    this.expire(shop, account);
    return { account, text: `${decimalAmount(account.balanceCents, account.currency)} ${account.currency}` };
  }
}
