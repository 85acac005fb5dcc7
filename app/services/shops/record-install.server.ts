import { sql } from "drizzle-orm";
import { shops } from "~/db/schema";
import type { ServiceContext } from "../context";

/** Records that the shop has (re)installed Tally; a reinstall clears the uninstall mark. */
export function recordInstall({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { scope: string | null; currency?: string | null };
}) {
  const now = ctx.now.toISOString();
  ctx.db
    .insert(shops)
    .values({ shop: ctx.shop, installedAt: now, scope: input.scope, currency: input.currency ?? null })
    .onConflictDoUpdate({
      target: shops.shop,
      set: {
        scope: input.scope,
        ...(input.currency ? { currency: input.currency } : {}),
        uninstalledAt: null,
        // Only a shop coming back from an uninstall gets a new install date.
        installedAt: sql`CASE WHEN ${shops.uninstalledAt} IS NULL THEN ${shops.installedAt} ELSE ${now} END`,
      },
    })
    .run();
}
