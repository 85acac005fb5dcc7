import { refuseIfDeleted } from "~/domain/customers";
import { and, eq, inArray } from "drizzle-orm";
import { DomainError } from "~/domain/shared";
import { customers } from "~/db/schema";
import { customerSubject, recordAudit } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext } from "../context";

/**
 * Deletes customers in Shopify (customerDelete), or asks Shopify to erase a kept customer's personal data
 * (customerRequestDataErasure). `delete` answers Shopify's refusal as a reason ("Customer can’t be deleted because
 * they have associated orders"), never throws for it.
 */
export interface CustomerEraser {
  delete(customerGid: string): Promise<{ deleted: true } | { deleted: false; reason: string }>;
  requestErasure(customerGid: string): Promise<void>;
}

/** One customer's outcome, as the result list shows it. */
export interface DeletionResult {
  customerId: number;
  name: string;
  outcome: "deleted" | "kept";
  /** For a kept customer: "has orders" when that is Shopify's reason, else Shopify's words. */
  reason: string | null;
}

const hasOrders = (reason: string) => /associated orders|has orders|have orders/i.test(reason);

/**
 * Deletes each customer in Shopify, one at a time, and says per customer what happened: "deleted", or "kept: has
 * orders" (Shopify refuses to delete a customer with orders; the merchant may ask for their data to be erased
 * instead). Tally's own rows follow Shopify's customers/delete webhook, which is what marks a customer deleted
 * everywhere, so Tally never shows deleted what Shopify kept. A customer already deleted is reported deleted without
 * asking Shopify; when every customer asked for is, throws "gone" (410). Each attempt is in the audit trail (`customer.delete`,
 * or `customer.delete_refused` with Shopify's reason). Customers of another shop are left out.
 */
export async function deleteCustomers({
  ctx,
  input,
  shopify,
}: {
  ctx: ServiceContext;
  input: { customerIds: number[] };
  shopify: CustomerEraser;
}): Promise<DeletionResult[]> {
  const rows = await ctx.db
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), inArray(customers.id, input.customerIds)))
    // In id order, so the job's results and the audit trail list customers as the directory does, on PostgreSQL too
    // (its rows come back in storage order, which an update moves).
    .orderBy(customers.id);
  // Already deleted in Shopify: nothing to ask it. Asked for them alone (the profile), that is a refusal (410).
  if (rows.length > 0 && rows.every((row) => row.deletedAt !== null)) refuseIfDeleted(rows[0]!, "delete");
  const results: DeletionResult[] = [];
  for (const row of rows) {
    if (row.deletedAt !== null) {
      results.push({ customerId: row.id, name: customerSubject(row), outcome: "deleted", reason: null });
      continue;
    }
    const answer = await shopify.delete(row.customerGid);
    const name = customerSubject(row);
    if (answer.deleted) {
      results.push({ customerId: row.id, name, outcome: "deleted", reason: null });
      await inTransaction(ctx, (tx) =>
        recordAudit({
          ctx,
          tx,
          input: {
            action: "customer.delete",
            subject: name,
            customerId: row.id,
            before: { email: row.email, balance: row.pointsBalance, orders: row.ordersCount },
            after: { deletedInShopify: true },
          },
        }),
      );
    } else {
      const reason = hasOrders(answer.reason) ? "has orders" : answer.reason;
      results.push({ customerId: row.id, name, outcome: "kept", reason });
      await inTransaction(ctx, (tx) =>
        recordAudit({
          ctx,
          tx,
          input: {
            action: "customer.delete_refused",
            subject: name,
            customerId: row.id,
            before: { email: row.email, orders: row.ordersCount },
            after: { kept: reason, shopifySaid: answer.reason },
          },
        }),
      );
    }
  }
  return results;
}

/**
 * Asks Shopify to erase a kept customer's personal data (Shopify sends customers/redact when it does, which erases
 * Tally's copy). Recorded in the audit trail (`customer.erasure_request`). Throws "not_found" for a customer of
 * another shop, "shopify_refused" when Shopify refuses (already scheduled, for one).
 */
export async function requestCustomerErasure({
  ctx,
  input,
  shopify,
}: {
  ctx: ServiceContext;
  input: { customerId: number };
  shopify: CustomerEraser;
}): Promise<void> {
  const [row] = await ctx.db
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.id, input.customerId)));
  if (!row) throw new DomainError("not_found", "No such customer", { customerId: input.customerId });
  await shopify.requestErasure(row.customerGid);
  await inTransaction(ctx, (tx) =>
    recordAudit({
      ctx,
      tx,
      input: {
        action: "customer.erasure_request",
        subject: customerSubject(row),
        customerId: row.id,
        after: { erasureRequested: true },
      },
    }),
  );
}
