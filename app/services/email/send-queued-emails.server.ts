import { and, asc, count, eq, gt, lte, or, sql } from "drizzle-orm";
import {
  classifySmtpFailure,
  mostImportantSkipReason,
  nextAttemptAt,
  SenderAddressMissingError,
  withFooter,
  sendAllowance,
  templateLanguageOf,
  type EmailSkipReason,
  type SendFailure,
} from "~/domain/email";
import { storefrontRootFor } from "~/domain/shared";
import { customers, emailOutbox, emailSuppressions, shops } from "~/db/schema";
import { env } from "~/lib/env.server";
import { unsubscribeUrl } from "~/lib/unsubscribe-token.server";
import { inTransaction, type ServiceContext } from "../context";
import { MailSendError, type MailTransport, type OutgoingEmail } from "./mail-transport";

/** A row left in "sending" this long was interrupted (the process stopped mid-send). */
export const INTERRUPTED_AFTER_MS = 10 * 60_000;

export interface SendRunResult {
  sent: number;
  /** Failed this time, to be tried again later (4xx, no answer). */
  retrying: number;
  /** Given up: refused for good (5xx), out of attempts, or interrupted mid-send. */
  failed: number;
  /** Not sent because the customer unsubscribed or can no longer be emailed since it was queued. */
  skipped: number;
  /** Left queued for the next run by the per-shop rate limit. */
  deferred: number;
}

function fromAddress(): string {
  return env().EMAIL_FROM ?? `no-reply@${new URL(env().SHOPIFY_APP_URL).hostname}`;
}

/**
 * Sends the shop's due emails from the outbox, at most EMAILS_PER_MINUTE a minute (counted from the outbox's own sent
 * rows, so a restart does not reset it). For each: the customer is checked again (on Tally's unsubscribe list,
 * redacted, deleted, merged, or no longer subscribed to email marketing → skipped with the reason), claimed as
 * "sending" in one transaction, handed to the transport outside any transaction, then recorded: sent with the
 * server's message id and answer; queued again with backoff after a transient failure (4xx or no answer; a failure
 * without an answer also ends the run, the server being unreachable); failed with the reason after a 5xx or the last
 * attempt. A row a crash left in "sending" is recorded failed ("interrupted") and not sent again, so nobody gets an
 * email twice (decision 021).
 *
 * `transport` and `senderAddress` are asked for only when something is due, once a run: without SMTP_URL it throws
 * EmailNotConfiguredError, without a postal address SenderAddressMissingError, and the emails stay queued. Each email
 * is sent with the footer (withFooter): a visible unsubscribe link, the header's own, on the customer's storefront in
 * their language (decision 051), and the shop's address, in the language of the template the email was written from
 * (decision 057).
 */
export async function sendQueuedEmails({
  ctx,
  input = {},
  transport,
  senderAddress,
}: {
  ctx: ServiceContext;
  input?: { perMinute?: number };
  transport: () => MailTransport;
  /** The shop's postal address, one entry a line (Shopify's shop address): read once a run, when something is due. */
  senderAddress: () => Promise<readonly string[]>;
}): Promise<SendRunResult> {
  const result: SendRunResult = { sent: 0, retrying: 0, failed: 0, skipped: 0, deferred: 0 };
  const now = ctx.now.toISOString();
  result.failed += await failInterrupted(ctx);

  const due = and(
    eq(emailOutbox.shop, ctx.shop),
    eq(emailOutbox.status, "queued"),
    lte(emailOutbox.nextAttemptAt, now),
  );
  const [sentRecently] = await ctx.db
    .select({ n: count() })
    .from(emailOutbox)
    .where(
      and(
        eq(emailOutbox.shop, ctx.shop),
        eq(emailOutbox.status, "sent"),
        gt(emailOutbox.sentAt, new Date(ctx.now.getTime() - 60_000).toISOString()),
      ),
    );
  const allowance = sendAllowance(input.perMinute ?? env().EMAILS_PER_MINUTE, sentRecently?.n ?? 0);
  const rows = await ctx.db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(due)
    .orderBy(asc(emailOutbox.nextAttemptAt), asc(emailOutbox.id))
    .limit(allowance + 1);
  if (rows.length === 0) return result;
  if (rows.length > allowance) {
    const [waiting] = await ctx.db.select({ n: count() }).from(emailOutbox).where(due);
    result.deferred = (waiting?.n ?? 0) - allowance;
  }
  if (allowance === 0) return result;

  const mailer = transport();
  const postalAddress = await senderAddress();
  if (!postalAddress.some((line) => line.trim() !== "")) throw new SenderAddressMissingError();
  const [shop] = await ctx.db
    .select({ name: shops.name, roots: shops.storefrontRoots })
    .from(shops)
    .where(eq(shops.shop, ctx.shop));
  const from = { name: shop?.name ?? ctx.shop.replace(/\.myshopify\.com$/, ""), address: fromAddress() };

  for (const { id } of rows.slice(0, allowance)) {
    const claimed = await claim(ctx, id);
    if (!claimed) continue;
    if (claimed.kind === "skipped") {
      result.skipped += 1;
      continue;
    }
    // On the customer's storefront, as the email's other links are (findCustomerStorefrontRoot, decision 051): the
    // page opens in their language.
    const root = storefrontRootFor(shop?.roots, claimed.locale) ?? `https://${ctx.shop}`;
    const link = unsubscribeUrl(ctx.shop, { customerId: claimed.customerId, outboxId: id }, root);
    // The footer (a visible unsubscribe link, the shop's address) goes after the merchant's template, at send time:
    // the link names this outbox row, and no template can leave it out.
    const body = withFooter(
      { subject: claimed.subject, html: claimed.html, text: claimed.text },
      {
        shopName: from.name,
        unsubscribeUrl: link,
        postalAddress,
        // In the body's language (templateLanguageOf): a translation's, the primary one for a default the merchant
        // saved, English for Tally's own.
        language: templateLanguageOf(
          { locale: claimed.templateLocale, version: claimed.templateVersion },
          shop?.roots?.[0]?.locale,
        ),
      },
    );
    const email: OutgoingEmail = {
      from,
      to: claimed.recipient,
      subject: body.subject,
      html: body.html,
      text: body.text,
      headers: {
        // RFC 8058: an https URI the mailbox provider POSTs "List-Unsubscribe=One-Click" to, and the header saying so.
        "List-Unsubscribe": `<${link}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
      messageId: `<tally-${id}.${claimed.attempts}@${from.address.split("@")[1]}>`,
    };
    let outcome: { ok: true; messageId: string; response: string } | { ok: false; failure: SendFailure };
    try {
      outcome = { ok: true, ...(await mailer.send(email)) };
    } catch (error) {
      const failure =
        error instanceof MailSendError
          ? error.failure
          : classifySmtpFailure(undefined, error instanceof Error ? error.message : String(error));
      outcome = { ok: false, failure };
    }
    const recorded = await record(ctx, id, claimed.attempts, outcome);
    result[recorded] += 1;
    // No answer at all: the server is down or unreachable; the rest waits for the next run instead of each
    // spending an attempt.
    if (!outcome.ok && !outcome.failure.permanent && outcome.failure.responseCode === undefined) break;
  }
  return result;
}

type Claim =
  | { kind: "skipped" }
  | {
      kind: "sending";
      customerId: number;
      /** The customer's language ("fr", "fr-CA"), for the unsubscribe link's storefront root. */
      locale: string | null;
      /** The language of the template the parts were rendered from ("" the default template; decision 057). */
      templateLocale: string | null;
      /** The version of that template (0 Tally's own default; null for an email queued before versions were kept). */
      templateVersion: number | null;
      recipient: string;
      subject: string;
      html: string;
      text: string;
      attempts: number;
    };

/** Checks the customer once more and moves the row to "sending" (or "skipped"), in one transaction. */
async function claim(ctx: ServiceContext, id: number): Promise<Claim | undefined> {
  const now = ctx.now.toISOString();
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .select({
        outbox: emailOutbox,
        email: customers.email,
        locale: customers.locale,
        redactedAt: customers.redactedAt,
        deletedAt: customers.deletedAt,
        mergedIntoId: customers.mergedIntoId,
        marketing: customers.emailMarketingState,
      })
      .from(emailOutbox)
      .innerJoin(customers, eq(customers.id, emailOutbox.customerId))
      .where(and(eq(emailOutbox.shop, ctx.shop), eq(emailOutbox.id, id), eq(emailOutbox.status, "queued")));
    if (!row) return undefined;
    const [suppressed] = await tx
      .select({ id: emailSuppressions.id })
      .from(emailSuppressions)
      .where(
        and(
          eq(emailSuppressions.shop, ctx.shop),
          or(
            eq(emailSuppressions.customerId, row.outbox.customerId),
            row.email ? eq(emailSuppressions.email, row.email.toLowerCase()) : sql`false`,
          ),
        ),
      )
      .limit(1);
    const skipReason = mostImportantSkipReason<EmailSkipReason>([
      !!suppressed && "unsubscribed",
      !!row.redactedAt && "redacted",
      !!row.deletedAt && "deleted",
      row.mergedIntoId !== null && "merged",
      !row.email && "no_email",
      row.marketing !== "SUBSCRIBED" && "not_subscribed",
    ]);
    const where = and(eq(emailOutbox.shop, ctx.shop), eq(emailOutbox.id, id));
    if (skipReason) {
      await tx.update(emailOutbox).set({ status: "skipped", skipReason, updatedAt: now }).where(where);
      return { kind: "skipped" } as const;
    }
    const attempts = row.outbox.attempts + 1;
    // The address Shopify has now: a customer who changed it since the batch was queued gets it at the new one.
    await tx
      .update(emailOutbox)
      .set({ status: "sending", attempts, recipient: row.email, updatedAt: now })
      .where(where);
    return {
      kind: "sending",
      customerId: row.outbox.customerId,
      locale: row.locale,
      templateLocale: row.outbox.templateLocale,
      templateVersion: row.outbox.templateVersion,
      recipient: row.email!,
      subject: row.outbox.subject ?? "",
      html: row.outbox.html ?? "",
      text: row.outbox.text ?? "",
      attempts,
    } as const;
  });
}

async function record(
  ctx: ServiceContext,
  id: number,
  attempts: number,
  outcome: { ok: true; messageId: string; response: string } | { ok: false; failure: SendFailure },
): Promise<"sent" | "retrying" | "failed"> {
  const now = ctx.now.toISOString();
  const where = and(eq(emailOutbox.shop, ctx.shop), eq(emailOutbox.id, id));
  return inTransaction(ctx, async (tx) => {
    if (outcome.ok) {
      await tx
        .update(emailOutbox)
        .set({
          status: "sent",
          sentAt: now,
          updatedAt: now,
          messageId: outcome.messageId,
          smtpResponse: outcome.response.slice(0, 500),
          lastError: null,
        })
        .where(where);
      return "sent";
    }
    const { failure } = outcome;
    const retryAt = failure.permanent ? null : nextAttemptAt(attempts, ctx.now);
    const reason = failure.permanent
      ? failure.reason
      : retryAt
        ? failure.reason
        : `Gave up after ${attempts} attempts: ${failure.reason}`;
    await tx
      .update(emailOutbox)
      .set({
        status: retryAt ? "queued" : "failed",
        nextAttemptAt: retryAt?.toISOString() ?? null,
        lastError: reason,
        lastResponseCode: failure.responseCode ?? null,
        updatedAt: now,
      })
      .where(where);
    return retryAt ? "retrying" : "failed";
  });
}

/** Rows a crash left in "sending": recorded failed and never sent again (at most once; decision 021). */
async function failInterrupted(ctx: ServiceContext): Promise<number> {
  const before = new Date(ctx.now.getTime() - INTERRUPTED_AFTER_MS).toISOString();
  return inTransaction(ctx, async (tx) => {
    const rows = await tx
      .update(emailOutbox)
      .set({
        status: "failed",
        lastError: "Interrupted while sending (Tally stopped): not sent again, so the customer never gets it twice",
        updatedAt: ctx.now.toISOString(),
      })
      .where(and(eq(emailOutbox.shop, ctx.shop), eq(emailOutbox.status, "sending"), lte(emailOutbox.updatedAt, before)))
      .returning({ id: emailOutbox.id });
    return rows.length;
  });
}
