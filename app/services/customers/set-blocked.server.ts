import { refuseIfDeleted } from "~/domain/customers";
import { and, eq } from "drizzle-orm";
import { DomainError } from "~/domain/shared";
import { customers } from "~/db/schema";
import { customerSubject, recordAudit } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext } from "../context";
import { joinUnblockedMembers } from "../referrals/referral-joining.server";

/**
 * Blocks or unblocks a customer. A blocked customer earns and redeems nothing; what they would have earned is kept in
 * earning_skips with the reason, so unblocking never pretends the points were earned. Staff can still adjust their
 * points on their profile; a bulk adjustment leaves them out (decision 065). A change is recorded in the audit
 * trail (`customer.block` / `customer.unblock`) in its transaction; asking for the state the customer is already in
 * changes and records nothing. An unblocked Member is in the referral program when it joins Members automatically.
 */
export async function setCustomerBlocked({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerId: number; blocked: boolean };
}): Promise<{ changed: boolean }> {
  return inTransaction(ctx, async (tx) => {
    const [customer] = await tx
      .select({
        id: customers.id,
        blocked: customers.blocked,
        firstName: customers.firstName,
        lastName: customers.lastName,
        email: customers.email,
        customerGid: customers.customerGid,
        deletedAt: customers.deletedAt,
      })
      .from(customers)
      .where(and(eq(customers.shop, ctx.shop), eq(customers.id, input.customerId)));
    if (!customer) throw new DomainError("not_found", "No such customer");
    refuseIfDeleted(customer, "block");
    if (customer.blocked === input.blocked) return { changed: false };
    await tx
      .update(customers)
      .set({ blocked: input.blocked, updatedAt: ctx.now.toISOString() })
      .where(and(eq(customers.shop, ctx.shop), eq(customers.id, input.customerId)));
    if (!input.blocked) await joinUnblockedMembers({ ctx, tx, input: { customerIds: [customer.id] } });
    await recordAudit({
      ctx,
      tx,
      input: {
        action: input.blocked ? "customer.block" : "customer.unblock",
        subject: customerSubject(customer),
        customerId: customer.id,
        before: { blocked: customer.blocked },
        after: { blocked: input.blocked },
      },
    });
    return { changed: true };
  });
}
