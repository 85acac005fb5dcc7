import { and, eq, inArray, or, sql } from "drizzle-orm";
import {
  auditEvents,
  checkouts,
  complianceExports,
  customers,
  earningSkips,
  emailOutbox,
  ledgerEntries,
  orders,
  rewards,
  storeCreditTransactions,
} from "~/db/schema";
import type { ServiceContext, Tx } from "../context";
import { exportReferralData } from "../referrals/referral-customers.server";

export interface DataRequest {
  dataRequestId: string;
  customerGid: string;
  email: string | null;
  orderGids: readonly string[];
}

/**
 * customers/data_request: gathers every row Tally holds about the customer (by Shopify id, plus checkouts left under
 * their email before they had an account): the profile, ledger, earning skips, orders, rewards, checkouts, referrals,
 * emails sent, store credit rows and the audit trail's lines about them, and stores it as one JSON export for the
 * merchant to hand over (the Privacy requests page, app/routes/app.privacy.tsx). A request
 * Shopify sends again replaces its export with the current data.
 */
export async function exportCustomerData({ ctx, tx, input }: { ctx: ServiceContext; tx: Tx; input: DataRequest }) {
  const [customer] = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.customerGid, input.customerGid)));
  const customerId = customer?.id ?? -1;
  const email = input.email?.trim().toLowerCase() || customer?.email?.toLowerCase() || null;

  const data = {
    dataRequestId: input.dataRequestId,
    shop: ctx.shop,
    customerGid: input.customerGid,
    exportedAt: ctx.now.toISOString(),
    customer: customer ?? null,
    ledgerEntries: await tx
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.shop, ctx.shop), eq(ledgerEntries.customerId, customerId)))
      .orderBy(ledgerEntries.id),
    earningSkips: await tx
      .select()
      .from(earningSkips)
      .where(and(eq(earningSkips.shop, ctx.shop), eq(earningSkips.customerId, customerId)))
      .orderBy(earningSkips.id),
    orders: await tx
      .select()
      .from(orders)
      .where(
        and(
          eq(orders.shop, ctx.shop),
          or(
            eq(orders.customerId, customerId),
            input.orderGids.length > 0 ? inArray(orders.orderGid, [...input.orderGids]) : undefined,
          ),
        ),
      )
      .orderBy(orders.id),
    rewards: await tx
      .select()
      .from(rewards)
      .where(and(eq(rewards.shop, ctx.shop), eq(rewards.customerId, customerId)))
      .orderBy(rewards.id),
    checkouts: await tx
      .select()
      .from(checkouts)
      .where(
        and(
          eq(checkouts.shop, ctx.shop),
          or(eq(checkouts.customerId, customerId), email ? sql`lower(${checkouts.email}) = ${email}` : undefined),
        ),
      )
      .orderBy(checkouts.id),
    referral: await exportReferralData({ ctx, tx, input: { customerId } }),
    emailsSent: await tx
      .select({
        id: emailOutbox.id,
        kind: emailOutbox.kind,
        status: emailOutbox.status,
        recipient: emailOutbox.recipient,
        subject: emailOutbox.subject,
        text: emailOutbox.text,
        createdAt: emailOutbox.createdAt,
        sentAt: emailOutbox.sentAt,
      })
      .from(emailOutbox)
      .where(and(eq(emailOutbox.shop, ctx.shop), eq(emailOutbox.customerId, customerId)))
      .orderBy(emailOutbox.id),
    storeCredit: await tx
      .select()
      .from(storeCreditTransactions)
      .where(and(eq(storeCreditTransactions.shop, ctx.shop), eq(storeCreditTransactions.customerId, customerId)))
      .orderBy(storeCreditTransactions.id),
    auditEvents: await tx
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.shop, ctx.shop), eq(auditEvents.customerId, customerId)))
      .orderBy(auditEvents.id),
  };

  await tx
    .insert(complianceExports)
    .values({
      shop: ctx.shop,
      dataRequestId: input.dataRequestId,
      customerGid: input.customerGid,
      export: data,
      createdAt: ctx.now.toISOString(),
    })
    .onConflictDoUpdate({
      target: [complianceExports.shop, complianceExports.dataRequestId],
      set: { customerGid: input.customerGid, export: data, createdAt: ctx.now.toISOString() },
    });
  return data;
}
