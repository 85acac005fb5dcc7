import { and, desc, eq } from "drizzle-orm";
import { emailOutbox, emailSuppressions } from "~/db/schema";
import type { ServiceContext } from "../context";

export interface CustomerEmailRow {
  id: number;
  kind: string;
  status: "queued" | "sending" | "sent" | "failed" | "skipped";
  subject: string | null;
  recipient: string | null;
  skipReason: string | null;
  lastError: string | null;
  attempts: number;
  actorName: string | null;
  createdAt: string;
  sentAt: string | null;
}

/**
 * The customer's email activity for their profile: every email Tally queued for them, newest first (at most `limit`),
 * with what became of it, and whether they are on the shop's unsubscribe list (and since when).
 */
export async function listCustomerEmails({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { customerId: number; limit?: number };
}): Promise<{ rows: CustomerEmailRow[]; unsubscribedAt: string | null }> {
  const rows = await ctx.db
    .select({
      id: emailOutbox.id,
      kind: emailOutbox.kind,
      status: emailOutbox.status,
      subject: emailOutbox.subject,
      recipient: emailOutbox.recipient,
      skipReason: emailOutbox.skipReason,
      lastError: emailOutbox.lastError,
      attempts: emailOutbox.attempts,
      actorName: emailOutbox.actorName,
      createdAt: emailOutbox.createdAt,
      sentAt: emailOutbox.sentAt,
    })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.shop, ctx.shop), eq(emailOutbox.customerId, input.customerId)))
    .orderBy(desc(emailOutbox.id))
    .limit(input.limit ?? 20);
  const [suppression] = await ctx.db
    .select({ createdAt: emailSuppressions.createdAt })
    .from(emailSuppressions)
    .where(and(eq(emailSuppressions.shop, ctx.shop), eq(emailSuppressions.customerId, input.customerId)));
  return { rows, unsubscribedAt: suppression?.createdAt ?? null };
}
