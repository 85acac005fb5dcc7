import type { ShopRecord } from "../shops";
import type { WebhookDispatcher } from "../webhooks";
import { OperationsBase } from "./base";
import { CustomerOperations } from "./customers";
import { DiscountOperations } from "./discounts";
import { MetafieldOperations } from "./metafields";
import { OrderOperations } from "./orders";
import { SegmentOperations } from "./segments";
import { ShopOperations } from "./shops";
import { StoreCreditOperations } from "./store-credit";

export { iso, SandboxError, SandboxErrors, type UserErrorSpec } from "./base";
export { totalsOf } from "./orders";

/**
 * Store changes, one area each, every change firing the webhooks Shopify fires for it. GraphQL mutations and the
 * control API both go through here, so an app mutation and a shopper action look the same to webhook subscribers.
 */
export class Operations {
  private readonly base: OperationsBase;
  readonly customers: CustomerOperations;
  readonly segments: SegmentOperations;
  readonly orders: OrderOperations;
  readonly discounts: DiscountOperations;
  readonly storeCredit: StoreCreditOperations;
  readonly metafields: MetafieldOperations;
  readonly shops: ShopOperations;

  constructor(webhooks: WebhookDispatcher) {
    this.base = new OperationsBase(webhooks);
    this.customers = new CustomerOperations(this.base);
    this.segments = new SegmentOperations(this.base);
    this.customers.onChange((shop, before, after, segmentsBefore) =>
      this.segments.settle(shop, segmentsBefore ?? this.segments.membershipOf(shop, before), after),
    );
    this.discounts = new DiscountOperations(this.base, this.segments);
    this.storeCredit = new StoreCreditOperations();
    this.orders = new OrderOperations(this.base, this.customers, this.segments, this.discounts, this.storeCredit);
    this.metafields = new MetafieldOperations();
    this.shops = new ShopOperations(this.base);
  }

  /** Sends a webhook of the shop's (bulk operations report their end this way). */
  emit(shop: ShopRecord, topic: string, body: string) {
    return this.base.emit(shop, topic, body);
  }
}
