import { eq, sql } from "drizzle-orm";
import { shops } from "~/db/schema";
import { inTransaction, type ServiceContext } from "../context";
import { updateShopFacts } from "./update-shop-facts.server";

/**
 * Records that the shop has (re)installed Tally; a reinstall clears the uninstall mark. The shop facts read from
 * Shopify at install (currency, time zone, name) go through updateShopFacts, so a store currency that changed while
 * Tally was uninstalled carries the program over as shop/update would.
 */
export async function recordInstall({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { scope: string | null; currency?: string | null; timezone?: string | null; name?: string | null };
}) {
  const now = ctx.now.toISOString();
  await inTransaction(ctx, async (tx) => {
    const [known] = await tx.select({ shop: shops.shop }).from(shops).where(eq(shops.shop, ctx.shop));
    await tx
      .insert(shops)
      .values({ shop: ctx.shop, installedAt: now, scope: input.scope, currency: input.currency ?? null })
      .onConflictDoUpdate({
        target: shops.shop,
        set: {
          scope: input.scope,
          uninstalledAt: null,
          // Only a shop coming back from an uninstall gets a new install date.
          installedAt: sql`CASE WHEN ${shops.uninstalledAt} IS NULL THEN ${shops.installedAt} ELSE ${now} END`,
        },
      });
    if (!known || input.currency || input.timezone || input.name) {
      await updateShopFacts({
        ctx,
        tx,
        input: { currency: input.currency, timezone: input.timezone, name: input.name, at: null },
      });
    }
  });
}
