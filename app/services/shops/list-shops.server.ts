import { isNull } from "drizzle-orm";
import { shops } from "~/db/schema";
import type { Db } from "~/db/client.server";

/** Shops with Tally installed now, for the background jobs. */
export function listInstalledShops({ db }: { db: Db }): string[] {
  return db
    .select({ shop: shops.shop })
    .from(shops)
    .where(isNull(shops.uninstalledAt))
    .all()
    .map((row) => row.shop);
}
