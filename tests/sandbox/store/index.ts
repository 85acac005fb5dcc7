import { resourceId, resourceIndex, type ResourceType } from "../ids";
import { CheckoutTable } from "./checkouts";
import { CustomerTable } from "./customers";
import { DiscountTable } from "./discounts";
import type { ErasureRequestRecord, SentEmailRecord } from "./mail";
import type { MetafieldRecord } from "./metafields";
import { OrderTable } from "./orders";
import type { SegmentRecord } from "./segments";
import { DAY, emptyPlan, type SeedOptions, type SeedPlan } from "./seed";
import type { StoreCreditAccountRecord } from "./store-credit";

export { CATALOG, type Product } from "./catalog";
export type { CheckoutRecord } from "./checkouts";
export type { AddressRecord, CustomerRecord, CustomerState, MarketingState } from "./customers";
export { discountStatus, type AutomaticDiscountRecord, type DiscountCodeRecord, type DiscountValue } from "./discounts";
export type { ErasureRequestRecord, SentEmailRecord } from "./mail";
export type { MetafieldRecord } from "./metafields";
export type { EditRecord, OrderLine, OrderRecord, RefundLine, RefundRecord } from "./orders";
export { shippingAddressOf } from "./orders";
export type { SeedOptions } from "./seed";
export type { SegmentRecord } from "./segments";
export {
  expireCredits,
  type StoreCreditAccountRecord,
  type StoreCreditEvent,
  type StoreCreditTransaction,
} from "./store-credit";

/**
 * One shop's data, one table per record kind. Seeded customers, orders and checkouts are virtual (recomputed from the
 * seed on read) until something changes them, which keeps a million-customer shop to a few typed arrays.
 */
export class ShopStore {
  private plan: SeedPlan = emptyPlan();
  readonly customers: CustomerTable;
  readonly orders: OrderTable;
  readonly checkouts: CheckoutTable;
  readonly discounts = new DiscountTable();
  /** Store credit accounts by id, and each customer's (one per currency) by customer id. */
  readonly storeCredit = new Map<string, StoreCreditAccountRecord>();
  private readonly storeCreditByCustomer = new Map<string, StoreCreditAccountRecord[]>();
  readonly metafields: MetafieldRecord[] = [];
  readonly sentEmails: SentEmailRecord[] = [];
  readonly segments: SegmentRecord[] = [];
  /** Pending data erasures by customer id. */
  readonly erasureRequests = new Map<string, ErasureRequestRecord>();
  private counters = new Map<ResourceType, number>();

  constructor(
    readonly shopNumber: number,
    readonly currency: string,
  ) {
    const plan = () => this.plan;
    this.customers = new CustomerTable(shopNumber, plan);
    this.orders = new OrderTable(shopNumber, plan, this.customers);
    this.checkouts = new CheckoutTable(shopNumber, plan, this.customers);
  }

  addStoreCreditAccount(account: StoreCreditAccountRecord) {
    this.storeCredit.set(account.id, account);
    this.storeCreditByCustomer.set(account.customerId, [...this.storeCreditAccountsOf(account.customerId), account]);
  }

  storeCreditAccountsOf(customerId: string): readonly StoreCreditAccountRecord[] {
    return this.storeCreditByCustomer.get(customerId) ?? [];
  }

  /** Every discount code, oldest first. */
  get discountCodes() {
    return this.discounts.all;
  }

  id(type: ResourceType, index: number) {
    return resourceId(type, this.shopNumber, index);
  }

  indexOf(type: ResourceType, id: string) {
    return resourceIndex(type, this.shopNumber, id);
  }

  /** A fresh id for a record that is not indexed by position (line items, addresses, discounts...). */
  nextId(type: ResourceType): string {
    const next = (this.counters.get(type) ?? 5_000_000_000) + 1;
    this.counters.set(type, next);
    return this.id(type, next);
  }

  seed(options: SeedOptions) {
    if (this.customers.slots > 0 || this.orders.slots > 0) throw new Error("This shop is already seeded");
    const endMs = options.until ? Date.parse(options.until) : Math.floor(Date.now() / DAY) * DAY;
    this.plan = {
      seed: options.seed ?? 1,
      customers: options.customers,
      orders: options.orders,
      checkouts: options.abandonedCheckouts ?? Math.floor(options.orders / 10),
      startMs: endMs - 730 * DAY,
      endMs,
    };
    this.customers.seeded(options.customers);
    this.checkouts.seeded(this.plan.checkouts);
    this.orders.seeded();
  }

  get seedPlan(): Readonly<SeedPlan> {
    return this.plan;
  }
}
