import { and, eq, isNull } from "drizzle-orm";
import { sessions, shops } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";
import { forgetShop } from "~/db/shop-cache.server";

/**
 * Shopify revoked the app's tokens: drop every session of the shop and mark it uninstalled. Idempotent, and fine
 * when no session or shop row exists (a redelivery, or a shop that never finished installing).
 */
export async function recordUninstall({ ctx, tx }: { ctx: ServiceContext; tx: Tx }) {
  await tx.delete(sessions).where(eq(sessions.shop, ctx.shop));
  await tx
    .update(shops)
    .set({ uninstalledAt: ctx.now.toISOString() })
    .where(and(eq(shops.shop, ctx.shop), isNull(shops.uninstalledAt)));
  forgetShop(tx, ctx.shop);
}
