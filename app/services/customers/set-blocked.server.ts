import { and, eq } from "drizzle-orm";
import { DomainError } from "~/domain/shared";
import { customers } from "~/db/schema";
import { inTransaction, type ServiceContext } from "../context";

/**
 * Blocks or unblocks a customer. A blocked customer earns and redeems nothing; what they would have earned is kept in
 * earning_skips with the reason, so unblocking never pretends the points were earned.
 */
export async function setCustomerBlocked({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerId: number; blocked: boolean };
}) {
  const updated = await inTransaction(ctx, (tx) =>
    tx
      .update(customers)
      .set({ blocked: input.blocked, updatedAt: ctx.now.toISOString() })
      .where(and(eq(customers.shop, ctx.shop), eq(customers.id, input.customerId)))
      .returning({ id: customers.id }),
  );
  if (updated.length === 0) throw new DomainError("not_found", "No such customer");
}
