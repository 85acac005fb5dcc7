import { forgetShop } from "~/db/shop-cache.server";
import { eq, sql } from "drizzle-orm";
import { shops } from "~/db/schema";
import { inTransaction, type ServiceContext } from "../context";
import { announceJobRunRequest, requestJobRun } from "../scheduled-jobs/job-state.server";
import { updateShopFacts, type ShopFacts } from "./update-shop-facts.server";

/** The same access scopes, whatever their order or spacing ("read_orders,read_customers"). */
function sameScopes(a: string | null, b: string | null): boolean {
  const set = (scope: string | null) =>
    (scope ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)
      .sort()
      .join(",");
  return set(a) === set(b);
}

/**
 * Records that the shop has (re)installed Tally; a reinstall clears the uninstall mark. The shop facts read from
 * Shopify at install (currency, time zone, name, money formats) go through updateShopFacts, so a store currency that changed while
 * Tally was uninstalled carries the program over as shop/update would. An install, a reinstall or a change of scopes
 * requests a reconciliation (the install sync, the first time), which the scheduler runs at once; recording the same
 * install again requests nothing. Returns whether it did.
 */
export async function recordInstall({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { scope: string | null } & Omit<ShopFacts, "at">;
}): Promise<{ reconciliationRequested: boolean }> {
  const now = ctx.now.toISOString();
  const requested = await inTransaction(ctx, async (tx) => {
    const [known] = await tx
      .select({ scope: shops.scope, uninstalledAt: shops.uninstalledAt })
      .from(shops)
      .where(eq(shops.shop, ctx.shop));
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
    forgetShop(tx, ctx.shop);
    const { scope: _scope, ...facts } = input;
    if (!known || Object.values(facts).some(Boolean)) {
      await updateShopFacts({ ctx, tx, input: { ...facts, at: null } });
    }
    const changed = !known || known.uninstalledAt !== null || !sameScopes(known.scope, input.scope);
    if (changed) await requestJobRun({ ctx, tx, input: { job: "reconcile" } });
    return changed;
  });
  if (requested) announceJobRunRequest(ctx.shop, "reconcile");
  return { reconciliationRequested: requested };
}
