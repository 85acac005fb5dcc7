import { eq } from "drizzle-orm";
import { shops } from "~/db/schema";
import type { ServiceContext } from "../context";

/** The shop's install record, or undefined for a shop Tally has never seen. */
export function findShop({ ctx }: { ctx: ServiceContext }) {
  return ctx.db.select().from(shops).where(eq(shops.shop, ctx.shop)).get();
}
