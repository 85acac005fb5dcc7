import { eq, sql } from "drizzle-orm";
import { prepared } from "~/db/prepared";
import { shops } from "~/db/schema";
import { currencyCodeSchema, type CurrencyCode } from "~/domain/shared";
import type { ServiceContext, Tx } from "../context";
import { shopEntry } from "~/db/shop-cache.server";

/** The shop's install record, or undefined for a shop Tally has never seen. */
export async function findShop({ ctx }: { ctx: ServiceContext }) {
  const [row] = await ctx.db.select().from(shops).where(eq(shops.shop, ctx.shop));
  return row;
}

/** The shop's currency as Tally knows it; USD until Shopify or a first order says otherwise. */
export async function getShopCurrency({ ctx, tx }: { ctx: ServiceContext; tx?: Tx }): Promise<CurrencyCode> {
  const [row] = await (tx ?? ctx.db).select({ currency: shops.currency }).from(shops).where(eq(shops.shop, ctx.shop));
  return currencyCodeSchema.catch("USD").parse(row?.currency ?? "USD");
}

/**
 * The shop's IANA time zone ("America/Toronto") as Shopify last told Tally (the Shop object at install, shop/update
 * since), or null when it never did.
 */
export async function getShopTimeZone({ ctx, tx }: { ctx: ServiceContext; tx?: Tx }): Promise<string | null> {
  const [row] = await (tx ?? ctx.db).select({ timeZone: shops.timezone }).from(shops).where(eq(shops.shop, ctx.shop));
  return row?.timeZone ?? null;
}

/**
 * The shop's country (ISO 3166-1 alpha-2, "CA") as Shopify last told Tally (the Shop object at install and each
 * reconciliation, shop/update since), or null when it never did: staff's national phone numbers are read in it.
 */
export async function getShopCountry({ ctx, tx }: { ctx: ServiceContext; tx?: Tx }): Promise<string | null> {
  const [row] = await (tx ?? ctx.db).select({ country: shops.country }).from(shops).where(eq(shops.shop, ctx.shop));
  return row?.country ?? null;
}

/**
 * Where the shop stands with Tally: `installed` from the first token exchange (afterAuth) until app/uninstalled,
 * `uninstalled` after it (until shop/redact erases the record), `unknown` for a shop that never installed. Read on
 * every webhook and app-proxy request, so it is one prepared primary-key lookup, kept per shop on SQLite until an
 * install, uninstall or redaction writes it (shop-cache.server.ts).
 */
export type InstallState = "installed" | "uninstalled" | "unknown";

export async function getInstallState({ ctx }: { ctx: ServiceContext }): Promise<InstallState> {
  const cached = shopEntry(ctx.db, ctx.shop);
  if (cached?.install) return cached.install;
  const state = await readInstallState(ctx);
  if (cached) cached.install = state;
  return state;
}

async function readInstallState(ctx: ServiceContext): Promise<InstallState> {
  const [row] = await prepared(ctx.db, "shop-install-state", (db) =>
    db
      .select({ uninstalledAt: shops.uninstalledAt })
      .from(shops)
      .where(eq(shops.shop, sql.placeholder("shop")))
      .prepare(),
  ).execute({ shop: ctx.shop });
  if (!row) return "unknown";
  return row.uninstalledAt ? "uninstalled" : "installed";
}
