import { and, eq, inArray, or, sql } from "drizzle-orm";
import { searchColumnsOf } from "~/domain/customers";
import { formatPoints } from "~/domain/program";
import {
  auditEvents,
  checkouts,
  complianceExports,
  customers,
  importChanges,
  importCreates,
  importEmails,
  ledgerEntries,
  storeCreditTransactions,
  taskItems,
  tasks,
} from "~/db/schema";
import type { ServiceContext, Tx } from "../context";
import { redactReferralData } from "../referrals/referral-customers.server";
import { eraseCustomerEmails } from "../email/erase-customer-emails.server";

/** The task kinds whose result lines are keyed by the email of a file's row (an import's rows, their undo). */
const EMAIL_KEYED_TASK_KINDS = ["customers.import", "points.import", "imports.undo"] as const;

export interface CustomerRedaction {
  customerGid: string;
  email: string | null;
}

/**
 * customers/redact: erases what identifies the customer and keeps the anonymous figures, so the shop's points totals
 * and the ledger still add up. Generated explanations carry order names and amounts only; the one free text a person
 * wrote, the staff adjustment reason, may name the customer and is erased too. Orders hold no personal data (name is
 * "#1001"), so `orders_to_redact` needs nothing beyond this. Call `flushErasedData` after the commit.
 */
export async function redactCustomer({ ctx, tx, input }: { ctx: ServiceContext; tx: Tx; input: CustomerRedaction }) {
  const now = ctx.now.toISOString();
  const [customer] = await tx
    .select({ id: customers.id, email: customers.email })
    .from(customers)
    .where(and(eq(customers.shop, ctx.shop), eq(customers.customerGid, input.customerGid)));
  const emails = [input.email, customer?.email]
    .map((email) => email?.trim().toLowerCase())
    .filter((email): email is string => Boolean(email));

  if (customer) {
    await tx
      .update(customers)
      .set({
        email: null,
        firstName: null,
        lastName: null,
        phone: null,
        city: null,
        province: null,
        countryCode: null,
        tags: [],
        tagEvents: {},
        // Facts keep no tags once erased; the states left are rebuilt from the columns kept.
        facts: null,
        emailMarketingState: null,
        emailMarketingUpdatedAt: null,
        // Out of the search index too (its secure-delete leaves no trace of the old text).
        ...searchColumnsOf({ firstName: null, lastName: null, email: null, phone: null }),
        redactedAt: now,
        updatedAt: now,
      })
      .where(and(eq(customers.shop, ctx.shop), eq(customers.id, customer.id)));
    const adjustments = await tx
      .select({ id: ledgerEntries.id, points: ledgerEntries.points })
      .from(ledgerEntries)
      .where(
        and(
          eq(ledgerEntries.shop, ctx.shop),
          eq(ledgerEntries.customerId, customer.id),
          eq(ledgerEntries.kind, "adjust"),
        ),
      );
    for (const entry of adjustments) {
      await tx
        .update(ledgerEntries)
        .set({ note: null, explanation: `${formatPoints(entry.points)}: adjusted by staff (reason erased)` })
        .where(and(eq(ledgerEntries.shop, ctx.shop), eq(ledgerEntries.id, entry.id)));
    }
    // The audit trail keeps who did what and when to the customer, not what identified them (a name, a reason).
    await tx
      .update(auditEvents)
      .set({ subject: "Erased customer", before: null, after: null })
      .where(and(eq(auditEvents.shop, ctx.shop), eq(auditEvents.customerId, customer.id)));
    // Store credit Tally issued keeps its amounts (Shopify keeps the account), not the reason staff wrote.
    await tx
      .update(storeCreditTransactions)
      .set({ reason: "(reason erased)" })
      .where(and(eq(storeCreditTransactions.shop, ctx.shop), eq(storeCreditTransactions.customerId, customer.id)));
    await tx
      .update(taskItems)
      .set({ label: null })
      .where(and(eq(taskItems.shop, ctx.shop), eq(taskItems.customerId, customer.id)));
  }

  // Checkouts left before the customer had an account carry only the email.
  const checkoutMatches = [
    customer ? eq(checkouts.customerId, customer.id) : undefined,
    ...emails.map((email) => sql`lower(${checkouts.email}) = ${email}`),
  ].filter((condition) => condition !== undefined);
  if (checkoutMatches.length > 0) {
    await tx
      .update(checkouts)
      .set({ email: null })
      .where(and(eq(checkouts.shop, ctx.shop), or(...checkoutMatches)));
  }

  // Referrals: the email a friend typed, and where the customer's orders shipped (as fingerprints).
  await redactReferralData({ ctx, tx, input: { customerId: customer?.id ?? null, emails } });
  await eraseCustomerEmails({ ctx, tx, input: { customerId: customer?.id, emails } });

  // An import's preview sample holds the customer's old and new details.
  if (customer)
    await tx
      .delete(importChanges)
      .where(and(eq(importChanges.shop, ctx.shop), eq(importChanges.customerId, customer.id)));
  // A preview's sample of new customers names them by the email and name their file's row gave.
  if (emails.length > 0)
    await tx.delete(importCreates).where(
      and(
        eq(importCreates.shop, ctx.shop),
        inArray(
          importCreates.email,
          emails.map((email) => email.toLowerCase()),
        ),
      ),
    );
  // A file still being checked keeps the emails it met so far (decision 048).
  if (emails.length > 0)
    await tx.delete(importEmails).where(
      and(
        eq(importEmails.shop, ctx.shop),
        inArray(
          importEmails.email,
          emails.map((email) => email.toLowerCase()),
        ),
      ),
    );

  // Imports list their rows by the email a row carries, some for emails Tally holds no customer for (a refused row, a
  // points row for someone not in Shopify): those result lines are found by the email, among the shop's imports only
  // (few tasks; their items read through the (shop, task) index), and lose the email from their key and label.
  if (emails.length > 0) {
    const imports = await tx
      .select({ id: tasks.id })
      .from(tasks)
      .where(and(eq(tasks.shop, ctx.shop), inArray(tasks.kind, [...EMAIL_KEYED_TASK_KINDS])));
    if (imports.length > 0) {
      // A key is the email, or "{step}:{email}" (a bulk import's steps); the email's own % and _ are not wildcards.
      const keyed = emails.map(
        (email) => sql`lower(${taskItems.itemKey}) like ${`%:${email.replace(/[\\%_]/g, "\\$&")}`} escape '\\'`,
      );
      await tx
        .update(taskItems)
        .set({ label: null, itemKey: sql`'erased:' || ${taskItems.id}` })
        .where(
          and(
            eq(taskItems.shop, ctx.shop),
            inArray(
              taskItems.taskId,
              imports.map((task) => task.id),
            ),
            or(
              inArray(sql`lower(${taskItems.label})`, emails),
              inArray(sql`lower(${taskItems.itemKey})`, emails),
              ...keyed,
            ),
          ),
        );
    }
  }

  // An export of the customer's data is their personal data too.
  await tx
    .delete(complianceExports)
    .where(and(eq(complianceExports.shop, ctx.shop), eq(complianceExports.customerGid, input.customerGid)));

  return { found: customer !== undefined };
}
