import { isNull } from "drizzle-orm";
import { shops } from "~/db/schema";
import type { AllShopsContext } from "../context";

/** Shops with Tally installed now, for the background jobs. */
export async function listInstalledShops({ ctx }: { ctx: AllShopsContext }): Promise<string[]> {
  const rows = await ctx.db.select({ shop: shops.shop }).from(shops).where(isNull(shops.uninstalledAt));
  return rows.map((row) => row.shop);
}
