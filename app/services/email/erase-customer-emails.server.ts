import { and, eq, inArray, or } from "drizzle-orm";
import { emailOutbox, emailSuppressions } from "~/db/schema";
import type { ServiceContext, Tx } from "../context";

/**
 * customers/redact's part in email, in the caller's transaction: the customer's emails keep their row (a batch's
 * counts stay true) but lose the address and everything they said; one still queued is skipped as "redacted". The
 * unsubscribe list forgets the address (`emails`, lowercased) and keeps the customer's suppression.
 */
export async function eraseCustomerEmails({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx: Tx;
  input: { customerId: number | undefined; emails: readonly string[] };
}) {
  const now = ctx.now.toISOString();
  if (input.customerId !== undefined) {
    const mine = and(eq(emailOutbox.shop, ctx.shop), eq(emailOutbox.customerId, input.customerId));
    await tx
      .update(emailOutbox)
      .set({ status: "skipped", skipReason: "redacted", updatedAt: now })
      .where(and(mine, inArray(emailOutbox.status, ["queued", "sending"])));
    await tx
      .update(emailOutbox)
      .set({ recipient: null, subject: null, html: null, text: null, smtpResponse: null, lastError: null })
      .where(mine);
  }
  const matches = [
    input.customerId !== undefined ? eq(emailSuppressions.customerId, input.customerId) : undefined,
    input.emails.length > 0 ? inArray(emailSuppressions.email, [...input.emails]) : undefined,
  ].filter((condition) => condition !== undefined);
  if (matches.length > 0) {
    await tx
      .update(emailSuppressions)
      .set({ email: null })
      .where(and(eq(emailSuppressions.shop, ctx.shop), or(...matches)));
  }
}
