import { and, eq, exists, inArray, isNotNull, or, sql } from "drizzle-orm";
import {
  isEmailSkipReason,
  mostImportantSkipReason,
  type EmailKind,
  type EmailSkipReason,
  type RenderedEmail,
} from "~/domain/email";
import { DomainError, isDomainError } from "~/domain/shared";
import { customers, emailOutbox, emailSuppressions } from "~/db/schema";
import { inTransaction, type ServiceContext } from "../context";
import { announceShopWorkWaiting } from "../scheduled-jobs/job-state.server";
import {
  getEmailTemplatesInUse,
  templateForCustomer,
  templateLanguage,
  type StoredEmailTemplate,
} from "./email-templates.server";

/*
 * The one path every bulk email takes (decision 021): decide who may be emailed, render each email now from the
 * shop's template in use, and queue it in the outbox under a caller-chosen batch; the scheduled job send-emails
 * (app/jobs/scheduled) sends later, rate-limited, retried, with the RFC 8058 unsubscribe headers. The room that owns
 * an email (the referral program's invitation, the points program's reminder) passes two ports: who may get it
 * (`recipients`) and what it says for one customer (`prepare`), so this room depends on neither.
 */

/** Who may be emailed: `mayEmail`, or the reason they are skipped. */
export type EmailRecipientLister = (
  customerIds: readonly number[],
) => Promise<ReadonlyArray<{ customerId: number; mayEmail: boolean; skipReason: string | null }>>;

/**
 * One customer's email: the address and the parts rendered from `template` (the shop's template in use in the
 * customer's language: its translation, else the default template; decision 057), its rewards and points worded in
 * `language`, the language that template is written in ("fr"; templateLanguage, decision 059).
 */
export type EmailPreparer = (
  customerId: number,
  template: StoredEmailTemplate,
  language: string,
) => Promise<{ email: string; rendered: RenderedEmail }>;

/** The most customers one call queues (a task's chunk). */
export const MAX_EMAILS_PER_CALL = 1_000;

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

function skipReasonOf(reason: string | null): EmailSkipReason {
  return isEmailSkipReason(reason) ? reason : "not_found";
}

/** A preparer's refusals (DomainError codes) in the batch result's words. */
function skipReasonForError(error: unknown): EmailSkipReason {
  if (!isDomainError(error)) throw error;
  if (error.code === "blocked") return "blocked";
  if (error.code === "invalid_input") return "no_email";
  if (error.code === "not_found" || error.code === "program_disabled") return "not_found";
  throw error;
}

type Planned =
  | { customerId: number; status: "skipped"; skipReason: EmailSkipReason }
  | { customerId: number; status: "queued"; recipient: string; rendered: RenderedEmail; template: StoredEmailTemplate };

/**
 * Queues an email of `kind` for each of `customerIds` (1 to 1,000 a call) under `batch`, a caller-chosen id (one per
 * press of the action): calling again with the same batch queues nobody twice, exactly once per (shop, customer, kind,
 * batch). Customers `recipients` says may not be emailed (not subscribed to email marketing, blocked, no email, no
 * points, …) and those on Tally's unsubscribe list are recorded as skipped with the most important reason that holds
 * (mostImportantSkipReason: unsubscribed before reminded recently). Each email is rendered now
 * from the shop's template in use in the customer's language (its translation for the customer's Shopify locale or
 * its language, else the default; decision 057), its version and language recorded, so what is sent is what was
 * queued. Returns the batch's
 * counts.
 *
 * `prepare` is called outside any transaction (it may write, as the invitation's join does). Throws DomainError
 * "invalid_input" for an empty or oversized list; a preparer's DomainError for one customer skips that customer
 * (blocked, no_email, not_found) rather than failing the batch.
 */
export async function queueEmails({
  ctx,
  input,
  recipients,
  prepare,
}: {
  ctx: ServiceContext;
  input: { kind: EmailKind; customerIds: readonly number[]; batch: string };
  recipients: EmailRecipientLister;
  prepare: EmailPreparer;
}): Promise<EmailBatchResult> {
  const ids = [...new Set(input.customerIds)];
  if (ids.length === 0 || ids.length > MAX_EMAILS_PER_CALL) {
    throw new DomainError("invalid_input", `Select from 1 to ${MAX_EMAILS_PER_CALL} customers to email`);
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
            eq(emailOutbox.kind, input.kind),
            inArray(emailOutbox.customerId, ids),
          ),
        )
    ).map((row) => row.customerId),
  );
  const fresh = ids.filter((id) => !already.has(id));
  const suppressed = await suppressedCustomers(ctx, fresh);
  const templates = await getEmailTemplatesInUse({ ctx, input: { kind: input.kind } });
  const locales = templates.translations.length > 0 ? await customerLocales(ctx, fresh) : new Map<number, string>();

  const planned: Planned[] = [];
  for (const recipient of fresh.length > 0 ? await recipients(fresh) : []) {
    const { customerId } = recipient;
    // The unsubscribe list and the email's own reasons together: the most important one is shown (consent first).
    const skipReason = mostImportantSkipReason([
      !recipient.mayEmail && skipReasonOf(recipient.skipReason),
      suppressed.has(customerId) && "unsubscribed",
    ]);
    if (skipReason) {
      planned.push({ customerId, status: "skipped", skipReason });
      continue;
    }
    try {
      const template = templateForCustomer(templates, locales.get(customerId));
      const { email, rendered } = await prepare(customerId, template, templateLanguage(templates, template));
      planned.push({ customerId, status: "queued", recipient: email, rendered, template });
    } catch (error) {
      planned.push({ customerId, status: "skipped", skipReason: skipReasonForError(error) });
    }
  }

  const now = ctx.now.toISOString();
  await inTransaction(ctx, async (tx) => {
    for (const row of planned) {
      await tx
        .insert(emailOutbox)
        .values({
          shop: ctx.shop,
          customerId: row.customerId,
          kind: input.kind,
          batch,
          status: row.status,
          ...(row.status === "skipped"
            ? { skipReason: row.skipReason }
            : {
                recipient: row.recipient,
                subject: row.rendered.subject,
                html: row.rendered.html,
                text: row.rendered.text,
                templateVersion: row.template.version,
                templateLocale: row.template.locale,
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
  // Sent now, not at the next tick: the send-emails job runs on the shop's jobs' run (decision 021).
  if (planned.some((row) => row.status === "queued")) announceShopWorkWaiting(ctx.shop);
  return getEmailBatch({ ctx, input: { batch } });
}

/** The Shopify locale ("fr-CA") of each customer of `ids` that has one. */
async function customerLocales(ctx: ServiceContext, ids: readonly number[]): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  for (let at = 0; at < ids.length; at += 500) {
    const rows = await ctx.db
      .select({ id: customers.id, locale: customers.locale })
      .from(customers)
      .where(
        and(eq(customers.shop, ctx.shop), inArray(customers.id, ids.slice(at, at + 500)), isNotNull(customers.locale)),
      );
    for (const row of rows) if (row.locale) found.set(row.id, row.locale);
  }
  return found;
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
    .select({
      status: emailOutbox.status,
      skipReason: emailOutbox.skipReason,
      count: sql<number>`count(*)`.mapWith(Number),
    })
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
