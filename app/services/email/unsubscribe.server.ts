import { and, eq } from "drizzle-orm";
import { customers, emailOutbox, emailSuppressions } from "~/db/schema";
import { inTransaction, type ServiceContext } from "../context";

/*
 * Tally's own unsubscribe list (issue 9: "anyone who unsubscribed from Tally's emails is skipped"). It is the shop's
 * list of customers who said "no more emails from this program", kept apart from Shopify's email marketing consent:
 * unsubscribing from an invitation does not unsubscribe the customer from the merchant's newsletters (that is the
 * merchant's consent to change, in Shopify), but Tally never emails them again.
 */

/** Whether the customer is on the shop's unsubscribe list; `known` is false when the customer is not the shop's. */
export async function getUnsubscribeState({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerId: number };
}): Promise<{ known: boolean; unsubscribed: boolean }> {
  const [customer] = await ctx.db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, input.customerId)));
  if (!customer) return { known: false, unsubscribed: false };
  const [row] = await ctx.db
    .select({ id: emailSuppressions.id })
    .from(emailSuppressions)
    .where(and(eq(emailSuppressions.shop, ctx.shop), eq(emailSuppressions.customerId, input.customerId)));
  return { known: true, unsubscribed: row !== undefined };
}

/**
 * Puts the customer on the shop's unsubscribe list (from the link in email `outboxId`), and skips their emails still
 * queued. Idempotent: a second click changes nothing. `source` is "one_click" for RFC 8058's POST from a mailbox
 * provider, "page" for the confirm button. Returns whether the customer is known to the shop and was already
 * unsubscribed.
 */
export async function unsubscribeCustomer({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerId: number; outboxId: number; source: "one_click" | "page" };
}): Promise<{ known: boolean; alreadyUnsubscribed: boolean }> {
  const now = ctx.now.toISOString();
  return inTransaction(ctx, async (tx) => {
    const [customer] = await tx
      .select({ id: customers.id, email: customers.email })
      .from(customers)
      .where(and(eq(customers.shop, ctx.shop), eq(customers.id, input.customerId)));
    if (!customer) return { known: false, alreadyUnsubscribed: false };
    const inserted = await tx
      .insert(emailSuppressions)
      .values({
        shop: ctx.shop,
        customerId: customer.id,
        email: customer.email?.toLowerCase() ?? null,
        source: input.source,
        outboxId: input.outboxId,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: emailSuppressions.id });
    await tx
      .update(emailOutbox)
      .set({ status: "skipped", skipReason: "unsubscribed", updatedAt: now })
      .where(
        and(eq(emailOutbox.shop, ctx.shop), eq(emailOutbox.customerId, customer.id), eq(emailOutbox.status, "queued")),
      );
    return { known: true, alreadyUnsubscribed: inserted.length === 0 };
  });
}
