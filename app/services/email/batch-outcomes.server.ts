import { and, eq, inArray } from "drizzle-orm";
import type { EmailKind } from "~/domain/email";
import { emailOutbox } from "~/db/schema";
import type { ServiceContext } from "../context";

/** Why an email was not sent, in a merchant's words (the outbox's skip reasons, decision 021). */
const skipReasonWords: Record<string, string> = {
  unsubscribed: "Unsubscribed from Tally's emails",
  program_off: "The referral program is off",
  not_found: "No longer in Tally",
  no_email: "No email address",
  not_subscribed: "Not subscribed to email marketing",
  blocked: "Blocked",
  merged: "Merged into another customer",
  deleted: "Deleted in Shopify",
  redacted: "Erased at the customer's request",
  no_points: "No points to spend",
  below_reward: "Not enough points for a reward",
  reminded_recently: "Reminded of their points in the last 7 days",
};

/** The reasons whose words depend on the email: the program that is off is the one that sends it. */
const pointsReminderWords: Record<string, string> = {
  program_off: "The points program is off or offers no reward",
};

export function describeSkipReason(reason: string | null, kind: EmailKind = "invitation"): string {
  if (!reason) return "Not sent";
  return (
    (kind === "points_reminder" ? pointsReminderWords[reason] : undefined) ?? skipReasonWords[reason] ?? "Not sent"
  );
}

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
