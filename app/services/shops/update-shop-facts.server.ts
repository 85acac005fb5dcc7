import { forgetShop } from "~/db/shop-cache.server";
import { and, eq, isNull } from "drizzle-orm";
import { rebaseProgram } from "~/domain/program";
import { currencyCodeSchema, storefrontRootsSchema, type StorefrontRoot } from "~/domain/shared";
import { programVersions, shops } from "~/db/schema";
import { inTransaction, type ServiceContext, type Tx } from "../context";
import { getProgram } from "../program/get-program.server";

export interface ShopFacts {
  /** ISO 4217 store currency ("EUR"). */
  currency?: string | null;
  /** IANA time zone ("Europe/Paris"). */
  timezone?: string | null;
  name?: string | null;
  /** The shop's money formats ("${{amount}}", "${{amount}} CAD"), as Shopify's shop.currencyFormats gives them. */
  moneyFormat?: string | null;
  moneyWithCurrencyFormat?: string | null;
  /** The shop's country, ISO 3166-1 alpha-2 ("CA"): where staff's national phone numbers are read. */
  country?: string | null;
  /**
   * Shopify's `customerAccountsV2`: "CLASSIC" or "NEW_CUSTOMER_ACCOUNTS", and whether login links are shown (decision
   * 064). Only the Admin API gives them; undefined or null (shop/update) keeps what Tally holds.
   */
  customerAccountsVersion?: string | null;
  loginLinksVisible?: boolean | null;
  /**
   * The online store's root URL per locale, the primary one first (Admin API `webPresences`); undefined or null
   * (shop/update, or Shopify withheld them) keeps what Tally holds.
   */
  storefrontRoots?: StorefrontRoot[] | null;
  /**
   * When Shopify's shop looked like this: the shop/update payload's updated_at, else the delivery's trigger time. An
   * older update never overwrites a newer one. Null for a live read from the Admin API (install), which is the shop
   * as it is now and is compared with nothing: Tally's clock and Shopify's are not the same clock.
   */
  at: string | null;
}

/**
 * The store currency changed from `from` to `to` (decision 008): the program is carried over at face value as a new
 * version by Shopify, and every older version is marked with the currency its amounts are in, so an order paid in
 * `from` before the change and delivered after it still earns under the program of its time.
 */
export async function changeProgramCurrency({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { from: string; to: string };
}) {
  const current = await getProgram({ ctx, tx });
  await tx
    .update(programVersions)
    .set({ currency: input.from })
    .where(and(eq(programVersions.shop, ctx.shop), isNull(programVersions.currency)));
  const now = ctx.now.toISOString();
  const [saved] = await tx
    .select({ id: programVersions.id })
    .from(programVersions)
    .where(eq(programVersions.shop, ctx.shop))
    .limit(1);
  if (!saved) {
    // The install defaults were never saved; they become version 1, in the currency they were in.
    await tx.insert(programVersions).values({
      shop: ctx.shop,
      version: current.version,
      settings: current.settings,
      currency: input.from,
      actor: "tally",
      createdAt: now,
    });
  }
  const next = rebaseProgram(
    { ...current, currency: currencyCodeSchema.parse(input.from) },
    currencyCodeSchema.parse(input.to),
  );
  await tx.insert(programVersions).values({
    shop: ctx.shop,
    version: next.version,
    settings: next.settings,
    currency: next.currency,
    actor: "shopify",
    createdAt: now,
  });
  forgetShop(tx, ctx.shop);
  return next;
}

/**
 * Keeps the shop row current from shop/update (or an Admin API read): currency, time zone, name, money formats,
 * country, the storefront's root URLs and its kind of customer accounts. Only a reading
 * newer than the one kept is applied. A change of currency carries the program over (changeProgramCurrency) and is
 * remembered for Home's notice. A shop Tally has no row for (never installed) is left alone.
 */
export async function updateShopFacts({ ctx, tx, input }: { ctx: ServiceContext; tx: Tx; input: ShopFacts }): Promise<{
  applied: boolean;
  currencyChanged: boolean;
}> {
  const [row] = await tx.select().from(shops).where(eq(shops.shop, ctx.shop));
  if (!row) return { applied: false, currencyChanged: false };
  if (input.at && row.shopUpdatedAt && Date.parse(input.at) <= Date.parse(row.shopUpdatedAt)) {
    return { applied: false, currencyChanged: false };
  }
  const currency = input.currency ? currencyCodeSchema.parse(input.currency) : null;
  const currencyChanged = currency !== null && row.currency !== null && currency !== row.currency;
  if (currencyChanged) await changeProgramCurrency({ ctx, tx, input: { from: row.currency!, to: currency } });
  const changes = {
    ...(input.at ? { shopUpdatedAt: new Date(Date.parse(input.at)).toISOString() } : {}),
    ...(currency ? { currency } : {}),
    ...(currencyChanged
      ? { previousCurrency: row.currency, currencyChangedAt: input.at ?? ctx.now.toISOString() }
      : {}),
    ...(input.timezone ? { timezone: input.timezone } : {}),
    ...(input.name ? { name: input.name } : {}),
    ...(input.moneyFormat ? { moneyFormat: input.moneyFormat } : {}),
    ...(input.moneyWithCurrencyFormat ? { moneyWithCurrencyFormat: input.moneyWithCurrencyFormat } : {}),
    ...(input.country && /^[A-Za-z]{2}$/.test(input.country) ? { country: input.country.toUpperCase() } : {}),
    ...(input.customerAccountsVersion ? { customerAccountsVersion: input.customerAccountsVersion } : {}),
    ...(typeof input.loginLinksVisible === "boolean" ? { loginLinksVisible: input.loginLinksVisible } : {}),
    ...(input.storefrontRoots ? { storefrontRoots: storefrontRootsSchema.parse(input.storefrontRoots) } : {}),
  };
  if (Object.keys(changes).length > 0) {
    await tx.update(shops).set(changes).where(eq(shops.shop, ctx.shop));
    forgetShop(tx, ctx.shop);
  }
  return { applied: true, currencyChanged };
}

/** Shop facts read from the Admin API (reconciliation, install), applied in a transaction of their own. */
export async function recordShopFacts({ ctx, input }: { ctx: ServiceContext; input: ShopFacts }) {
  return inTransaction(ctx, (tx) => updateShopFacts({ ctx, tx, input }));
}
