import { and, desc, eq, inArray } from "drizzle-orm";
import {
  editableEmails,
  parseEmailTemplate,
  templateLanguageOf,
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
import {
  closestLocale,
  customerAccountsKind,
  DomainError,
  localeName,
  sameLocale,
  storefrontRootFor,
  storefrontTranslationLocales,
} from "~/domain/shared";
import { emailTemplateNoticesKept, emailTemplateVersions, shops } from "~/db/schema";
import { recordAudit } from "../audit/record-audit.server";
import { inTransaction, type ServiceContext, type Tx } from "../context";
import { getProgram } from "../program/get-program.server";
import { cheapestRewardWords, referralRewardWords } from "./reward-words.server";

export interface StoredEmailTemplate {
  kind: EmailKind;
  /**
   * The language this template is for: "" for the shop's default template (every customer whose language has no
   * translation), else a storefront locale ("fr"; decision 057).
   */
  locale: string;
  /** 0 when nothing is saved for this language (Tally's default, or for a translation the default template's words). */
  version: number;
  template: EmailTemplate;
  actorName: string | null;
  savedAt: string | null;
}

/** The default template's language key in `email_template_versions.locale`. */
export const DEFAULT_TEMPLATE_LOCALE = "";

type TemplateRow = typeof emailTemplateVersions.$inferSelect;

function storedOf(kind: EmailKind, row: TemplateRow): StoredEmailTemplate {
  return {
    kind,
    locale: row.locale,
    version: row.version,
    template: { subject: row.subject, html: row.html, text: row.text },
    actorName: row.actorName ?? (row.actor === "staff" ? null : row.actor),
    savedAt: row.createdAt,
  };
}

const tallyDefault = (kind: EmailKind): StoredEmailTemplate => ({
  kind,
  locale: DEFAULT_TEMPLATE_LOCALE,
  version: 0,
  template: editableEmails[kind].defaultTemplate,
  actorName: null,
  savedAt: null,
});

async function newestSaved(ctx: ServiceContext, db: Tx | ServiceContext["db"], kind: EmailKind, locale: string) {
  const [row] = await db
    .select()
    .from(emailTemplateVersions)
    .where(
      and(
        eq(emailTemplateVersions.shop, ctx.shop),
        eq(emailTemplateVersions.kind, kind),
        eq(emailTemplateVersions.locale, locale),
      ),
    )
    .orderBy(desc(emailTemplateVersions.version))
    .limit(1);
  return row;
}

/**
 * The template in use for `kind` in `locale` ("" or absent: the default template): the newest version saved for that
 * language, else (a translation never saved) the default template in use, with version 0 and `locale` the one asked,
 * else Tally's default (version 0).
 */
export async function getEmailTemplate({
  ctx,
  tx,
  input,
}: {
  ctx: ServiceContext;
  tx?: Tx;
  input: { kind: EmailKind; locale?: string };
}): Promise<StoredEmailTemplate> {
  const db = tx ?? ctx.db;
  const locale = input.locale ?? DEFAULT_TEMPLATE_LOCALE;
  const row = await newestSaved(ctx, db, input.kind, locale);
  if (row) return storedOf(input.kind, row);
  if (locale === DEFAULT_TEMPLATE_LOCALE) return tallyDefault(input.kind);
  const fallback = await getEmailTemplate({ ctx, tx, input: { kind: input.kind } });
  return { ...fallback, locale, version: 0, actorName: null, savedAt: null };
}

/** Every template of `kind` an email can be sent from: the default one and each saved translation's newest version. */
export interface EmailTemplatesInUse {
  default: StoredEmailTemplate;
  translations: StoredEmailTemplate[];
  /**
   * The language the default template is written in: the online store's primary language ("en", "fr"), "en" when the
   * shop's storefront roots were never read. A translation is written in its own `locale`.
   */
  defaultLanguage: string;
}

/**
 * The templates a batch of `kind` is rendered from, read once per batch (decision 057): the default template in use
 * and the newest saved version of each translation.
 */
export async function getEmailTemplatesInUse({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { kind: EmailKind };
}): Promise<EmailTemplatesInUse> {
  // A shop saves a template a few times a year: reading every version of one kind is a few rows.
  const rows = await ctx.db
    .select()
    .from(emailTemplateVersions)
    .where(and(eq(emailTemplateVersions.shop, ctx.shop), eq(emailTemplateVersions.kind, input.kind)))
    .orderBy(desc(emailTemplateVersions.version));
  const newest = new Map<string, TemplateRow>();
  for (const row of rows) if (!newest.has(row.locale)) newest.set(row.locale, row);
  const saved = newest.get(DEFAULT_TEMPLATE_LOCALE);
  newest.delete(DEFAULT_TEMPLATE_LOCALE);
  return {
    default: saved ? storedOf(input.kind, saved) : tallyDefault(input.kind),
    translations: Array.from(newest, ([, row]) => storedOf(input.kind, row)),
    defaultLanguage: (await primaryLanguage(ctx)) ?? "en",
  };
}

/** The online store's primary locale ("en", "fr"), the default template's language; undefined when never read. */
async function primaryLanguage(ctx: ServiceContext): Promise<string | undefined> {
  const [row] = await ctx.db.select({ roots: shops.storefrontRoots }).from(shops).where(eq(shops.shop, ctx.shop));
  return row?.roots?.[0]?.locale;
}

/**
 * The language `template` (one of `templates`) is written in, which its footer and its rewards' words follow:
 * templateLanguageOf with the store's primary language (decisions 057, 059).
 */
export function templateLanguage(templates: EmailTemplatesInUse, template: StoredEmailTemplate): string {
  return templateLanguageOf(template, templates.defaultLanguage);
}

/**
 * The template a customer whose Shopify `locale` is `customerLocale` ("fr-CA", null when unknown) is emailed from:
 * the translation for exactly that locale, else for its language ("fr"), else the default template (decision 057).
 */
export function templateForCustomer(
  templates: EmailTemplatesInUse,
  customerLocale: string | null | undefined,
): StoredEmailTemplate {
  return closestLocale(templates.translations, (each) => each.locale, customerLocale) ?? templates.default;
}

/** The saved versions of `kind` in `locale` ("" or absent: the default template), newest first (at most `limit`). */
export async function listEmailTemplateVersions({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { kind: EmailKind; locale?: string; limit?: number };
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
    .where(
      and(
        eq(emailTemplateVersions.shop, ctx.shop),
        eq(emailTemplateVersions.kind, input.kind),
        eq(emailTemplateVersions.locale, input.locale ?? DEFAULT_TEMPLATE_LOCALE),
      ),
    )
    .orderBy(desc(emailTemplateVersions.version))
    .limit(input.limit ?? 20);
}

/** A storefront language as Settings › Emails lists it. */
export interface EmailLanguage {
  /** The storefront locale ("fr", "pt-BR"). */
  locale: string;
  /** Its English name ("French"; "French (no longer published)" for a saved version the store stopped publishing). */
  name: string;
}

/**
 * The shop's email languages (decision 057): `primary`, the online store's primary language, which the default
 * template is written in (null when the shop's storefront roots were never read), and `translations`, its other
 * published languages as Shopify's `webPresences` list them (read with the shop's facts), which a template can be
 * translated into. With `kind`, the languages of that email's saved versions the store no longer publishes follow,
 * named "(no longer published)": such a version is still sent to its customers, so it is listed, to be removed.
 */
export async function listEmailLanguages({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: { kind?: EmailKind };
}): Promise<{ primary: EmailLanguage | null; translations: EmailLanguage[] }> {
  const [row] = await ctx.db.select({ roots: shops.storefrontRoots }).from(shops).where(eq(shops.shop, ctx.shop));
  const primary = row?.roots?.[0]?.locale;
  const published = storefrontTranslationLocales(row?.roots).map((locale) => ({ locale, name: localeName(locale) }));
  const unpublished = input.kind
    ? (await getEmailTemplatesInUse({ ctx, input: { kind: input.kind } })).translations
        .filter((saved) => !published.some((each) => each.locale === saved.locale))
        .map((saved) => ({ locale: saved.locale, name: `${localeName(saved.locale)} (no longer published)` }))
    : [];
  return {
    primary: primary ? { locale: primary, name: localeName(primary) } : null,
    translations: [...published, ...unpublished],
  };
}

/**
 * `locale` as the translation key it is saved under ("" for the default template), or DomainError "invalid_input"
 * when the online store does not publish that language (a translation nobody could be sent).
 */
async function translationLocale(ctx: ServiceContext, locale: string | undefined): Promise<string> {
  if (!locale?.trim()) return DEFAULT_TEMPLATE_LOCALE;
  const published = (await listEmailLanguages({ ctx })).translations;
  const match = published.find((each) => sameLocale(each.locale, locale));
  if (!match)
    throw new DomainError(
      "invalid_input",
      `Your online store is not published in ${localeName(locale)} (${locale}): add the language in Shopify's Settings › Languages first`,
    );
  return match.locale;
}

/**
 * The shop a preview is rendered for: its name, its own rewards in the words and money its emails use in `language`
 * (absent, the online store's primary language when its storefront roots were read; English otherwise), and that
 * language, its kind of customer accounts as its reminders use it (decision 064), and the storefront root a customer
 * whose locale is `readerLocale` gets links under (storefrontRootFor, decision 051; absent, the primary one).
 */
async function shopIdentity(
  ctx: ServiceContext,
  { language: asked, readerLocale }: { language?: string; readerLocale?: string } = {},
): Promise<SampleShop> {
  const [row] = await ctx.db
    .select({
      name: shops.name,
      roots: shops.storefrontRoots,
      customerAccountsVersion: shops.customerAccountsVersion,
      loginLinksVisible: shops.loginLinksVisible,
    })
    .from(shops)
    .where(eq(shops.shop, ctx.shop));
  const language = asked || row?.roots?.[0]?.locale;
  const words = language ? { language } : {};
  const { friendOffer, advocateReward } = await referralRewardWords({ ctx, input: words });
  const program = await getProgram({ ctx });
  const cheapestReward = await cheapestRewardWords({ ctx, input: { program, ...words } });
  const cheapestCost = cheapestRewardCost(program.settings.redeemOptions);
  const storefrontRoot = storefrontRootFor(row?.roots, readerLocale);
  return {
    domain: ctx.shop,
    name: row?.name ?? null,
    customerAccounts: customerAccountsKind(row?.customerAccountsVersion, row?.loginLinksVisible),
    pointsNaming: program.settings,
    friendReward: friendOffer,
    advocateReward,
    ...(cheapestReward ? { cheapestReward } : {}),
    ...(cheapestCost !== undefined ? { cheapestCost } : {}),
    ...(storefrontRoot ? { storefrontRoot } : {}),
    ...words,
  };
}

/**
 * The language a draft of `kind` for `locale` ("" the default template) is sent in, by the send's rule
 * (templateLanguageOf): a draft word for word the template a customer of that language gets now is sent from that
 * template (Tally's own default English; the default template the merchant saved, the primary language; for a
 * translation never saved, the default template's language, not the translation's); any other draft is saved as a
 * version of its own (1 or more) for `locale`, and is sent in that language.
 */
function draftLanguage(templates: EmailTemplatesInUse, locale: string, draft: unknown): string {
  const inUse = locale ? templateForCustomer(templates, locale) : templates.default;
  const words = (draft ?? {}) as Partial<Record<keyof EmailTemplate, unknown>>;
  const unchanged =
    words.subject === inUse.template.subject &&
    words.html === inUse.template.html &&
    words.text === inUse.template.text;
  return templateLanguage(templates, unchanged ? inUse : { ...inUse, locale, version: inUse.version + 1 });
}

/**
 * The template rendered for the Settings preview as a customer of the language being edited is sent it (decision 059):
 * a sample customer (Ana; for the points reminder, `sample`'s: a Member who can redeem by default), the shop's own
 * name, its rewards, points and footer worded in the language the draft is sent in (draftLanguage, the send's
 * templateLanguageOf), the links on that customer's storefront ("https://example.com/fr/apps/tally/" for a French one;
 * storefrontRootFor, decision 051), and the footer with `postalAddress`, the shop's address as the send run reads it
 * from Shopify (one entry a line; a stand-in naming where it comes from when it could not be read or is empty). Throws
 * DomainError "invalid_input" with `fieldErrors` for a part that is too long, empty, or not valid Liquid, naming every
 * fault of every part at once (parseEmailTemplate).
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
    /** The language being edited ("fr"; absent or "" the default template, the store's primary language). */
    locale?: string;
  };
}): Promise<RenderedEmail> {
  const postalAddress = input.postalAddress?.length ? { postalAddress: input.postalAddress } : {};
  const locale = input.locale?.trim() ?? DEFAULT_TEMPLATE_LOCALE;
  const templates = await getEmailTemplatesInUse({ ctx, input: { kind: input.kind } });
  const language = draftLanguage(templates, locale, input.template);
  const reader = locale ? { readerLocale: locale } : {};
  const shop = { ...(await shopIdentity(ctx, { language, ...reader })), ...postalAddress };
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
 * (`email_template.save`). Saving what is already in use changes nothing. `locale` saves a translation (decision 057):
 * versions are numbered per language, the first one 1. Throws DomainError "invalid_input" with `fieldErrors` holding
 * every fault of every part (parseEmailTemplate), or for a language the online store does not publish.
 */
export async function saveEmailTemplate({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { kind: EmailKind; template: unknown; locale?: string };
}): Promise<{ version: number; changed: boolean }> {
  const locale = await translationLocale(ctx, input.locale);
  // Each sample once (every has_account × can_redeem): a Liquid error inside a branch the default sample skips is
  // found here too, with every other fault of every part.
  const samples = Object.keys(pointsReminderSamples) as PointsReminderSample[];
  const template = parseEmailTemplate(input.kind, input.template, await shopIdentity(ctx), samples);
  return inTransaction(ctx, async (tx) => {
    const current = await getEmailTemplate({ ctx, tx, input: { kind: input.kind, locale } });
    const same =
      current.template.subject === template.subject &&
      current.template.html === template.html &&
      current.template.text === template.text;
    if (same) return { version: current.version, changed: false };
    const version = current.version + 1;
    await tx.insert(emailTemplateVersions).values({
      shop: ctx.shop,
      kind: input.kind,
      locale,
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
        subject: templateSubject(input.kind, locale),
        before: { version: current.version, subject: current.template.subject },
        after: { version, subject: template.subject, ...(locale ? { locale } : {}) },
      },
    });
    return { version, changed: true };
  });
}

/** The audit line's subject: "Referral invitation email", "Referral invitation email (French)". */
const templateSubject = (kind: EmailKind, locale: string) =>
  `${editableEmails[kind].title} email${locale ? ` (${localeName(locale)})` : ""}`;

/**
 * Removes a translation (every saved version of `kind` in `locale`): customers in that language get the default
 * template again. Audited (`email_template.remove`) with the version that was in use. Removing a translation that is
 * not saved changes nothing (`removed: false`). Throws DomainError "invalid_input" for the default template (it can
 * only be replaced) or a blank locale.
 */
export async function removeEmailTranslation({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { kind: EmailKind; locale: string };
}): Promise<{ removed: boolean }> {
  const locale = input.locale.trim();
  if (!locale) throw new DomainError("invalid_input", "The default template cannot be removed, only saved anew");
  return inTransaction(ctx, async (tx) => {
    const current = await newestSaved(ctx, tx, input.kind, locale);
    if (!current) return { removed: false };
    await tx
      .delete(emailTemplateVersions)
      .where(
        and(
          eq(emailTemplateVersions.shop, ctx.shop),
          eq(emailTemplateVersions.kind, input.kind),
          eq(emailTemplateVersions.locale, locale),
        ),
      );
    await recordAudit({
      ctx,
      tx,
      input: {
        action: "email_template.remove",
        subject: templateSubject(input.kind, locale),
        before: { version: current.version, subject: current.subject, locale },
      },
    });
    return { removed: true };
  });
}

/**
 * Staff's "Keep mine" to the points reminder's notice, one row per notice (email_template_notices_kept.notice): the
 * cases of decision 031's round 21, and the Guests on a store without sign-in, which a shop meets later (when it hides
 * its sign-in links), so that keeping the first does not silence the second.
 */
const reminderNoticeOf: Record<PointsReminderCase, string> = {
  guests: "reminder_cases",
  below_reward: "reminder_cases",
  no_sign_in: "reminder_no_sign_in",
};

/** What Settings › Emails and the directory's reminder panel say of a saved points reminder that misses cases. */
export interface PointsReminderNotice {
  /** The saved version in use. */
  version: number;
  /**
   * The cases its words do not tell apart on this shop (pointsReminderCasesMissed) and staff have not kept, never
   * empty.
   */
  missed: PointsReminderCase[];
}

/**
 * The notice the shop's points reminder in use calls for (decisions 031, 064): the cases its words do not tell apart on
 * this shop (`no_sign_in` only while its sign-in links are hidden, shops.login_links_visible), with its version; null
 * for Tally's default, a template that tells every case apart, or once staff kept theirs (keepPointsReminder) for
 * every case it misses, whatever version is saved since.
 */
export async function findPointsReminderNotice({ ctx }: { ctx: ServiceContext }): Promise<PointsReminderNotice | null> {
  const current = await getEmailTemplate({ ctx, input: { kind: "points_reminder" } });
  if (current.version === 0) return null;
  const [shop] = await ctx.db
    .select({ version: shops.customerAccountsVersion, loginLinksVisible: shops.loginLinksVisible })
    .from(shops)
    .where(eq(shops.shop, ctx.shop));
  const signInOffered = customerAccountsKind(shop?.version, shop?.loginLinksVisible) !== "off";
  const missed = pointsReminderCasesMissed(current.template, { signInOffered });
  if (missed.length === 0) return null;
  const kept = await ctx.db
    .select({ notice: emailTemplateNoticesKept.notice })
    .from(emailTemplateNoticesKept)
    .where(
      and(
        eq(emailTemplateNoticesKept.shop, ctx.shop),
        eq(emailTemplateNoticesKept.kind, "points_reminder"),
        inArray(emailTemplateNoticesKept.notice, [...new Set(Object.values(reminderNoticeOf))]),
      ),
    );
  const keptNotices = new Set(kept.map((row) => row.notice));
  const open = missed.filter((each) => !keptNotices.has(reminderNoticeOf[each]));
  return open.length > 0 ? { version: current.version, missed: open } : null;
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
    const rows = await tx
      .insert(emailTemplateNoticesKept)
      .values(
        [...new Set(notice.missed.map((each) => reminderNoticeOf[each]))].map((each) => ({
          shop: ctx.shop,
          kind: "points_reminder",
          notice: each,
          version: notice.version,
          actor: ctx.actor,
          actorName: ctx.actorName ?? null,
          createdAt: ctx.now.toISOString(),
        })),
      )
      .onConflictDoNothing()
      .returning({ id: emailTemplateNoticesKept.id });
    if (rows.length === 0) return { kept: false };
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
