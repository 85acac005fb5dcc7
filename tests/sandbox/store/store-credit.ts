export interface StoreCreditTransaction {
  id: string;
  amountCents: number;
  balanceAfterCents: number;
  createdAt: string;
  expiresAt: string | null;
  kind: "CREDIT" | "DEBIT";
}

export interface StoreCreditAccountRecord {
  id: string;
  customerId: string;
  currency: string;
  balanceCents: number;
  transactions: StoreCreditTransaction[];
}
