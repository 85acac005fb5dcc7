import { eq, sql } from "drizzle-orm";
import { customers } from "~/db/schema";
import type { ServiceContext } from "../context";

export interface HomeFigures {
  members: number;
  guests: number;
  pointsOutstanding: number;
}

/** The shop's headline figures; one pass over the (shop, status, points) index. */
export function getHomeFigures({ ctx }: { ctx: ServiceContext }): HomeFigures {
  const totals = ctx.db
    .select({
      members: sql<number>`coalesce(sum(case when ${customers.status} = 'member' then 1 else 0 end), 0)`,
      guests: sql<number>`coalesce(sum(case when ${customers.status} = 'guest' then 1 else 0 end), 0)`,
      pointsOutstanding: sql<number>`coalesce(sum(${customers.pointsBalance}), 0)`,
    })
    .from(customers)
    .where(eq(customers.shop, ctx.shop))
    .get();
  return {
    members: totals?.members ?? 0,
    guests: totals?.guests ?? 0,
    pointsOutstanding: totals?.pointsOutstanding ?? 0,
  };
}
