import { eq, sql } from "drizzle-orm";
import { customers } from "~/db/schema";
import type { ServiceContext } from "../context";

export interface HomeFigures {
  members: number;
  guests: number;
  /** Points customers hold and may spend: positive balances only (a debt is not negative liability). */
  pointsOutstanding: number;
  /** Points customers owe (decision 001), summed as a positive number, and how many customers owe them. */
  pointsOwed: number;
  customersOwing: number;
}

/**
 * The shop's headline figures; one pass over the (shop, status, points) index. Points outstanding (the program's
 * liability) counts positive balances only; debts are summed apart (decision 022).
 */
export async function getHomeFigures({ ctx }: { ctx: ServiceContext }): Promise<HomeFigures> {
  const [totals] = await ctx.db
    .select({
      // Read as numbers on both dialects (PostgreSQL returns sums as text).
      members: sql`coalesce(sum(case when ${customers.status} = 'member' then 1 else 0 end), 0)`.mapWith(Number),
      guests: sql`coalesce(sum(case when ${customers.status} = 'guest' then 1 else 0 end), 0)`.mapWith(Number),
      pointsOutstanding:
        sql`coalesce(sum(case when ${customers.pointsBalance} > 0 then ${customers.pointsBalance} else 0 end), 0)`.mapWith(
          Number,
        ),
      pointsOwed:
        sql`coalesce(sum(case when ${customers.pointsBalance} < 0 then -${customers.pointsBalance} else 0 end), 0)`.mapWith(
          Number,
        ),
      customersOwing: sql`coalesce(sum(case when ${customers.pointsBalance} < 0 then 1 else 0 end), 0)`.mapWith(Number),
    })
    .from(customers)
    .where(eq(customers.shop, ctx.shop));
  return {
    members: totals?.members ?? 0,
    guests: totals?.guests ?? 0,
    pointsOutstanding: totals?.pointsOutstanding ?? 0,
    pointsOwed: totals?.pointsOwed ?? 0,
    customersOwing: totals?.customersOwing ?? 0,
  };
}
