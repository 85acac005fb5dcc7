import { eq, sql } from "drizzle-orm";
import { prepared } from "~/db/prepared";
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

/**
 * Where the shop stands with Tally: `installed` from the first token exchange (afterAuth) until app/uninstalled,
 * `uninstalled` after it (until shop/redact erases the record), `unknown` for a shop that never installed. Read on
 * every webhook and app-proxy request, so it is one prepared primary-key lookup.
 */
export type InstallState = "installed" | "uninstalled" | "unknown";

export function getInstallState({ ctx }: { ctx: ServiceContext }): InstallState {
  const row = prepared(ctx.db, "shop-install-state", (db) =>
    db
      .select({ uninstalledAt: shops.uninstalledAt })
      .from(shops)
      .where(eq(shops.shop, sql.placeholder("shop")))
      .prepare(),
  ).get({ shop: ctx.shop });
  if (!row) return "unknown";
  return row.uninstalledAt ? "uninstalled" : "installed";
}
