import { and, eq, sql } from "drizzle-orm";
import { checkouts, customers } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";
import { ensureEmbeddedCustomer, type EmbeddedCustomer } from "../customers/customer-rows.server";

/**
 * checkouts/create and checkouts/update: keeps the newest state of each checkout, for "non-converting" customers, and
 * what the checkout's customer carries (a guest Shopify made for the email the shopper typed has that email, name and
 * phone in Tally too; ensureEmbeddedCustomer).
 */
export async function recordCheckout({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: {
    token: string;
    /** The checkout's customer as its payload embeds it; null when the checkout has none yet. */
    customer: EmbeddedCustomer | null;
    email: string | null;
    completedAt: string | null;
    updatedAt: string;
  };
}) {
  const customer = input.customer ? await ensureEmbeddedCustomer({ ctx, tx }, input.customer) : null;
  const customerId = customer?.id ?? null;
  const [existing] = await tx
    .select()
    .from(checkouts)
    .where(and(eq(checkouts.shop, ctx.shop), eq(checkouts.token, input.token)));
  if (existing?.shopifyUpdatedAt && Date.parse(input.updatedAt) < Date.parse(existing.shopifyUpdatedAt)) return;
  const values = {
    customerId: customerId ?? existing?.customerId ?? null,
    // A redacted customer stays erased: a late checkouts/update must not bring the email back.
    email: customer?.redactedAt ? null : input.email,
    completedAt: input.completedAt,
    // UTC, so retention's cutoff compares it as text.
    shopifyUpdatedAt: Number.isNaN(Date.parse(input.updatedAt))
      ? input.updatedAt
      : new Date(input.updatedAt).toISOString(),
  };
  await tx
    .insert(checkouts)
    .values({ shop: ctx.shop, token: input.token, ...values })
    .onConflictDoUpdate({ target: [checkouts.shop, checkouts.token], set: values });
  if (values.customerId !== null && !Number.isNaN(Date.parse(values.shopifyUpdatedAt))) {
    // Kept on the customer, so "non-converting" (a checkout, no order) outlives the checkout's 90-day retention.
    await tx
      .update(customers)
      .set({ lastCheckoutAt: values.shopifyUpdatedAt })
      .where(
        and(
          eq(customers.shop, ctx.shop),
          eq(customers.id, values.customerId),
          sql`(${customers.lastCheckoutAt} is null or ${customers.lastCheckoutAt} < ${values.shopifyUpdatedAt})`,
        ),
      );
  }
}
