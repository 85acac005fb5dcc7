import { type ControlDeps, customerId, shopOf } from "./deps";

/** Discount codes, store credit and metafields: what the app created, and codes a merchant makes by hand. */
export function discountControl({ shops, ops }: ControlDeps) {
  return {
    discountCodes: ({ shop }: { shop: string }) => shopOf(shops, shop).store.discountCodes,
    /** Automatic discounts (discountAutomaticBasicCreate), oldest first. */
    automaticDiscounts: ({ shop }: { shop: string }) => shopOf(shops, shop).store.discounts.automatic,
    /**
     * A code as a merchant makes one in the admin: a percentage (0..1), a fixed amount, or free shipping; for
     * everyone unless customers or segments are named; optionally once per customer, a usage limit, a minimum
     * subtotal (minor units) and an end. Fires discounts/create.
     */
    createDiscountCode: (input: {
      shop: string;
      code: string;
      title?: string;
      percentage?: number;
      amountCents?: number;
      freeShipping?: boolean;
      usageLimit?: number;
      appliesOncePerCustomer?: boolean;
      minimumSubtotalCents?: number;
      customerIds?: string[];
      segmentIds?: string[];
      startsAt?: string;
      endsAt?: string;
    }) =>
      ops.discounts.create(shopOf(shops, input.shop), {
        argument: input.freeShipping ? "freeShippingCodeDiscount" : "basicCodeDiscount",
        code: input.code,
        title: input.title ?? input.code,
        value: input.freeShipping
          ? { freeShipping: true, maximumShippingCents: null }
          : input.percentage !== undefined
            ? { percentage: Number(input.percentage) }
            : { amountCents: Number(input.amountCents ?? 0) },
        appliesOncePerCustomer: input.appliesOncePerCustomer ?? false,
        usageLimit: input.usageLimit ?? null,
        customerIds: input.customerIds?.length ? input.customerIds.map(customerId) : "all",
        segmentIds: (input.segmentIds ?? []).map((id) => id.replace(/^gid:\/\/shopify\/Segment\//, "")),
        minimumSubtotalCents: input.minimumSubtotalCents ?? null,
        startsAt: input.startsAt ?? new Date().toISOString(),
        endsAt: input.endsAt ?? null,
      }),
    /**
     * A discount's title changed in the admin (Discounts > a discount > Title), code or automatic, by its numeric id.
     * Fires discounts/update.
     */
    retitleDiscount: ({ shop, id, title }: { shop: string; id: string; title: string }) => {
      const record = shopOf(shops, shop);
      const automatic = record.store.discounts.automatic.some((discount) => discount.id === id);
      return ops.discounts.update(record, id, {
        argument: automatic ? "automaticBasicDiscount" : "basicCodeDiscount",
        title,
        unmodelled: [],
      });
    },
    /** A discount deleted in the admin (Discounts > a discount > Delete), code or automatic, by its numeric id. */
    deleteDiscount: ({ shop, id }: { shop: string; id: string }) => {
      const record = shopOf(shops, shop);
      return record.store.discounts.automatic.some((discount) => discount.id === id)
        ? ops.discounts.deleteAutomatic(record, id)
        : ops.discounts.delete(record, id);
    },
    storeCredit: ({ shop }: { shop: string }) => [...shopOf(shops, shop).store.storeCredit.values()],
    /** Store credit a merchant issues from the customer's page in Shopify admin (in the shop's currency unless named). */
    creditStoreCredit: (input: {
      shop: string;
      customerId: string;
      amountCents: number;
      currency?: string;
      expiresAt?: string;
    }) => {
      const record = shopOf(shops, input.shop);
      return ops.storeCredit.credit(
        record,
        { customerId: customerId(input.customerId) },
        Number(input.amountCents),
        input.currency ?? record.currency,
        input.expiresAt ?? null,
      );
    },
    /** Store credit a merchant deducts on the customer's page in Shopify admin (in the shop's currency unless named). */
    debitStoreCredit: (input: { shop: string; customerId: string; amountCents: number; currency?: string }) => {
      const record = shopOf(shops, input.shop);
      return ops.storeCredit.debit(
        record,
        { customerId: customerId(input.customerId) },
        Number(input.amountCents),
        input.currency ?? record.currency,
      );
    },
    /** Time passes: every store credit due to expire by `at` (default now) expires, each with its transaction. */
    expireStoreCredit: ({ shop, at }: { shop: string; at?: string }) => ({
      expired: ops.storeCredit.expireAll(shopOf(shops, shop), at ? Date.parse(at) : Date.now()),
    }),
    metafields: ({ shop }: { shop: string }) => shopOf(shops, shop).store.metafields,
  };
}
