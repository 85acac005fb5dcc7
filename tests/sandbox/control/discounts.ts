import { type ControlDeps, shopOf } from "./deps";

/** Discount codes, store credit and metafields: what the app created, and codes a merchant makes by hand. */
export function discountControl({ shops, ops }: ControlDeps) {
  return {
    discountCodes: ({ shop }: { shop: string }) => shopOf(shops, shop).store.discountCodes,
    /** A code any shopper can use, as a merchant makes one in the admin: a percentage (0..1) or a fixed amount. */
    createDiscountCode: (input: {
      shop: string;
      code: string;
      percentage?: number;
      amountCents?: number;
      usageLimit?: number;
    }) =>
      ops.discounts.create(shopOf(shops, input.shop), {
        code: input.code,
        title: input.code,
        value:
          input.percentage !== undefined ? { percentage: input.percentage } : { amountCents: input.amountCents ?? 0 },
        appliesOncePerCustomer: false,
        usageLimit: input.usageLimit ?? null,
        customerIds: "all",
        startsAt: new Date().toISOString(),
        endsAt: null,
      }),
    storeCredit: ({ shop }: { shop: string }) => [...shopOf(shops, shop).store.storeCredit.values()],
    metafields: ({ shop }: { shop: string }) => shopOf(shops, shop).store.metafields,
  };
}
