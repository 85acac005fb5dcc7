import { eq } from "drizzle-orm";
import { currencyCodeSchema, shopMoneyWriter, type CurrencyCode, type MoneyWriter } from "~/domain/shared";
import { shops } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";

/**
 * How the storefront writes an amount in minor units of `currency`: with the shop's money-with-currency format
 * ("$10.00 CAD", "€10,00 EUR"; decision 041), read from Shopify and kept in shop facts. The code is always there: a
 * shopper browsing in another currency (Shopify Markets) must not take a CA$5 reward for US$5. An amount in another
 * currency than the shop's (a program version from before a currency change), or a shop whose formats Tally has not
 * read yet, is written "10.00 CAD". Inside a transaction, pass its `tx`.
 */
export async function getShopMoneyWriter({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx?: Tx;
  input: { currency: CurrencyCode };
}): Promise<MoneyWriter> {
  const [row] = await (tx ?? ctx.db)
    .select({ currency: shops.currency, format: shops.moneyWithCurrencyFormat })
    .from(shops)
    .where(eq(shops.shop, ctx.shop));
  const currency = currencyCodeSchema.parse(input.currency);
  return shopMoneyWriter(currency, row?.currency === currency ? row.format : null);
}
