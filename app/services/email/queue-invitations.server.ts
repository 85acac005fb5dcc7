import { and, eq, exists, inArray, isNotNull, or, sql } from "drizzle-orm";
import { renderInvitation, type EmailSkipReason, type InvitationValues, type RenderedEmail } from "~/domain/email";
import { DomainError, isDomainError } from "~/domain/shared";
import { customers, emailOutbox, emailSuppressions } from "~/db/schema";
import { inTransaction, type ServiceContext } from "../context";
import { getEmailTemplate } from "./email-templates.server";

/*
 * The one call the referral program makes to invite customers by email (issue 9's "Invite"). It decides, renders and
 * queues; the scheduled job send-emails (app/jobs/scheduled) sends later, rate-limited and retried. The referral side
 * passes its two functions (app/services/referrals/invitations.server.ts) as ports, so this room does not depend on
 * it:
 *
 *   queueInvitations({
 *     ctx,
 *     input: { customerIds, batch },
 *     recipients: (ids) => listInvitationRecipients({ ctx, input: { customerIds: ids } }),
 *     prepare: (customerId) => prepareInvitation({ ctx, input: { customerId } }),
 *   })
 */

/** Who may be emailed, as listInvitationRecipients answers: `mayEmail`, or the reason they are skipped. */
export type InvitationRecipientLister = (
  customerIds: readonly number[],
) => Promise<ReadonlyArray<{ customerId: number; mayEmail: boolean; skipReason: string | null }>>;

/** One customer's invitation content, as prepareInvitation answers (it joins the customer to the program). */
export type InvitationPreparer = (customerId: number) => Promise<{
  email: string;
  firstName: string | null;
  shopName: string;
  url: string;
  friendOffer: string;
  advocateReward: string;
}>;

export const MAX_INVITATIONS_PER_CALL = 1_000;

export interface EmailBatchResult {
  batch: string;
  /** Customers in the batch (each counted once, whatever their state). */
  total: number;
  queued: number;
  sent: number;
  failed: number;
  /** Skipped customers, counted by reason (e.g. { not_subscribed: 3, unsubscribed: 1 }). */
  skipped: Partial<Record<EmailSkipReason, number>>;
}

const knownSkipReasons = new Set<string>([
  "unsubscribed",
  "program_off",
  "not_found",
  "no_email",
  "not_subscribed",
  "blocked",
  "merged",
  "deleted",
  "redacted",
]);

function skipReasonOf(reason: string | null): EmailSkipReason {
  return reason && knownSkipReasons.has(reason) ? (reason as EmailSkipReason) : "not_found";
}

/** prepareInvitation's refusals (DomainError codes) in the batch result's words. */
function skipReasonForError(error: unknown): EmailSkipReason {
  if (!isDomainError(error)) throw error;
  if (error.code === "blocked") return "blocked";
  if (error.code === "invalid_input") return "no_email";
  if (error.code === "not_found" || error.code === "program_disabled") return "not_found";
  throw error;
}

type Planned =
  | { customerId: number; status: "skipped"; skipReason: EmailSkipReason }
  | { customerId: number; status: "queued"; recipient: string; rendered: RenderedEmail };

/**
 * Queues a referral invitation for each of `customerIds` (1 to 1,000 a call) under `batch`, a caller-chosen id (one
 * per press of Send invitation): calling again with the same batch queues nobody twice, exactly once per (shop,
 * customer, "invitation", batch). Customers the referral program says may not be emailed (not subscribed to email
 * marketing, blocked, no email, …) and those on Tally's unsubscribe list are recorded as skipped with the reason.
 * Each invitation is rendered now from the shop's template in use (its version recorded), so what is sent is what
 * was queued. Returns the batch's counts.
 *
 * `prepare` is called outside any transaction (prepareInvitation writes the customer's join itself). Throws
 * DomainError "invalid_input" for an empty or oversized list; a preparer's DomainError for one customer skips that
 * customer (blocked, no_email, not_found) rather than failing the batch.
 */
export async function queueInvitations({
  ctx,
  input,
  recipients,
  prepare,
}: {
  ctx: ServiceContext;
  input: { customerIds: readonly number[]; batch: string };
  recipients: InvitationRecipientLister;
  prepare: InvitationPreparer;
}): Promise<EmailBatchResult> {
  const ids = [...new Set(input.customerIds)];
  if (ids.length === 0 || ids.length > MAX_INVITATIONS_PER_CALL) {
    throw new DomainError("invalid_input", `Select from 1 to ${MAX_INVITATIONS_PER_CALL} customers to invite`);
  }
  const batch = input.batch.trim();
  if (!/^[\w.:-]{1,100}$/.test(batch)) throw new DomainError("invalid_input", "The batch id is not valid");

  const already = new Set(
    (
      await ctx.db
        .select({ customerId: emailOutbox.customerId })
        .from(emailOutbox)
        .where(
          and(
            eq(emailOutbox.shop, ctx.shop),
            eq(emailOutbox.batch, batch),
            eq(emailOutbox.kind, "invitation"),
            inArray(emailOutbox.customerId, ids),
          ),
        )
    ).map((row) => row.customerId),
  );
  const fresh = ids.filter((id) => !already.has(id));
  const suppressed = await suppressedCustomers(ctx, fresh);
  const template = await getEmailTemplate({ ctx, input: { kind: "invitation" } });

  const planned: Planned[] = [];
  for (const recipient of fresh.length > 0 ? await recipients(fresh) : []) {
    const { customerId } = recipient;
    if (!recipient.mayEmail) {
      planned.push({ customerId, status: "skipped", skipReason: skipReasonOf(recipient.skipReason) });
      continue;
    }
    if (suppressed.has(customerId)) {
      planned.push({ customerId, status: "skipped", skipReason: "unsubscribed" });
      continue;
    }
    let details;
    try {
      details = await prepare(customerId);
    } catch (error) {
      planned.push({ customerId, status: "skipped", skipReason: skipReasonForError(error) });
      continue;
    }
    const values: InvitationValues = {
      shopName: details.shopName,
      firstName: details.firstName,
      referralLink: details.url,
      friendReward: details.friendOffer,
      advocateReward: details.advocateReward,
    };
    planned.push({
      customerId,
      status: "queued",
      recipient: details.email,
      rendered: renderInvitation(template.template, values),
    });
  }

  const now = ctx.now.toISOString();
  await inTransaction(ctx, async (tx) => {
    for (const row of planned) {
      await tx
        .insert(emailOutbox)
        .values({
          shop: ctx.shop,
          customerId: row.customerId,
          kind: "invitation",
          batch,
          status: row.status,
          ...(row.status === "skipped"
            ? { skipReason: row.skipReason }
            : {
                recipient: row.recipient,
                subject: row.rendered.subject,
                html: row.rendered.html,
                text: row.rendered.text,
                templateVersion: template.version,
                nextAttemptAt: now,
              }),
          actor: ctx.actor,
          actorName: ctx.actorName ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing();
    }
  });
  return getEmailBatch({ ctx, input: { batch } });
}

/** Customers of `ids` on Tally's unsubscribe list, by customer or by a suppressed mailbox they share. */
async function suppressedCustomers(ctx: ServiceContext, ids: readonly number[]): Promise<Set<number>> {
  const found = new Set<number>();
  for (let at = 0; at < ids.length; at += 500) {
    const chunk = ids.slice(at, at + 500);
    const rows = await ctx.db
      .select({ id: customers.id })
      .from(customers)
      .where(
        and(
          eq(customers.shop, ctx.shop),
          inArray(customers.id, chunk),
          exists(
            ctx.db
              .select({ one: sql`1` })
              .from(emailSuppressions)
              .where(
                and(
                  eq(emailSuppressions.shop, customers.shop),
                  or(
                    eq(emailSuppressions.customerId, customers.id),
                    and(isNotNull(customers.email), eq(emailSuppressions.email, sql`lower(${customers.email})`)),
                  ),
                ),
              ),
          ),
        ),
      );
    for (const row of rows) found.add(row.id);
  }
  return found;
}

/** A batch's progress and result: how many are queued, sent, failed, and skipped by reason. */
export async function getEmailBatch({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { batch: string };
}): Promise<EmailBatchResult> {
  const rows = await ctx.db
    .select({ status: emailOutbox.status, skipReason: emailOutbox.skipReason, count: sql<number>`count(*)` })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.shop, ctx.shop), eq(emailOutbox.batch, input.batch)))
    .groupBy(emailOutbox.status, emailOutbox.skipReason);
  const result: EmailBatchResult = { batch: input.batch, total: 0, queued: 0, sent: 0, failed: 0, skipped: {} };
  for (const row of rows) {
    result.total += row.count;
    if (row.status === "queued" || row.status === "sending") result.queued += row.count;
    else if (row.status === "sent") result.sent += row.count;
    else if (row.status === "failed") result.failed += row.count;
    else {
      const reason = skipReasonOf(row.skipReason);
      result.skipped[reason] = (result.skipped[reason] ?? 0) + row.count;
    }
  }
  return result;
}
