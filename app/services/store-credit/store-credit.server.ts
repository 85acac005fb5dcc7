import { refuseIfDeleted } from "~/domain/customers";
import { and, asc, desc, eq, isNotNull, lte, type SQL } from "drizzle-orm";
import { shopDayEnd } from "~/domain/shared/shop-time";
import { getShopTimeZone } from "~/services/shops/get-shop.server";
import { DomainError, type CurrencyCode } from "~/domain/shared";
import { customerDisplayName } from "~/domain/customers";
import { columnBalance, overDeduction, StoreCreditShort, type StoreCreditChange } from "~/domain/store-credit";
import { customers, shops, storeCreditTransactions } from "~/db/schema";
import { customerSubject, recordAudit } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext, type Tx } from "../context";

/** One transaction of a Shopify store credit account, amounts signed in minor units of `currency`. */
export interface StoreCreditTransactionView {
  /** Shopify's transaction gid; null for an expiration, which has none in the Admin API. */
  transactionGid: string | null;
  kind: "credit" | "debit" | "debit_revert" | "expiration";
  amountMinor: number;
  currency: CurrencyCode;
  balanceAfterMinor: number;
  createdAt: string;
  /** Shopify's StoreCreditSystemEvent: ADJUSTMENT (staff or an app), ORDER_PAYMENT, ORDER_REFUND, … */
  event: string;
  expiresAt: string | null;
  /** What is left of a credit (credits only). */
  remainingMinor: number | null;
  /** The order a payment or refund belongs to. */
  orderName: string | null;
}

/** One store credit account: a customer's credit in one currency, as Shopify keeps it. */
export interface StoreCreditAccountView {
  accountGid: string;
  currency: CurrencyCode;
  balanceMinor: number;
  /** Newest first (the latest 25 of each of the first 5 accounts: Shopify caps a query at 1,000 points of cost). */
  transactions: StoreCreditTransactionView[];
}

/** What a credit or a debit answers: the transaction and its account's balance after it. */
export interface StoreCreditAnswer {
  accountGid: string;
  accountBalanceMinor: number;
  transaction: StoreCreditTransactionView;
}

/**
 * Shopify's store credit for one customer (app/shopify/admin/store-credit.server.ts). `accounts` is null when
 * Shopify no longer has the customer. `credit` and `debit` throw DomainError "shopify_refused" with Shopify's
 * userErrors keyed by the form's fields (`amount`, `currency`, `expiresOn`) when Shopify refuses.
 */
export interface StoreCreditShopify {
  accounts(customerGid: string): Promise<StoreCreditAccountView[] | null>;
  credit(
    customerGid: string,
    input: { amountMinor: number; currency: CurrencyCode; expiresAt: string | null },
  ): Promise<StoreCreditAnswer>;
  debit(customerGid: string, input: { amountMinor: number; currency: CurrencyCode }): Promise<StoreCreditAnswer>;
}

/** Shopify's transaction with what Tally knows of it: the reason and staff member when staff made it in Tally. */
export type StoreCreditHistoryRow = StoreCreditTransactionView & { reason: string | null; actorName: string | null };

export interface StoreCreditCard {
  /** False when Shopify no longer has the customer. */
  found: boolean;
  /**
   * Shopify did not answer the read (its message): the card shows the figure Tally last stored instead of the
   * accounts, and the rest of the profile still loads.
   */
  unavailable: string | null;
  /** The figure Tally last stored (the directory's column), minor units of `currency`. */
  stored: { amountMinor: number; currency: CurrencyCode | null };
  accounts: Array<Omit<StoreCreditAccountView, "transactions">>;
  /** Every account's transactions, newest first. */
  history: StoreCreditHistoryRow[];
  /** The currencies staff may issue in: the shop's first, then those the customer already holds. */
  currencies: CurrencyCode[];
}

async function getCustomer(ctx: ServiceContext, customerId: number) {
  const [row] = await ctx.db
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, customerId)));
  if (!row) throw new DomainError("not_found", "No such customer", { customerId });
  return row;
}

async function shopCurrencyOf(ctx: ServiceContext): Promise<CurrencyCode | null> {
  const [shop] = await ctx.db.select({ currency: shops.currency }).from(shops).where(eq(shops.shop, ctx.shop));
  return (shop?.currency as CurrencyCode | null | undefined) ?? null;
}

/**
 * The profile's Store credit card: the customer's balance per currency and history, read from Shopify now (Shopify
 * sends no store credit webhook, so there is nothing to keep current from), each transaction staff made in Tally
 * shown with its reason and staff member. When what Shopify answered differs from the directory's figure (credit
 * spent at checkout, changed in Shopify admin), the figure is rewritten from it after the read, in its own small
 * transaction; when they agree nothing is written. When the read fails, answers `unavailable` with Tally's stored
 * figure rather than throwing. Throws "not_found" for a customer of another shop.
 */
export async function getStoreCredit({
  ctx,
  input,
  shopify,
}: {
  ctx: ServiceContext;
  input: { customerId: number };
  shopify: Pick<StoreCreditShopify, "accounts">;
}): Promise<StoreCreditCard> {
  const customer = await getCustomer(ctx, input.customerId);
  const shopCurrency = await shopCurrencyOf(ctx);
  let accounts: StoreCreditAccountView[] | null;
  try {
    accounts = await shopify.accounts(customer.customerGid);
  } catch (error) {
    // The profile is Tally's own figures first; a store credit read that fails must not take the page down with it.
    return {
      found: true,
      unavailable: error instanceof Error ? error.message : String(error),
      stored: { amountMinor: customer.storeCreditMinor, currency: customer.storeCreditCurrency as CurrencyCode | null },
      accounts: [],
      history: [],
      currencies: shopCurrency ? [shopCurrency] : [],
    };
  }
  let stored = {
    amountMinor: customer.storeCreditMinor,
    currency: customer.storeCreditCurrency as CurrencyCode | null,
  };
  if (accounts) {
    // Shopify sends no store credit webhook: a profile view is where credit spent or changed elsewhere is learnt.
    const shown = columnBalance(accounts, shopCurrency);
    if (shown.amountMinor !== stored.amountMinor || shown.currency !== stored.currency) {
      stored = await inTransaction(ctx, (tx) =>
        recordStoreCreditBalance({ ctx, tx, input: { customerId: customer.id, accounts } }),
      );
    }
  }
  const ours = await ctx.db
    .select({
      transactionGid: storeCreditTransactions.transactionGid,
      reason: storeCreditTransactions.reason,
      actorName: storeCreditTransactions.actorName,
    })
    .from(storeCreditTransactions)
    .where(and(eq(storeCreditTransactions.shop, ctx.shop), eq(storeCreditTransactions.customerId, customer.id)));
  const byGid = new Map(ours.map((row) => [row.transactionGid, row]));
  const history = (accounts ?? [])
    .flatMap((account) => account.transactions)
    .map((t) => {
      const mine = t.transactionGid ? byGid.get(t.transactionGid) : undefined;
      return { ...t, reason: mine?.reason ?? null, actorName: mine?.actorName ?? null };
    })
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const currencies = [
    ...new Set([...(shopCurrency ? [shopCurrency] : []), ...(accounts ?? []).map((account) => account.currency)]),
  ];
  return {
    found: accounts !== null,
    unavailable: null,
    stored,
    accounts: (accounts ?? []).map(({ transactions: _transactions, ...account }) => account),
    history,
    currencies,
  };
}

/**
 * Writes the directory's store credit figure for one customer (customers.store_credit_minor and _currency) from the
 * accounts Shopify answered, inside the caller's transaction: the shop's currency, else the largest other balance
 * (`columnBalance`). Returns what it wrote.
 */
export async function recordStoreCreditBalance({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { customerId: number; accounts: ReadonlyArray<{ currency: CurrencyCode; balanceMinor: number }> };
}) {
  const [shop] = await tx.select({ currency: shops.currency }).from(shops).where(eq(shops.shop, ctx.shop));
  const shown = columnBalance(input.accounts, (shop?.currency as CurrencyCode | null | undefined) ?? null);
  await tx
    .update(customers)
    .set({ storeCreditMinor: shown.amountMinor, storeCreditCurrency: shown.currency, updatedAt: ctx.now.toISOString() })
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, input.customerId)));
  return shown;
}

/** A customer whose store credit an order webhook said moved, with the mark it left (an ISO time). */
export interface StaleStoreCredit {
  id: number;
  customerGid: string;
  staleAt: string;
}

/**
 * How long a customer whose store credit Shopify would not give waits before it is read again: 15 minutes, so a read
 * that keeps failing costs at most four Admin API calls an hour, and the customers marked after it are read meanwhile.
 */
export const STORE_CREDIT_RETRY_MS = 15 * 60 * 1000;

/**
 * The customers whose store credit an order moved (paid with it, refunded to it) since Tally's figure was written and
 * whose read is due (at or before `ctx.now`): oldest mark first, at most `limit`, for the background read
 * (app/jobs/scheduled/refresh-store-credit.server.ts). A mark is when the read is due: an order's webhook marks the
 * time it was applied, a failed read postpones it (`postponeStoreCreditRead`).
 */
export async function listStaleStoreCredit({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { limit: number };
}): Promise<StaleStoreCredit[]> {
  const rows = await ctx.db
    .select({ id: customers.id, customerGid: customers.customerGid, staleAt: customers.storeCreditStaleAt })
    .from(customers)
    .where(
      and(
        eq(customers.shop, ctx.shop),
        isNotNull(customers.storeCreditStaleAt),
        lte(customers.storeCreditStaleAt, ctx.now.toISOString()),
      ),
    )
    .orderBy(asc(customers.storeCreditStaleAt), asc(customers.id))
    .limit(input.limit);
  return rows.map((row) => ({ ...row, staleAt: row.staleAt! }));
}

/**
 * The compare-and-set of a background read on its customer's mark: the customer `customerId` of `ctx.shop` whose
 * `store_credit_stale_at` is still the `staleAt` the read was listed with (listStaleStoreCredit). A webhook that marked
 * the customer again while Shopify was being read moved the mark, so the update that clears or postpones it matches no
 * row and the newer mark stands (read on the next run).
 */
function markStillAt(ctx: ServiceContext, input: { customerId: number; staleAt: string }): SQL | undefined {
  return and(
    eq(customers.shop, ctx.shop),
    eq(customers.id, input.customerId),
    eq(customers.storeCreditStaleAt, input.staleAt),
  );
}

/**
 * Puts off the read of a customer whose store credit Shopify would not give (an error, a throttle, a lost connection)
 * by `STORE_CREDIT_RETRY_MS` from `ctx.now`, behind the customers marked since, so one failing read neither holds the
 * others back nor costs a Shopify call every tick. A mark an order set while Shopify was being read is newer news and
 * is left as it is (read on the next run). Returns whether the mark was moved.
 */
export async function postponeStoreCreditRead({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerId: number; staleAt: string };
}): Promise<boolean> {
  const dueAt = new Date(ctx.now.getTime() + STORE_CREDIT_RETRY_MS).toISOString();
  const moved = await ctx.db
    .update(customers)
    .set({ storeCreditStaleAt: dueAt })
    .where(markStillAt(ctx, input))
    .returning({ id: customers.id });
  return moved.length > 0;
}

/**
 * Writes what the background read of a marked customer's accounts found, in one transaction: the directory's figure
 * (`recordStoreCreditBalance`) and the mark cleared, unless a later webhook marked the customer again while Shopify
 * was being read (then the next run reads again). `accounts` null (Shopify no longer has the customer) clears the
 * mark and keeps the figure.
 */
export async function recordRefreshedStoreCredit({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: {
    customerId: number;
    staleAt: string;
    accounts: ReadonlyArray<{ currency: CurrencyCode; balanceMinor: number }> | null;
  };
}) {
  return inTransaction(ctx, async (tx) => {
    const [cleared] = await tx
      .update(customers)
      .set({ storeCreditStaleAt: null })
      .where(markStillAt(ctx, input))
      .returning({ id: customers.id });
    if (!input.accounts) return null;
    // Marked again meanwhile: still written (it is newer than the figure), and read again on the next run.
    const shown = await recordStoreCreditBalance({
      ctx,
      tx,
      input: { customerId: input.customerId, accounts: input.accounts },
    });
    return { ...shown, cleared: cleared !== undefined };
  });
}

/**
 * Issues (storeCreditAccountCredit) or deducts (storeCreditAccountDebit) store credit in Shopify, then, in one
 * transaction: Tally's row (reason, staff member, Shopify's transaction id), the directory's store credit figure and
 * the audit line (`store_credit.issue` / `store_credit.deduct`, the account's balance before and after). A deduction
 * past the balance Shopify has just answered is refused before asking ("invalid_input" on `amount`, naming what the
 * customer holds), and again in those words when Shopify refuses it (spent meanwhile); Shopify decides the rest: an
 * expiry in the past or a currency the shop does not sell in comes back as "shopify_refused" with Shopify's message
 * on the form's field, and nothing is written. A resubmitted form (same `requestId`) returns the first answer without
 * calling Shopify again. Amounts in minor units of `currency`. Throws "not_found" for a customer of another shop, or
 * one Shopify no longer has.
 */
export async function changeStoreCredit({
  ctx,
  input,
  shopify,
}: {
  ctx: ServiceContext;
  input: StoreCreditChange & { customerId: number };
  shopify: StoreCreditShopify;
}): Promise<{ applied: boolean; balanceMinor: number; currency: CurrencyCode }> {
  const customer = await getCustomer(ctx, input.customerId);
  refuseIfDeleted(customer, "store_credit");
  const [done] = await ctx.db
    .select()
    .from(storeCreditTransactions)
    .where(and(eq(storeCreditTransactions.shop, ctx.shop), eq(storeCreditTransactions.requestId, input.requestId)));
  if (done) return { applied: false, balanceMinor: done.balanceAfterMinor, currency: done.currency as CurrencyCode };

  // Read first: a deduction is checked against the balance, and the other accounts give the directory's figure.
  const before = await shopify.accounts(customer.customerGid);
  if (!before) throw new DomainError("not_found", "Shopify no longer has this customer", { customerId: customer.id });
  const name = customerDisplayName(customer);
  const storeCurrency = await shopCurrencyOf(ctx);
  const heldOf = (accounts: readonly StoreCreditAccountView[]) =>
    accounts.find((account) => account.currency === input.currency)?.balanceMinor ?? 0;
  const tooMuch = (heldMinor: number) =>
    input.direction === "deduct" ? overDeduction(name, { ...input, heldMinor, storeCurrency }) : null;
  const refusal = tooMuch(heldOf(before));
  if (refusal) throw new DomainError("invalid_input", refusal, { fieldErrors: { amount: [refusal] } });

  // Spendable to the end of the chosen day in the shop's zone (decision 050), to the second as Shopify dates it.
  const expiresAt = input.expiresOn
    ? shopDayEnd(input.expiresOn, await getShopTimeZone({ ctx })).replace(/\.\d{3}Z$/, "Z")
    : null;
  let answer: StoreCreditAnswer;
  try {
    answer =
      input.direction === "issue"
        ? await shopify.credit(customer.customerGid, { ...input, expiresAt })
        : await shopify.debit(customer.customerGid, input);
  } catch (error) {
    if (!(error instanceof StoreCreditShort)) throw error;
    // Spent meanwhile (an order paid with it): say what the customer holds now, as the check above would have.
    const now = heldOf((await shopify.accounts(customer.customerGid)) ?? []);
    const words = tooMuch(now) ?? error.message;
    throw new DomainError("shopify_refused", words, { ...error.details, fieldErrors: { amount: [words] } });
  }
  // Shopify answered the one account it changed (perhaps new); the others are as read before.
  const accounts = [
    ...before.filter((account) => account.accountGid !== answer.accountGid),
    { currency: input.currency, balanceMinor: answer.accountBalanceMinor },
  ];
  const { transaction } = answer;
  const balanceBefore = answer.accountBalanceMinor - transaction.amountMinor;
  await inTransaction(ctx, async (tx) => {
    await tx.insert(storeCreditTransactions).values({
      shop: ctx.shop,
      customerId: customer.id,
      transactionGid: transaction.transactionGid ?? `${answer.accountGid}:${transaction.createdAt}`,
      accountGid: answer.accountGid,
      kind: input.direction === "issue" ? "credit" : "debit",
      amountMinor: transaction.amountMinor,
      currency: input.currency,
      balanceAfterMinor: answer.accountBalanceMinor,
      expiresAt: transaction.expiresAt,
      reason: input.reason,
      actor: ctx.actor,
      actorName: ctx.actorName ?? null,
      requestId: input.requestId,
      createdAt: ctx.now.toISOString(),
    });
    await recordStoreCreditBalance({ ctx, tx, input: { customerId: customer.id, accounts } });
    await recordAudit({
      ctx,
      tx,
      input: {
        action: input.direction === "issue" ? "store_credit.issue" : "store_credit.deduct",
        subject: customerSubject(customer),
        customerId: customer.id,
        before: { balanceMinor: balanceBefore, currency: input.currency },
        after: {
          balanceMinor: answer.accountBalanceMinor,
          currency: input.currency,
          amountMinor: transaction.amountMinor,
          expiresAt: transaction.expiresAt,
          reason: input.reason,
          transactionGid: transaction.transactionGid,
        },
        requestId: input.requestId,
      },
    });
  });
  return { applied: true, balanceMinor: answer.accountBalanceMinor, currency: input.currency };
}

/** Tally's store credit rows about one customer, newest first: for the activity log and the data export. */
export async function listStoreCreditRows({ ctx, input }: { ctx: ServiceContext; input: { customerId: number } }) {
  return ctx.db
    .select()
    .from(storeCreditTransactions)
    .where(and(eq(storeCreditTransactions.shop, ctx.shop), eq(storeCreditTransactions.customerId, input.customerId)))
    .orderBy(desc(storeCreditTransactions.id));
}
