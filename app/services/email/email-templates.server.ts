import { and, desc, eq } from "drizzle-orm";
import {
  editableEmails,
  emailTemplateSchema,
  pointsReminderSamples,
  renderSampleEmail,
  type EmailKind,
  type PointsReminderSample,
  type EmailTemplate,
  type RenderedEmail,
  type SampleShop,
} from "~/domain/email";
import { cheapestRewardCost } from "~/domain/customers";
import { DomainError } from "~/domain/shared";
import { emailTemplateVersions, shops } from "~/db/schema";
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
 * valid Liquid.
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
  const template = parseTemplate(input.template);
  const postalAddress = input.postalAddress?.length ? { postalAddress: input.postalAddress } : {};
  return renderSampleEmail(input.kind, template, { ...(await shopIdentity(ctx)), ...postalAddress }, input.sample);
}

function parseTemplate(raw: unknown): EmailTemplate {
  const parsed = emailTemplateSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[issue.path.join(".")] ??= []).push(issue.message);
    throw new DomainError("invalid_input", "The email template has errors", { fieldErrors });
  }
  return parsed.data;
}

/**
 * Saves the template as the next version, with the staff member who saved it, after rendering it once with the sample
 * customer (a Liquid error or an unknown placeholder is refused at save, never found while sending), audited
 * (`email_template.save`). Saving what is already in use changes nothing. Throws DomainError "invalid_input" with `fieldErrors`.
 */
export async function saveEmailTemplate({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { kind: EmailKind; template: unknown };
}): Promise<{ version: number; changed: boolean }> {
  const template = parseTemplate(input.template);
  const shop = await shopIdentity(ctx);
  // Each sample once (every has_account × can_redeem): a Liquid error inside a branch the default sample skips is
  // found here too.
  for (const sample of Object.keys(pointsReminderSamples) as PointsReminderSample[])
    renderSampleEmail(input.kind, template, shop, sample);
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
        subject: `${input.kind[0]!.toUpperCase()}${input.kind.slice(1)} email`,
        before: { version: current.version, subject: current.template.subject },
        after: { version, subject: template.subject },
      },
    });
    return { version, changed: true };
  });
}
