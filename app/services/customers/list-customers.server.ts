import { and, asc, eq, gt } from "drizzle-orm";
import { customers } from "~/db/schema";
import type { ServiceContext } from "../context";

export interface CustomerRow {
  id: number;
  name: string;
  email: string | null;
  status: "member" | "guest";
  pointsBalance: number;
  joinedAt: string | null;
}

/** A page of the shop's customers in id order, keyset-paginated so page N costs the same as page 1. */
export function listCustomers({ ctx, input }: { ctx: ServiceContext; input: { after?: number; limit: number } }) {
  const rows = ctx.db
    .select({
      id: customers.id,
      firstName: customers.firstName,
      lastName: customers.lastName,
      email: customers.email,
      status: customers.status,
      pointsBalance: customers.pointsBalance,
      joinedAt: customers.joinedAt,
    })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), input.after ? gt(customers.id, input.after) : undefined))
    .orderBy(asc(customers.id))
    .limit(input.limit + 1)
    .all();
  const page: CustomerRow[] = rows.slice(0, input.limit).map((row) => ({
    id: row.id,
    name: [row.firstName, row.lastName].filter(Boolean).join(" ") || "(no name)",
    email: row.email,
    status: row.status,
    pointsBalance: row.pointsBalance,
    joinedAt: row.joinedAt,
  }));
  return { customers: page, nextCursor: rows.length > input.limit ? page.at(-1)?.id : undefined };
}
