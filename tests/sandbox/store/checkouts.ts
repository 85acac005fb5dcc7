import { resourceId } from "../ids";
import { CATALOG } from "./catalog";
import type { CustomerTable } from "./customers";
import type { OrderLine } from "./orders";
import { DAY, rand, STREAM, type SeedPlan } from "./seed";

export interface CheckoutRecord {
  index: number;
  id: string;
  token: string;
  customerIndex: number | null;
  email: string | null;
  lines: OrderLine[];
  totalCents: number;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

/** A shop's abandoned checkouts: seeded ones virtual, one in ten orders' worth unless the seed says otherwise. */
export class CheckoutTable {
  readonly overrides = new Map<number, CheckoutRecord>();
  private count = 0;

  constructor(
    private readonly shopNumber: number,
    private readonly plan: () => SeedPlan,
    private readonly customers: CustomerTable,
  ) {}

  seeded(count: number) {
    this.count = count;
  }

  get slots() {
    return this.count;
  }

  find(index: number): CheckoutRecord | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.overrides.get(index) ?? this.seededCheckout(index);
  }

  add(build: (index: number, id: string) => CheckoutRecord): CheckoutRecord {
    const index = this.count++;
    const checkout = build(index, resourceId("Checkout", this.shopNumber, index));
    this.overrides.set(index, checkout);
    return checkout;
  }

  private seededCheckout(k: number): CheckoutRecord {
    const { seed, startMs, endMs, checkouts, customers } = this.plan();
    const r = (salt: number) => rand(seed, STREAM.checkouts, k, salt);
    const customerIndex = customers > 0 && r(1) < 0.5 ? Math.floor(r(2) * customers) : null;
    const productIndex = Math.floor(r(3) * CATALOG.length);
    const product = CATALOG[productIndex]!;
    const created = new Date(
      startMs + Math.floor(((endMs - startMs - DAY) * k) / Math.max(checkouts, 1)),
    ).toISOString();
    return {
      index: k,
      id: resourceId("Checkout", this.shopNumber, k),
      token: `${seed}c${k}`.padEnd(32, "0"),
      customerIndex,
      email:
        customerIndex === null ? `abandoned.${k}@example.com` : (this.customers.find(customerIndex)?.email ?? null),
      lines: [
        {
          id: resourceId("LineItem", this.shopNumber, 4_000_000_000 + k),
          productIndex,
          title: product.title,
          sku: product.sku,
          quantity: 1,
          unitCents: product.cents,
        },
      ],
      totalCents: product.cents,
      createdAt: created,
      updatedAt: created,
      completedAt: null,
    };
  }
}
