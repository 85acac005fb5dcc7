import type * as payloads from "../payloads";
import type { ShopRecord } from "../shops";
import type { WebhookDispatcher } from "../webhooks";

/** A change Shopify refuses, with the `field` path and `code` its userErrors name. */
export class SandboxError extends Error {
  constructor(
    message: string,
    readonly field: string[] | null = null,
    readonly code = "INVALID",
  ) {
    super(message);
  }
}

/** One entry of a mutation's `userErrors`. */
export interface UserErrorSpec {
  field: string[] | null;
  message: string;
  code: string;
}

/** Several refusals at once, as Shopify reports every invalid field of an input together. */
export class SandboxErrors extends Error {
  constructor(readonly errors: UserErrorSpec[]) {
    super(errors.map((e) => e.message).join("; "));
  }
}

/** Shopify's timestamps: ISO 8601 in UTC, whole seconds. */
export const iso = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** What every area of operations shares: the webhooks they fire, and the shop as payloads need it. */
export class OperationsBase {
  constructor(private readonly webhooks: WebhookDispatcher) {}

  emit(shop: ShopRecord, topic: string, body: string) {
    return this.webhooks.emit(shop.domain, topic, body);
  }

  info(shop: ShopRecord): payloads.ShopInfo {
    return {
      domain: shop.domain,
      numericId: shop.numericId,
      currency: shop.currency,
      taxRate: shop.taxRate,
      store: shop.store,
    };
  }
}
