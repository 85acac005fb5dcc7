import { and, desc, eq } from "drizzle-orm";
import {
  editableEmails,
  parseEmailTemplate,
  pointsReminderCasesMissed,
  pointsReminderSamples,
  type PointsReminderCase,
  renderSampleEmail,
  type EmailKind,
  type PointsReminderSample,
  type EmailTemplate,
  type RenderedEmail,
  type SampleShop,
} from "~/domain/email";
import { cheapestRewardCost } from "~/domain/customers";
import { emailTemplateNoticesKept, emailTemplateVersions, shops } from "~/db/schema";
import { recordAudit } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext, type Tx } from "../context";
import { getProgram } from "../program/get-program.server";
import { cheapestRewardWords, referralRewardWords } from "./reward-words.server";

export interface StoredEmailTemplate {
  kind: EmailKind;
  /** 0 for Tally's default, never saved by the shop. */
  version: number;
  template: EmailTemplate;
  actorName: string | null;
  savedAt: string | null;
}

/** The template in use for `kind`: the shop's newest saved version, or Tally's default (version 0). */
export async function getEmailTemplate({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx?: Tx;
  input: { kind: EmailKind };
}): Promise<StoredEmailTemplate> {
  const [row] = await (tx ?? ctx.db)
    .select()
    .from(emailTemplateVersions)
    .where(and(eq(emailTemplateVersions.shop, ctx.shop), eq(emailTemplateVersions.kind, input.kind)))
    .orderBy(desc(emailTemplateVersions.version))
    .limit(1);
  if (!row)
    return {
      kind: input.kind,
      version: 0,
      template: editableEmails[input.kind].defaultTemplate,
      actorName: null,
      savedAt: null,
    };
  return {
    kind: input.kind,
    version: row.version,
    template: { subject: row.subject, html: row.html, text: row.text },
    actorName: row.actorName ?? (row.actor === "staff" ? null : row.actor),
    savedAt: row.createdAt,
  };
}

/** The saved versions of `kind`, newest first, with who saved each (at most `limit`). */
export async function listEmailTemplateVersions({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { kind: EmailKind; limit?: number };
}) {
  return ctx.db
    .select({
      version: emailTemplateVersions.version,
      subject: emailTemplateVersions.subject,
      actor: emailTemplateVersions.actor,
      actorName: emailTemplateVersions.actorName,
      createdAt: emailTemplateVersions.createdAt,
    })
    .from(emailTemplateVersions)
    .where(and(eq(emailTemplateVersions.shop, ctx.shop), eq(emailTemplateVersions.kind, input.kind)))
    .orderBy(desc(emailTemplateVersions.version))
    .limit(input.limit ?? 20);
}

/** The shop a preview is rendered for: its name and its own rewards, in the words and money its emails use. */
async function shopIdentity(ctx: ServiceContext): Promise<SampleShop> {
  const [row] = await ctx.db.select({ name: shops.name }).from(shops).where(eq(shops.shop, ctx.shop));
  const { friendOffer, advocateReward } = await referralRewardWords({ ctx });
  const program = await getProgram({ ctx });
  const cheapestReward = await cheapestRewardWords({ ctx, input: { program } });
  const cheapestCost = cheapestRewardCost(program.settings.redeemOptions);
  return {
    domain: ctx.shop,
    name: row?.name ?? null,
    pointsNaming: program.settings,
    friendReward: friendOffer,
    advocateReward,
    ...(cheapestReward ? { cheapestReward } : {}),
    ...(cheapestCost !== undefined ? { cheapestCost } : {}),
  };
}

/**
 * The template rendered for the Settings preview, with a sample customer (Ana; for the points reminder, `sample`'s:
 * a Member who can redeem by default), the shop's own name and its rewards
 * written in its money format, as the emails sent write them, and the footer with `postalAddress`, the shop's address
 * as the send run reads it from Shopify (one entry a line; a stand-in naming where it comes from when it could not be
 * read or is empty). Throws DomainError "invalid_input" with `fieldErrors` for a part that is too long, empty, or not
 * valid Liquid,
 * naming every fault of every part at once (parseEmailTemplate).
 */
export async function previewEmailTemplate({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: {
    kind: EmailKind;
    template: unknown;
    postalAddress?: readonly string[] | null;
    sample?: PointsReminderSample;
  };
}): Promise<RenderedEmail> {
  const postalAddress = input.postalAddress?.length ? { postalAddress: input.postalAddress } : {};
  const shop = { ...(await shopIdentity(ctx)), ...postalAddress };
  const samples = input.sample ? [input.sample] : undefined;
  return renderSampleEmail(
    input.kind,
    parseEmailTemplate(input.kind, input.template, shop, samples),
    shop,
    input.sample,
  );
}

/**
 * Saves the template as the next version, with the staff member who saved it, after rendering it once with the sample
 * customer (a Liquid error or an unknown placeholder is refused at save, never found while sending), audited
 * (`email_template.save`). Saving what is already in use changes nothing. Throws DomainError "invalid_input" with
 * `fieldErrors` holding every fault of every part (parseEmailTemplate).
 */
export async function saveEmailTemplate({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { kind: EmailKind; template: unknown };
}): Promise<{ version: number; changed: boolean }> {
  // Each sample once (every has_account × can_redeem): a Liquid error inside a branch the default sample skips is
  // found here too, with every other fault of every part.
  const samples = Object.keys(pointsReminderSamples) as PointsReminderSample[];
  const template = parseEmailTemplate(input.kind, input.template, await shopIdentity(ctx), samples);
  return inTransaction(ctx, async (tx) => {
    const current = await getEmailTemplate({ ctx, tx, input: { kind: input.kind } });
    const same =
      current.template.subject === template.subject &&
      current.template.html === template.html &&
      current.template.text === template.text;
    if (same) return { version: current.version, changed: false };
    const version = current.version + 1;
    await tx.insert(emailTemplateVersions).values({
      shop: ctx.shop,
      kind: input.kind,
      version,
      ...template,
      actor: ctx.actor,
      actorName: ctx.actorName ?? null,
      createdAt: ctx.now.toISOString(),
    });
    await recordAudit({
      ctx,
      tx,
      input: {
        action: "email_template.save",
        subject: `${editableEmails[input.kind].title} email`,
        before: { version: current.version, subject: current.template.subject },
        after: { version, subject: template.subject },
      },
    });
    return { version, changed: true };
  });
}

/** Staff's "Keep mine" to the points reminder's notice, as email_template_notices_kept names it. */
const REMINDER_CASES_NOTICE = "reminder_cases";

/** What Settings › Emails and the directory's reminder panel say of a saved points reminder that misses cases. */
export interface PointsReminderNotice {
  /** The saved version in use. */
  version: number;
  /** The cases it reads the same as a Member who can redeem (pointsReminderCasesMissed), never empty. */
  missed: PointsReminderCase[];
}

/**
 * The notice the shop's points reminder in use calls for (decision 031): the cases its words do not tell apart, with
 * its version; null for Tally's default, a template that tells every case apart, or once staff kept theirs
 * (keepPointsReminder), whatever version is saved since.
 */
export async function findPointsReminderNotice({ ctx }: { ctx: ServiceContext }): Promise<PointsReminderNotice | null> {
  const current = await getEmailTemplate({ ctx, input: { kind: "points_reminder" } });
  if (current.version === 0) return null;
  const missed = pointsReminderCasesMissed(current.template);
  if (missed.length === 0) return null;
  const [kept] = await ctx.db
    .select({ id: emailTemplateNoticesKept.id })
    .from(emailTemplateNoticesKept)
    .where(
      and(
        eq(emailTemplateNoticesKept.shop, ctx.shop),
        eq(emailTemplateNoticesKept.kind, "points_reminder"),
        eq(emailTemplateNoticesKept.notice, REMINDER_CASES_NOTICE),
      ),
    )
    .limit(1);
  return kept ? null : { version: current.version, missed };
}

/**
 * Staff answer the points reminder's notice "Keep mine": the saved template stays as written (Tally never rewrites a
 * merchant's words) and the notice is not shown again; audited (`email_template.keep`) with the version kept and the
 * cases it misses. Keeping again, or with no notice to answer, changes nothing (`kept: false`).
 */
export async function keepPointsReminder({ ctx }: { ctx: ServiceContext }): Promise<{ kept: boolean }> {
  const notice = await findPointsReminderNotice({ ctx });
  if (!notice) return { kept: false };
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .insert(emailTemplateNoticesKept)
      .values({
        shop: ctx.shop,
        kind: "points_reminder",
        notice: REMINDER_CASES_NOTICE,
        version: notice.version,
        actor: ctx.actor,
        actorName: ctx.actorName ?? null,
        createdAt: ctx.now.toISOString(),
      })
      .onConflictDoNothing()
      .returning({ id: emailTemplateNoticesKept.id });
    if (!row) return { kept: false };
    await recordAudit({
      ctx,
      tx,
      input: {
        action: "email_template.keep",
        subject: `${editableEmails.points_reminder.title} email`,
        after: { version: notice.version, missed: notice.missed },
      },
    });
    return { kept: true };
  });
}
