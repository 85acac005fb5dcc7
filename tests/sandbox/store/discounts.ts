export interface DiscountCodeRecord {
  id: string;
  codeId: string;
  code: string;
  title: string;
  /** Either a percentage (0..1) or a fixed amount in minor units. */
  value: { percentage: number } | { amountCents: number };
  appliesOncePerCustomer: boolean;
  usageLimit: number | null;
  customerIds: string[] | "all";
  startsAt: string;
  endsAt: string | null;
  usageCount: number;
  createdAt: string;
  updatedAt: string;
}
