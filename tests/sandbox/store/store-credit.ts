/** Why a transaction happened (StoreCreditSystemEvent); the sandbox makes ADJUSTMENT, ORDER_PAYMENT and expiries. */
export type StoreCreditEvent = "ADJUSTMENT" | "ORDER_PAYMENT" | "ORDER_REFUND" | "ORDER_CANCELLATION";

export interface StoreCreditTransaction {
  id: string;
  /** A credit, a debit, or the expiry of what was left of a credit. */
  kind: "CREDIT" | "DEBIT" | "EXPIRATION";
  /** Signed, in the account's minor units: credits add, debits and expiries take away. */
  amountCents: number;
  balanceAfterCents: number;
  createdAt: string;
  /** A credit's expiry (debits spend the soonest-expiring credit first). */
  expiresAt: string | null;
  /** What is left of a credit: debits spend it; at expiry, what remained. */
  remainingCents?: number;
  expired?: boolean;
  event: StoreCreditEvent;
  /** The order transaction that paid with the credit (ORDER_PAYMENT), Shopify's `origin`. */
  origin?: { orderId: string; transactionId: string } | null;
  /** The credit an expiry expired. */
  creditTransactionId?: string;
}

/** One customer's store credit in one currency. */
export interface StoreCreditAccountRecord {
  id: string;
  customerId: string;
  currency: string;
  balanceCents: number;
  transactions: StoreCreditTransaction[];
}

/**
 * Expires every credit of the account whose expiry has come by `atMs`: an expiration transaction for what remained
 * of it, dated at its expiry. Shopify does this on time; the sandbox does it before every read and change of the
 * account, which nobody can tell apart. Returns how many credits expired.
 */
export function expireCredits(account: StoreCreditAccountRecord, atMs: number, nextId: () => string): number {
  const due = account.transactions
    .filter((t) => t.kind === "CREDIT" && !t.expired && t.expiresAt && Date.parse(t.expiresAt) <= atMs)
    .sort((a, b) => Date.parse(a.expiresAt!) - Date.parse(b.expiresAt!));
  for (const credit of due) {
    credit.expired = true;
    const remaining = credit.remainingCents ?? 0;
    if (remaining === 0) continue;
    account.balanceCents -= remaining;
    account.transactions.push({
      id: nextId(),
      kind: "EXPIRATION",
      amountCents: -remaining,
      balanceAfterCents: account.balanceCents,
      createdAt: credit.expiresAt!,
      expiresAt: null,
      event: "ADJUSTMENT",
      creditTransactionId: credit.id,
    });
  }
  return due.length;
}
