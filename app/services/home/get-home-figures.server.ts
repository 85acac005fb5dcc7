import { eq, sql } from "drizzle-orm";
import { customers } from "~/db/schema";
import type { ServiceContext } from "../context";

export interface HomeFigures {
  members: number;
  guests: number;
  pointsOutstanding: number;
}

/** The shop's headline figures; one pass over the (shop, status, points) index. */
export async function getHomeFigures({ ctx }: { ctx: ServiceContext }): Promise<HomeFigures> {
  const [totals] = await ctx.db
    .select({
      // Read as numbers on both dialects (PostgreSQL returns sums as text).
      members: sql`coalesce(sum(case when ${customers.status} = 'member' then 1 else 0 end), 0)`.mapWith(Number),
      guests: sql`coalesce(sum(case when ${customers.status} = 'guest' then 1 else 0 end), 0)`.mapWith(Number),
      pointsOutstanding: sql`coalesce(sum(${customers.pointsBalance}), 0)`.mapWith(Number),
    })
    .from(customers)
    .where(eq(customers.shop, ctx.shop));
  return {
    members: totals?.members ?? 0,
    guests: totals?.guests ?? 0,
    pointsOutstanding: totals?.pointsOutstanding ?? 0,
  };
}
