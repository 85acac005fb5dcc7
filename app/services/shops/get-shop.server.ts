import { eq } from "drizzle-orm";
import { shops } from "~/db/schema";
import { currencyCodeSchema, type CurrencyCode } from "~/domain/shared";
import type { ServiceContext, Tx } from "../context";

/** The shop's install record, or undefined for a shop Tally has never seen. */
export function findShop({ ctx }: { ctx: ServiceContext }) {
  return ctx.db.select().from(shops).where(eq(shops.shop, ctx.shop)).get();
}

/** The shop's currency as Tally knows it; USD until Shopify or a first order says otherwise. */
export function getShopCurrency({ ctx, tx }: { ctx: ServiceContext; tx?: Tx }): CurrencyCode {
  const row = (tx ?? ctx.db).select({ currency: shops.currency }).from(shops).where(eq(shops.shop, ctx.shop)).get();
  return currencyCodeSchema.catch("USD").parse(row?.currency ?? "USD");
}
