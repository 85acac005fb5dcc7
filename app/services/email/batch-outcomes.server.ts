import { and, eq, inArray } from "drizzle-orm";
import type { EmailKind } from "~/domain/email";
import { emailOutbox } from "~/db/schema";
import type { ServiceContext } from "../context";

/** The words live in the domain, with the profile's Emails card (app/domain/email/skip-reasons.ts). */
export { describeSkipReason } from "~/domain/email";

/**
 * Each of `customerIds`' email of `kind` (an invitation unless said) in the outbox batch `batch`: queued, sending, sent, failed or
 * skipped with the reason, for a bulk task's per-customer results. Customers without a row are left out.
 */
export async function listBatchOutcomes({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { batch: string; customerIds: readonly number[]; kind?: EmailKind };
}): Promise<Array<{ customerId: number; status: string; reason: string | null }>> {
  if (input.customerIds.length === 0) return [];
  const rows = [];
  for (let at = 0; at < input.customerIds.length; at += 500) {
    rows.push(
      ...(await ctx.db
        .select({ customerId: emailOutbox.customerId, status: emailOutbox.status, reason: emailOutbox.skipReason })
        .from(emailOutbox)
        .where(
          and(
            eq(emailOutbox.shop, ctx.shop),
            eq(emailOutbox.kind, input.kind ?? "invitation"),
            eq(emailOutbox.batch, input.batch),
            inArray(emailOutbox.customerId, input.customerIds.slice(at, at + 500)),
          ),
        )),
    );
  }
  return rows;
}
